"""What a user reads of a ticket's SLA (desk/services/sla_views.py) that a removed or inverted line
would let pass (issue 19; tools/mutants/services_sla_views.toml): a list row's clock from its
stored due time, at each of its edges, and who the pause ledger says held and resumed a clock."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from desk.db import write_transaction
from desk.domain import sla_clock
from desk.services import catalogue, catalogue_load, incidents, sla_hold, sla_terms, sla_views

OPEN = frozenset({"new", "assigned", "in_progress"})
T0 = datetime(2026, 12, 7, 9, 0)
DUE = T0 + timedelta(minutes=240)  # priority 1: 240 minutes, the default calendar (24x7)


def row(desk, *, status="in_progress", priority=1, due_at=DUE, resolved_at=None, now=T0):
    got = sla_terms.Terms({}, desk.config.sla.calendar())
    return sla_views.clock_of(desk.config, got, status=status, priority=priority, due_at=due_at,
                              resolved_at=resolved_at, open_statuses=OPEN, now=now)


def test_a_priority_without_a_target_has_no_clock(desk):
    assert row(desk, priority=99).state == sla_clock.NONE


@pytest.mark.parametrize("resolved_after, state, remaining", [
    (0, sla_clock.MET, 0),  # resolved at its due time: met
    (1, sla_clock.BREACHED, -60),
    (-30, sla_clock.MET, 1800),
])
def test_a_resolved_row_met_its_target_up_to_its_due_time(desk, resolved_after, state, remaining):
    got = row(desk, resolved_at=DUE + timedelta(minutes=resolved_after), now=DUE + timedelta(days=1))
    assert (got.state, got.remaining) == (state, remaining)


def test_a_row_resolved_while_held_met_its_target(desk):
    assert row(desk, due_at=None, resolved_at=T0).state == sla_clock.MET


def test_an_open_row_without_a_due_time_is_held_a_closed_one_has_no_clock(desk):
    assert row(desk, due_at=None).state == sla_clock.PAUSED
    assert row(desk, status="closed", due_at=None).state == sla_clock.NONE  # closed unresolved (cancelled)


@pytest.mark.parametrize("left, state, remaining", [
    (61, sla_clock.RUNNING, 61 * 60),
    (60, sla_clock.WARNING, 60 * 60),  # 75 % of 240 minutes spent: warned from here
    (0, sla_clock.WARNING, 0),  # at its due time: not breached yet
    (-1, sla_clock.BREACHED, -60),
])
def test_an_open_row_warns_from_its_warning_share_and_breaches_after_its_due_time(desk, left, state, remaining):
    got = row(desk, now=DUE - timedelta(minutes=left))
    assert (got.state, got.remaining) == (state, remaining)


def test_a_rows_clock_runs_on_the_hours_of_the_version_it_was_raised_under(desk, clock):
    """The wallboard's lists: a ticket raised under a later version of office hours counts the time
    it has left on them, not on its service's first version's (around the clock)."""
    entry = {**catalogue.service_version(desk, "email").entry, "code": "payroll", "name_en": "Payroll",
             "name_zh": "薪资"}
    with write_transaction(desk.db):
        for hours in ("24x7", "business"):
            catalogue_load.write_version(desk, {**entry, "hours": hours}, actor_id=None, now=clock())
    raised_under = catalogue.service_version(desk, "payroll")
    assert raised_under.number == 2
    now = datetime(2026, 11, 2, 9, 0)  # Monday 17:00 in Shanghai, an hour before the office closes
    got = sla_views.row_clock(desk, status="in_progress", priority=3, service_id=raised_under.service_id,
                              due_at=now + timedelta(hours=24), resolved_at=None, open_statuses=OPEN, now=now,
                              version_id=raised_under.id)
    assert got.remaining == 9 * 3600  # Monday's last hour and Tuesday 09:00-17:00, not 24 hours


def test_the_ledger_names_who_held_and_who_resumed_the_clock(desk, clock):
    inc = incidents.create(desk, "li", title="vpn", impact=1, urgency=1)
    sla_hold.hold_incident(desk, "li", inc.id, reason="vendor")
    clock.advance(minutes=10)
    sla_hold.resume_incident(desk, "lead", inc.id)
    (entry,) = sla_views.incident_sla(desk, inc.id).ledger
    assert (entry.started_by, entry.ended_by, entry.business_seconds) == ("li", "lead", 600)
