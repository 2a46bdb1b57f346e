"""A demo desk's stored due times are the ones its SLA clocks show. `desk demo` published the
catalogue at the real time, after every ticket of the story: each request was raised under no
catalogue version, its due time set by the service row's terms, while its clock read the version
in force now (another calendar for most services): 36 of 194 open requests of a 3,000-incident
demo showed a due time other than the one the queue sorts by and the wallboard counts."""

from datetime import timedelta

import pytest

from desk.models import ServiceVersion, Incident, ServiceRequest
from desk.services import demo, incidents, requests, sla_views
from desk.services.context import open_desk


@pytest.mark.parametrize("kind, model", [(requests.KIND, ServiceRequest), (incidents.KIND, Incident)])
def test_every_open_ticket_of_a_demo_is_due_when_its_clock_says(db_url, clock, kind, model):
    from conftest import fast_config

    desk = open_desk(db_url, fast_config(), clock=clock, user="admin", lang="en")
    try:
        demo.init(desk, days=30)
        demo.generate(desk, incidents=300, seed=7, days=30)
        rows = list(model.select(model.id, model.due_at).where(model.status.not_in(("resolved", "closed"))).tuples())
        assert len(rows) >= 3
        differ = []
        for ticket_id, stored in rows:
            shown = sla_views.view(desk, kind, ticket_id).due_at
            if shown is not None and (stored is None or abs(shown - stored) > timedelta(seconds=1)):
                differ.append((ticket_id, stored, shown))
        assert differ == []
    finally:
        desk.close()


def test_the_demo_s_catalogue_is_in_force_from_before_its_story(db_url, clock):
    from conftest import fast_config

    desk = open_desk(db_url, fast_config(), clock=clock, user="admin", lang="en")
    try:
        demo.init(desk, days=30)
        effective = [v for (v,) in ServiceVersion.select(ServiceVersion.effective_at).tuples()]
        assert effective and max(effective) <= clock.now - timedelta(days=30)
    finally:
        desk.close()
