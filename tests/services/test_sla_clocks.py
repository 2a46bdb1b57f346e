"""SLA clocks of stored incidents: due times on business hours, the pause ledger (hold/resume)
kept in one transaction with the incident's version, history and due time."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from desk.domain.errors import InvalidTransition, NotAllowed, StaleVersion, ValidationError
from desk.models import History, Incident, Refusal, SlaClock, SlaPause
from desk.services import incidents, records, setup, sla, sla_hold, sla_views

# conftest's clock starts Monday 2026-11-02 09:00 UTC = 17:00 in Shanghai.


def _row(desk, incident_id):
    return Incident.get_by_id(incident_id)


def _clock(incident_id):
    return SlaClock.get_or_none((SlaClock.entity == "incident") & (SlaClock.entity_id == incident_id))


def test_a_new_incident_is_due_on_its_services_business_hours(desk, clock):
    # desktop: 08:00-18:00 Mon-Fri (Shanghai). Priority 3 (impact 2, urgency 2 → config): 1440 business minutes.
    inc = incidents.create(desk, "li", title="screen flickers", impact=3, urgency=3, service="desktop")
    target = desk.config.sla.targets(inc.priority).resolve_minutes
    cal = desk.config.sla.calendar(hours="08:00-18:00 Mon-Fri")
    due = _row(desk, inc.id).due_at
    assert cal.seconds(clock.now, due) == target * 60
    assert due > clock.now + timedelta(minutes=target)  # nights and the weekend do not count
    # 24x7 service: wall-clock minutes
    other = incidents.create(desk, "li", title="mail down", impact=3, urgency=3, service="email")
    assert _row(desk, other.id).due_at == clock.now + timedelta(minutes=target)
    row = _clock(inc.id)
    assert row.due_at == due and row.stage == 0 and row.next_at == row.warn_at < due


def test_hold_and_resume_move_the_due_time_by_the_time_held(desk, clock):
    inc = incidents.create(desk, "li", title="vpn", impact=1, urgency=1)  # 24x7, priority 1: 240 min
    due = _row(desk, inc.id).due_at
    clock.advance(minutes=30)
    held = sla_hold.hold_incident(desk, "li", inc.id, reason="caller", note="calling back at 3")
    assert held.version == inc.version + 1
    row = _row(desk, inc.id)
    assert row.due_at is None and _clock(inc.id).paused_since == clock.now and _clock(inc.id).next_at is None
    assert sla_views.incident_sla(desk, inc.id).state == "paused"
    last = History.select().where(History.entity_id == inc.id).order_by(History.seq.desc()).first()
    assert last.action == "hold"
    clock.advance(minutes=130)
    sla_hold.resume_incident(desk, "zhao", inc.id)
    assert _row(desk, inc.id).due_at == due + timedelta(minutes=130)
    (pause,) = sla.ledger(desk, "incident", inc.id)
    assert (pause.reason, pause.ended_at - pause.started_at, pause.note) == ("caller", timedelta(minutes=130),
                                                                            "calling back at 3")
    view = sla_views.incident_sla(desk, inc.id)
    assert view.state == "running" and view.paused == 130 * 60 and view.spent == 30 * 60
    assert view.ledger[0].started_by == "li" and view.ledger[0].ended_by == "zhao"


def test_holding_twice_or_resuming_a_running_clock_is_refused_and_writes_nothing(desk, clock):
    inc = incidents.create(desk, "li", title="vpn", impact=1, urgency=1)
    with pytest.raises(ValidationError):
        sla_hold.resume_incident(desk, "li", inc.id)
    sla_hold.hold_incident(desk, "li", inc.id, reason="vendor")
    before = (_row(desk, inc.id).version, SlaPause.select().count(), History.select().count())
    with pytest.raises(ValidationError):
        sla_hold.hold_incident(desk, "li", inc.id, reason="caller")
    with pytest.raises(StaleVersion):  # the version seen before the hold
        sla_hold.resume_incident(desk, "li", inc.id, expect_version=1)
    assert (_row(desk, inc.id).version, SlaPause.select().count(), History.select().count()) == before


def test_an_unknown_reason_or_a_closed_ticket_cannot_be_held(desk):
    inc = incidents.create(desk, "li", title="vpn", impact=1, urgency=1)
    with pytest.raises(ValidationError):
        sla_hold.hold_incident(desk, "li", inc.id, reason="lunch")
    incidents.resolve(desk, "li", inc.id, code="fixed", note="ok")
    with pytest.raises(InvalidTransition):
        sla_hold.hold_incident(desk, "li", inc.id, reason="caller")
    assert SlaPause.select().count() == 0


def test_who_may_hold_a_clock(desk):
    inc = incidents.create(desk, "li", title="vpn", impact=1, urgency=1)  # in the desk group
    for login in ("vend", "appr", "chen"):  # vendors, approvers, and second line outside their group may not
        with pytest.raises(NotAllowed):
            sla_hold.hold_incident(desk, login, inc.id, reason="caller")
    assert Refusal.select().where(Refusal.action == "incident.hold").count() == 3
    incidents.escalate(desk, "li", inc.id, to="network", reason="l2")
    sla_hold.hold_incident(desk, "wang", inc.id, reason="vendor")  # second line, its own group
    assert SlaPause.select().count() == 1


def test_resolving_a_held_incident_ends_the_pause_and_stops_the_clock(desk, clock):
    inc = incidents.create(desk, "li", title="vpn", impact=1, urgency=1)
    sla_hold.hold_incident(desk, "li", inc.id, reason="caller")
    clock.advance(minutes=20)
    incidents.resolve(desk, "li", inc.id, code="fixed", note="ok")
    (pause,) = sla.ledger(desk, "incident", inc.id)
    assert pause.ended_at == clock.now and _clock(inc.id) is None
    assert sla_views.incident_sla(desk, inc.id).state == "met"
    incidents.reopen(desk, "li", inc.id, reason="still down")
    assert _clock(inc.id) is not None and _clock(inc.id).cycle == 1


def test_late_resolution_is_breached_not_met(desk, clock):
    inc = incidents.create(desk, "li", title="vpn", impact=1, urgency=1)
    clock.advance(minutes=241)
    incidents.resolve(desk, "li", inc.id, code="fixed", note="ok")
    assert sla_views.incident_sla(desk, inc.id).state == "breached"
    other = incidents.create(desk, "li", title="vpn", impact=1, urgency=1)
    clock.advance(minutes=240)
    incidents.resolve(desk, "li", other.id, code="fixed", note="ok")
    assert sla_views.incident_sla(desk, other.id).state == "met"


def test_re_targeting_keeps_the_time_spent(desk, clock):
    """Any change through the write path re-targets: a new priority keeps the time spent and held."""
    inc = incidents.create(desk, "li", title="slow", impact=3, urgency=3, service="email")  # 24x7
    clock.advance(minutes=60)
    sla_hold.hold_incident(desk, "li", inc.id, reason="caller")
    clock.advance(minutes=60)
    sla_hold.resume_incident(desk, "li", inc.id)
    Incident.update(priority=1).where(Incident.id == inc.id).execute()  # as a re-prioritisation would
    clock.advance(minutes=10)
    incidents.note(desk, "li", inc.id, text="now urgent")
    opened = _row(desk, inc.id).opened_at
    assert _row(desk, inc.id).due_at == opened + timedelta(minutes=240 + 60)  # P1, plus the hour held
    assert sla_views.incident_sla(desk, inc.id).spent == 70 * 60


def test_init_backfills_clocks_of_open_incidents(desk, clock):
    a = incidents.create(desk, "li", title="a", impact=1, urgency=1, service="desktop")
    b = incidents.create(desk, "li", title="b", impact=1, urgency=1)
    incidents.resolve(desk, "li", b.id, code="fixed", note="ok")
    right = _row(desk, a.id).due_at
    SlaClock.delete().execute()
    Incident.update(due_at=datetime(2000, 1, 1)).where(Incident.id == a.id).execute()
    setup.init_database(desk)
    assert _row(desk, a.id).due_at == right and _clock(a.id) is not None and _clock(b.id) is None


def test_creation_and_transitions_go_through_the_kind_clock(desk):
    assert incidents.KIND.clock is incidents.CLOCK
    assert records.Kind("x", Incident).clock is None


def test_a_catalogue_service_versions_targets_and_calendar_set_the_due_time(desk, clock):
    """branch-terminal (config/catalogue.toml): priority 1 resolves in 120 minutes (the default is
    240) on the 'extended' calendar (08:00-20:00 daily in Shanghai, with the holidays)."""
    inc = incidents.create(desk, "li", title="counter 3 dead", impact=1, urgency=1, service="branch-terminal")
    cal = desk.config.sla.calendar("extended")
    assert _row(desk, inc.id).due_at == cal.add(clock.now, 120 * 60)
    assert sla_views.incident_sla(desk, inc.id).calendar == "extended"
