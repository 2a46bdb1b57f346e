"""A stored ticket's clocks as its detail reads them (desk.services.sla): which stop ends each
clock, the response clock on its own target and its own stop, the ledger as the ticket's own, in
the order things happened, the configured warning share, and `desk init`'s re-timing of a resolved
ticket on its own priority and service hours (issue 19: each rule fails a test when broken)."""

from __future__ import annotations

from datetime import timedelta

from desk.db import write_transaction
from desk.models import Incident, ServiceRequest, Setting, SlaClock
from desk.services import catalogue, catalogue_load, incidents, requests, setup, sla, sla_hold, sla_retime, sla_views

# conftest's clock starts Monday 2026-11-02 09:00 UTC (17:00 in Shanghai). Priority 1 without a
# service: around the clock, response 15 minutes, resolution 240 (config/default.toml).


def test_an_incident_resolved_in_time_and_closed_after_its_due_time_met_its_target(desk, clock):
    inc = incidents.create(desk, "li", title="vpn down", impact=1, urgency=1)
    due = Incident.get_by_id(inc.id).due_at
    clock.advance(minutes=60)
    incidents.resolve(desk, "li", inc.id, code="fixed", note="token reset")
    clock.advance(hours=6)  # the caller confirms long after the due time
    incidents.close(desk, "li", inc.id, confirmed=True)
    view = sla_views.incident_sla(desk, inc.id)
    assert (view.state, view.due_at, view.spent) == ("met", due, 60 * 60)
    assert Incident.get_by_id(inc.id).due_at == due


def _same_ids(desk):
    """An incident and a service request that have the same id."""
    inc = incidents.create(desk, "li", title="vpn down", impact=1, urgency=1)
    while True:
        r = requests.create(desk, "li", title="New mailbox", requester="Zhang Wei", checked=["all"], priority=2)
        if r.id >= inc.id:
            break
    while inc.id < r.id:
        inc = incidents.create(desk, "li", title="vpn down", impact=1, urgency=1)
    assert inc.id == r.id
    requests.accept(desk, "li", r.id)
    requests.dispatch(desk, "li", r.id, to="chen")
    return inc, r


def test_a_held_request_neither_holds_nor_lists_in_the_incident_of_the_same_id(desk, clock):
    inc, r = _same_ids(desk)
    sla_hold.hold_request(desk, "chen", r.id, reason="vendor", note="supplier ships the token")
    due = Incident.get_by_id(inc.id).due_at
    assert due is not None and sla_views.incident_sla(desk, inc.id).state == "running"
    assert sla_views.incident_sla(desk, inc.id).ledger == ()
    clock.advance(minutes=10)
    sla_hold.hold_incident(desk, "li", inc.id, reason="caller")  # not "already held"
    assert [p.reason for p in sla_views.incident_sla(desk, inc.id).ledger] == ["caller"]
    assert [p.reason for p in sla_views.view(desk, requests.KIND, r.id).ledger] == ["vendor"]
    assert ServiceRequest.get_by_id(r.id).due_at is None


def test_the_pause_ledger_reads_in_the_order_the_pauses_happened(desk, clock):
    inc = incidents.create(desk, "li", title="vpn down", impact=1, urgency=1)
    for reason in ("caller", "vendor", "cost"):
        sla_hold.hold_incident(desk, "li", inc.id, reason=reason)
        clock.advance(minutes=5)
        sla_hold.resume_incident(desk, "li", inc.id)
        clock.advance(minutes=5)
    assert [p.reason for p in sla.ledger(desk, "incident", inc.id)] == ["caller", "vendor", "cost"]
    assert [p.reason for p in sla_views.incident_sla(desk, inc.id).ledger] == ["caller", "vendor", "cost"]


def test_the_response_clock_runs_on_its_own_target_pauses_and_stop(desk, clock):
    # from monitoring: nobody has answered yet
    inc = incidents.create(desk, "li", title="disk full on db01", impact=1, urgency=1, source="monitoring")
    opened = inc.opened_at
    view = sla_views.incident_sla(desk, inc.id)
    assert (view.response_state, view.response_due_at) == ("running", opened + timedelta(minutes=15))
    clock.advance(minutes=5)
    sla_hold.hold_incident(desk, "li", inc.id, reason="vendor")
    clock.advance(minutes=20)  # held past the response target: not counted
    sla_hold.resume_incident(desk, "li", inc.id)
    view = sla_views.incident_sla(desk, inc.id)
    assert (view.response_state, view.response_due_at) == ("running", opened + timedelta(minutes=35))
    clock.advance(minutes=5)
    incidents.note(desk, "li", inc.id, text="looking at the disk")  # the first response, unresolved
    clock.advance(minutes=30)  # past the response due time: it was met
    view = sla_views.incident_sla(desk, inc.id)
    assert (view.response_state, view.state) == ("met", "running")


def test_a_clock_warns_at_the_configured_share_of_its_target(desk, clock, monkeypatch):
    monkeypatch.setattr(desk.config.sla, "warning", 0.5)
    inc = incidents.create(desk, "li", title="vpn down", impact=1, urgency=1)  # 240 minutes
    half = inc.opened_at + timedelta(minutes=120)
    tick = SlaClock.get((SlaClock.entity == "incident") & (SlaClock.entity_id == inc.id))
    assert tick.warn_at == tick.next_at == half
    assert sla_views.incident_sla(desk, inc.id).warn_at == half
    clock.advance(minutes=121)
    assert sla_views.incident_sla(desk, inc.id).state == "warning"


# --- `desk init` re-timing a resolved ticket raised before its service's first version ---------------

def _publish_later(desk, clock, terms):
    entry = {**catalogue.service_version(desk, "email").entry, "code": "payroll", "name_en": "Payroll",
             "name_zh": "薪资", **terms}
    with write_transaction(desk.db):
        catalogue_load.write_version(desk, entry, actor_id=None, now=clock(),
                                     effective_at=clock() + timedelta(hours=2))


def test_desk_init_re_times_a_resolved_ticket_on_its_priority_and_its_first_versions_hours(desk, clock):
    # the first version: office hours, each priority its own target (17:00 in Shanghai: an hour of the day left)
    targets = {"1": {"response": 15, "resolve": 120}, "2": {"response": 30, "resolve": 240},
               "3": {"response": 60, "resolve": 480}, "4": {"response": 120, "resolve": 1440}}
    _publish_later(desk, clock, {"hours": "business", "targets": targets})
    inc = incidents.create(desk, "li", title="Payslips not sent", impact=1, urgency=1, service="payroll")
    assert inc.priority == 1 and inc.service_version is None
    due = Incident.get_by_id(inc.id).due_at
    assert due > inc.opened_at + timedelta(hours=12)  # 120 business minutes: the night does not count
    clock.advance(minutes=30)
    incidents.resolve(desk, "li", inc.id, code="fixed", note="resent")
    Incident.update(due_at=inc.opened_at + timedelta(hours=1)).where(Incident.id == inc.id).execute()
    Setting.delete().where(Setting.key == sla_retime.STOPPED_KEY).execute()  # as before `desk init` re-timed them
    desk.cache.clear()
    desk.config.sla.row_terms.clear()

    setup.init_database(desk)

    assert Incident.get_by_id(inc.id).due_at == due == incidents.get(desk, inc.id).sla.due_at
