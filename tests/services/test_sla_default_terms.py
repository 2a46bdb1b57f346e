"""Tickets of no service and no catalogue version are timed on the default terms (`[sla]
default_calendar` and the [[priority]] targets: desk.services.sla_default_terms). When those change,
`desk init` re-times them as their detail shows them: a resolved or closed one's stored due time
(what a report counts met or breached) and an open one's stored due time and clock (the queue's
order, the tick's escalations). Once per change: an init on the same terms reads no ticket. (With
the shipped 24x7 default calendar nothing moves; with business hours every such ticket did not.)"""

from __future__ import annotations

from datetime import timedelta

from desk.models import History, Incident, ServiceRequest, SlaClock
from desk.services import incidents, request_reads, requests, setup, sla_default_terms, sla_sync

# conftest's clock starts Monday 2026-11-02 09:00 UTC: 17:00 in Shanghai, an hour before the office closes


def _default_calendar(desk, name: str) -> None:
    """The desk's configuration with another default calendar, as an administrator edits
    config/sla.toml and then runs `desk init` (the handle's kept terms forgotten, as a new one's)."""
    desk.config.data["sla"] = {**desk.config.data["sla"], "default_calendar": name}
    desk.config.__dict__.pop("_sla", None)
    desk.cache.clear()


def _due_on(desk, calendar: str, opened, priority) -> object:
    minutes = desk.config.sla.targets(priority).resolve_minutes
    return desk.config.sla.calendars[calendar].add(opened, minutes * 60)


def _chain(entity, entity_id):
    return list(History.select(History.seq, History.hash).where(
        (History.entity == entity) & (History.entity_id == entity_id)).order_by(History.seq).tuples())


def _of_no_service(desk, clock):
    """An incident and a request of no service (no version), both still open."""
    inc = incidents.create(desk, "li", title="Printer jams on floor 3", impact=2, urgency=2)
    r = requests.create(desk, "li", title="A new mouse", checked=["all"], priority=3)
    for row in (Incident.get_by_id(inc.id), ServiceRequest.get_by_id(r.id)):
        assert row.service_id is None
    assert Incident.get_by_id(inc.id).service_version_id is None
    assert ServiceRequest.get_by_id(r.id).service_version is None
    return Incident.get_by_id(inc.id), ServiceRequest.get_by_id(r.id)


def test_resolved_and_closed_tickets_of_no_service_are_re_timed_when_the_default_calendar_changes(desk, clock):
    inc, r = _of_no_service(desk, clock)
    round_the_clock = inc.due_at
    assert round_the_clock == _due_on(desk, "24x7", inc.opened_at, inc.priority)
    clock.advance(minutes=30)
    incidents.resolve(desk, "li", inc.id, code="fixed", note="cleared the tray")
    requests.cancel(desk, "li", r.id, reason="found one")  # closed, never resolved: its clock stopped
    chains = _chain("incident", inc.id), _chain("request", r.id)

    _default_calendar(desk, "business")
    setup.init_database(desk)  # what `desk init` runs

    due = _due_on(desk, "business", inc.opened_at, inc.priority)
    assert due != round_the_clock
    assert Incident.get_by_id(inc.id).due_at == due == incidents.get(desk, inc.id).sla.due_at
    request_due = _due_on(desk, "business", r.registered_at, r.priority)
    assert ServiceRequest.get_by_id(r.id).due_at == request_due == request_reads.get(desk, r.id).sla.due_at
    assert (_chain("incident", inc.id), _chain("request", r.id)) == chains  # nothing rewritten, nothing added


def test_open_tickets_of_no_service_get_their_due_time_and_clock_again_and_others_keep_theirs(desk, clock):
    inc, r = _of_no_service(desk, clock)
    other = incidents.create(desk, "li", title="Mail bounces", impact=2, urgency=2, service="email")
    # of a service, with no version (raised before its first one): timed on that, not on the defaults
    Incident.update(service_version=None).where(Incident.id == other.id).execute()
    SlaClock.update(stage=1).where((SlaClock.entity == "incident") & (SlaClock.entity_id == other.id)).execute()

    _default_calendar(desk, "business")
    setup.init_database(desk)

    due = _due_on(desk, "business", inc.opened_at, inc.priority)
    assert Incident.get_by_id(inc.id).due_at == due == incidents.get(desk, inc.id).sla.due_at
    assert SlaClock.get((SlaClock.entity == "incident") & (SlaClock.entity_id == inc.id)).due_at == due
    request_due = _due_on(desk, "business", r.registered_at, r.priority)
    assert SlaClock.get((SlaClock.entity == "request") & (SlaClock.entity_id == r.id)).due_at == request_due
    # a ticket of a service keeps its clock as it was (its warning told)
    assert SlaClock.get((SlaClock.entity == "incident") & (SlaClock.entity_id == other.id)).stage == 1


