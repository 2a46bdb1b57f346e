"""Edges of a report's SLA attainment (desk/services/report_sla.py) that a removed or inverted line
would let pass (issue 19; tools/mutants/services_report_sla.toml). October 2026 on the desk's
Asia/Shanghai calendar is 2026-09-30 16:00 -> 2026-10-31 16:00 UTC; priority 3 is due 1440 minutes
after opening on the default 24x7 calendar."""

from __future__ import annotations

from datetime import datetime, timedelta

from desk.services import incidents, report_sla

START, END = datetime(2026, 9, 30, 16, 0), datetime(2026, 10, 31, 16, 0)


def _p3(desk, clock, when: datetime) -> int:
    clock.now = when
    return incidents.create(desk, "li", title=f"opened {when}", impact=3, urgency=2).id


def test_an_incident_resolved_at_the_periods_first_instant_is_in_it(desk, clock):
    i = _p3(desk, clock, START - timedelta(hours=1))
    clock.now = START
    incidents.resolve(desk, "li", i, code="fixed", note="ok")
    assert report_sla.incidents(desk, START, END, now=END)["met"] == 1


def test_a_due_time_not_reached_when_the_report_is_made_is_not_past_due(desk, clock):
    _p3(desk, clock, datetime(2026, 10, 9, 2, 0))  # due 10 October 02:00
    found = report_sla.incidents(desk, START, END, now=datetime(2026, 10, 9, 12, 0))
    assert found["open_past_due"] == 0 and found["rows"] == []


def test_an_incident_resolved_before_the_period_but_due_in_it_has_no_row(desk, clock):
    i = _p3(desk, clock, datetime(2026, 9, 30, 10, 0))  # due 1 October 10:00 UTC, in October
    clock.now = datetime(2026, 9, 30, 12, 0)
    incidents.resolve(desk, "li", i, code="fixed", note="ok")  # in September
    assert report_sla.incidents(desk, START, END, now=END)["rows"] == []

