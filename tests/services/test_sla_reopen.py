"""A reopened incident's SLA clock (issue 15), on SQLite and PostgreSQL: with the shipped
`[sla] reopen_gap = "paused"` the time it stood resolved is a ledger row and its due time moves
by it; with "counted" it is not, and the due time stays."""

from __future__ import annotations

from datetime import timedelta

from desk.models import Incident, SlaClock
from desk.services import incidents, sla, sla_views


def _resolved_then_reopened(desk, clock):
    inc = incidents.create(desk, "li", title="vpn drops", impact=1, urgency=1)  # 24x7, priority 1: 240 min
    due = Incident.get_by_id(inc.id).due_at
    clock.advance(minutes=60)
    incidents.resolve(desk, "li", inc.id, code="fixed", note="restarted the tunnel")
    resolved_at = clock.now
    assert SlaClock.get_or_none(SlaClock.entity_id == inc.id) is None
    clock.advance(minutes=120)
    incidents.reopen(desk, "li", inc.id, reason="drops again")
    return inc, due, resolved_at


def test_the_time_it_stood_resolved_is_a_pause_by_default(desk, clock):
    assert desk.config.sla.reopen_gap == "paused"
    inc, due, resolved_at = _resolved_then_reopened(desk, clock)
    assert Incident.get_by_id(inc.id).due_at == due + timedelta(minutes=120)
    (gap,) = sla.ledger(desk, "incident", inc.id)
    assert (gap.reason, gap.started_at, gap.ended_at) == ("resolved", resolved_at, clock.now)
    assert gap.ended_by.login == "li"
    view = sla_views.incident_sla(desk, inc.id)
    assert view.state == "running" and view.spent == 60 * 60 and view.paused == 120 * 60
    assert SlaClock.get(SlaClock.entity_id == inc.id).due_at == due + timedelta(minutes=120)


def test_counted_the_gap_runs_on_the_clock(desk, clock, monkeypatch):
    monkeypatch.setattr(desk.config.sla, "reopen_gap", "counted")
    inc, due, _ = _resolved_then_reopened(desk, clock)
    assert Incident.get_by_id(inc.id).due_at == due
    assert sla.ledger(desk, "incident", inc.id) == []
    assert sla_views.incident_sla(desk, inc.id).spent == 180 * 60
