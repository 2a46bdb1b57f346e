"""Problem candidates at their edges (desk/services/problem_candidates.py; issue 19,
tools/mutants/services_problem_candidates.toml), on a real database: the window's first instant,
the settings, links counted only in their own window, service and category, the incidents shown
(in the window, incidents, unlinked), codes of other tables, fingerprints at exactly the minimum,
and service groups and fingerprints merged most first up to the limit."""

from datetime import timedelta

import pytest
from peewee import CharField, ForeignKeyField

from desk.models import Code, Incident
from desk.models.base import BaseModel
from desk.services import incidents, problem_candidates, problems
from test_problem_candidates import make  # (the same module pytest collects: n incidents an hour apart, the first `days_ago` days back)


class RecurringAlert(BaseModel):
    """The alert table's shape (fingerprint, incident), as problem_candidates reads it."""

    fingerprint = CharField()
    incident = ForeignKeyField(Incident, on_delete="RESTRICT")




def found(desk, **kw):
    return [(c.service or c.fingerprint, c.category, c.count) for c in problem_candidates.candidates(desk, **kw)]


@pytest.fixture
def later(clock):
    clock.advance(days=60)
    return clock


def test_an_incident_opened_exactly_the_windows_days_ago_counts(desk, later):
    make(desk, later, 2, "email", "application")
    make(desk, later, 1, "email", "application", days_ago=30)  # the window's first instant
    assert found(desk) == [("email", "application", 3)]


def test_the_window_and_the_minimum_are_read_from_the_config(desk, later):
    make(desk, later, 4, "database", "database", days_ago=35)
    assert found(desk) == []
    desk.config.data.setdefault("problem", {})["candidate_days"] = 40
    assert found(desk) == [("database", "database", 4)]
    desk.config.data["problem"]["candidate_min"] = 5
    assert found(desk) == []


def test_links_count_only_in_their_own_window_service_and_category(desk, later):
    vpn = make(desk, later, 3, "network", "network")
    old = make(desk, later, 2, "network", "network", days_ago=45)  # linked, but outside the window
    hardware = make(desk, later, 2, "network", "hardware")  # linked, same service, another category
    problems.create(desk, "li", title="old VPN drops", incidents_=old)
    problems.create(desk, "li", title="switch faults", incidents_=hardware)
    (candidate,) = problem_candidates.candidates(desk)
    assert (candidate.service, candidate.category, candidate.count) == ("network", "network", 3)
    assert candidate.incident_ids == tuple(vpn)


def test_the_incidents_shown_are_those_counted(desk, later):
    counted = make(desk, later, 3, "email", "application")
    linked = make(desk, later, 1, "email", "application", days_ago=2)
    make(desk, later, 2, "email", "application", days_ago=3, classification="service_request")
    make(desk, later, 2, "email", "application", days_ago=40)
    problems.create(desk, "li", title="mail", incidents_=linked)
    (candidate,) = problem_candidates.candidates(desk)
    assert candidate.count == 3 and candidate.incident_ids == tuple(counted)
    assert candidate.first_at == Incident.get_by_id(counted[-1]).opened_at


def test_a_category_code_that_another_code_table_also_has_is_counted_once(desk, later):
    Code.get_or_create(table="faq_category", code="application", defaults={"label_en": "Apps", "label_zh": "应用"})
    make(desk, later, 3, "email", "application")
    assert found(desk) == [("email", "application", 3)]


def test_fingerprints_at_exactly_the_minimum_counted_in_the_window_unlinked(desk, later):
    RecurringAlert.create_table()
    counted = make(desk, later, 3, "network", "network") + make(desk, later, 1, "email", "application")
    linked = make(desk, later, 2, "desktop", "hardware")
    old = make(desk, later, 2, "desktop", "hardware", days_ago=40)
    for incident_id in counted[1:] + linked + old:
        RecurringAlert.create(fingerprint="disk-full:db01", incident=incident_id)
    problems.create(desk, "li", title="printers", incidents_=linked)
    fingerprints = [c for c in problem_candidates.candidates(desk, alert_model=RecurringAlert) if c.fingerprint]
    assert [(c.fingerprint, c.count, sorted(c.incident_ids)) for c in fingerprints] == [
        ("disk-full:db01", 3, sorted(counted[1:]))]


def test_service_groups_and_fingerprints_together_most_first_up_to_the_limit(desk, later):
    RecurringAlert.create_table()
    make(desk, later, 5, "network", "network")
    make(desk, later, 3, "email", "application")
    for incident_id in make(desk, later, 2, "desktop", "hardware") + make(desk, later, 2, "database", "database"):
        RecurringAlert.create(fingerprint="cpu:web02", incident=incident_id)
    assert found(desk, alert_model=RecurringAlert) == [("network", "network", 5), ("cpu:web02", "", 4),
                                                       ("email", "application", 3)]
    assert found(desk, alert_model=RecurringAlert, limit=2) == [("network", "network", 5), ("cpu:web02", "", 4)]


def test_the_limit_keeps_the_groups_with_most_incidents(desk, later):
    make(desk, later, 3, "email", "application")
    make(desk, later, 5, "network", "network")
    make(desk, later, 4, "desktop", "hardware")
    assert found(desk, limit=2) == [("network", "network", 5), ("desktop", "hardware", 4)]