def test_only_a_change_of_the_default_terms_re_times_them(desk, clock):
    inc, _r = _of_no_service(desk, clock)
    incidents.resolve(desk, "li", inc.id, code="fixed", note="cleared the tray")
    stale = inc.opened_at + timedelta(minutes=1)
    Incident.update(due_at=stale).where(Incident.id == inc.id).execute()

    setup.init_database(desk)  # the same terms as the desk was made with: no ticket read
    assert Incident.get_by_id(inc.id).due_at == stale

    _default_calendar(desk, "business")
    setup.init_database(desk)
    assert Incident.get_by_id(inc.id).due_at == _due_on(desk, "business", inc.opened_at, inc.priority)
    Incident.update(due_at=stale).where(Incident.id == inc.id).execute()
    setup.init_database(desk)  # business hours again: kept
    assert Incident.get_by_id(inc.id).due_at == stale

    _default_calendar(desk, "24x7")  # and back
    setup.init_database(desk)
    assert Incident.get_by_id(inc.id).due_at == inc.due_at


def test_what_the_default_terms_time_a_ticket_by_is_what_their_fingerprint_follows(desk):
    shipped = sla_default_terms.fingerprint(desk)
    _default_calendar(desk, "business")
    business = sla_default_terms.fingerprint(desk)
    assert business != shipped
    desk.config.data["sla"] = {**desk.config.data["sla"], "calendars": {
        **desk.config.data["sla"]["calendars"],
        "business": {**desk.config.data["sla"]["calendars"]["business"], "en": "Office", "zh": "办公"}}}
    desk.config.__dict__.pop("_sla", None)
    assert sla_default_terms.fingerprint(desk) == business  # its labels time nothing
    desk.config.data["sla"]["calendars"]["business"]["hours"] = "09:00-18:00 Mon-Sat"
    desk.config.__dict__.pop("_sla", None)
    assert sla_default_terms.fingerprint(desk) != business  # its days do
    desk.config.data["sla"]["calendars"]["business"]["hours"] = "09:00-18:00 Mon-Fri"
    desk.config.__dict__.pop("_sla", None)
    desk.config.data["sla"] = {**desk.config.data["sla"], "timezone": "UTC"}
    desk.config.__dict__.pop("_sla", None)
    assert sla_default_terms.fingerprint(desk) != business  # its zone does
    _default_calendar(desk, "24x7")
    desk.config.data["sla"] = {**desk.config.data["sla"], "timezone": "Asia/Shanghai"}
    desk.config.data["priority"] = [{**p, "resolve_minutes": p["resolve_minutes"] + 60}
                                    for p in desk.config.data["priority"]]
    desk.config.__dict__.pop("_sla", None)
    assert sla_default_terms.fingerprint(desk) != shipped  # and so do the default targets


# --- progress: long work shows it ----------------------------------------------------------------------

def _clockless(desk, count: int = 3) -> None:
    """Open incidents without a clock, as on a database from before the SLA clocks."""
    for n in range(count):
        incidents.create(desk, "li", title=f"VPN drops {n}", impact=2, urgency=2)
    SlaClock.delete().where(SlaClock.entity == "incident").execute()


def test_desk_init_reports_its_progress_while_it_gives_open_tickets_their_clocks(desk, clock):
    _clockless(desk)
    seen = []

    setup.init_database(desk, progress=lambda stage, done, total: seen.append((stage, done, total)))

    assert [(d, t) for stage, d, t in seen if stage == sla_sync.stage(incidents.KIND)] == [(3, 3)], seen
    assert SlaClock.select().where(SlaClock.entity == "incident").count() == 3


def test_the_clocks_progress_counts_each_batch_up_to_the_total(desk, clock):
    _clockless(desk)
    seen = []

    made = sla_sync.backfill(desk, incidents.KIND, batch=2,
                             progress=lambda stage, done, total: seen.append((stage, done, total)))

    assert made == 3
    assert seen == [("clocks_incident", 2, 3), ("clocks_incident", 3, 3)]


def test_desk_init_reports_its_progress_while_it_re_times_tickets_of_no_service(desk, clock):
    inc, _r = _of_no_service(desk, clock)
    incidents.resolve(desk, "li", inc.id, code="fixed", note="cleared the tray")
    _default_calendar(desk, "business")
    seen = []

    setup.init_database(desk, progress=lambda stage, done, total: seen.append((stage, done, total)))

    assert [(d, t) for stage, d, t in seen if stage == sla_default_terms.STAGE] == [(1, 1)], seen
    assert [(d, t) for stage, d, t in seen if stage == sla_sync.stage(requests.KIND)] == [(1, 1)], seen
