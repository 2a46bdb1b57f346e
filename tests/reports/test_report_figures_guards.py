"""The incident figures' conditions at their edges (issue 19): the hand-worked October of
test_report_figures counted from the rows (as a period that has not ended is) gives what the per-day
summary gives; an incident resolved exactly at its due time is in time; one reopened and not
resolved again counts towards the reopen rate; what happens at the period's end instant belongs to
the next period, except the backlog, which still holds an incident resolved at that instant."""

from __future__ import annotations

from datetime import datetime

from desk.domain import report_flow as flow
from desk.services import incidents, report_figures, reports

from .test_report_figures import at, october  # noqa: F401  (the fixture)

OCT = flow.parse_period("monthly", "2026-10")
SEP = flow.parse_period("monthly", "2026-09")


def _rows_and_summary(desk, period):
    now = desk.now()
    start, end = reports.bounds(desk, period)
    summed = report_figures.headline(desk, start, end, now, days=reports.summary_span(desk, period, now))
    return report_figures.headline(desk, start, end, now), summed


def test_october_counted_from_the_rows_is_what_the_summary_says(october):
    for period in (OCT, SEP):
        counted, summed = _rows_and_summary(october, period)
        assert counted == summed, period.key
    counted, _ = _rows_and_summary(october, OCT)
    assert (counted["opened"], counted["resolved"], counted["first_call_resolved"],
            counted["not_resolved_in_time"]) == (6, 4, 1, 2)


def test_resolved_at_its_due_time_is_in_time_and_a_reopening_left_open_counts_in_the_rate(desk, clock):
    at(clock, "2026-10-05 01:00")
    on_time = incidents.create(desk, "li", title="on time", impact=1, urgency=1).id
    reopened = incidents.create(desk, "li", title="came back", impact=3, urgency=3).id
    at(clock, "2026-10-05 02:00")
    incidents.resolve(desk, "li", reopened, code="fixed", note="restarted")
    incidents.reopen(desk, "li", reopened, reason="still broken")  # open at the end of October
    clock.now = incidents.get(desk, on_time).due_at
    incidents.resolve(desk, "li", on_time, code="fixed", note="just in time")
    at(clock, "2026-11-10 09:00")
    for figures in _rows_and_summary(desk, OCT):
        assert figures["not_resolved_in_time"] == 1  # the one still open past its due time, not the other
        assert (figures["reopen_rate"], figures["reopenings"]) == (0.5, 1)  # 1 reopened of 2 ever resolved


def test_the_period_end_instant_belongs_to_the_next_period_but_the_backlog_holds_it(desk, clock):
    at(clock, "2026-10-31 15:00")  # October ends at 16:00 UTC (Shanghai)
    late = incidents.create(desk, "li", title="late", impact=3, urgency=3).id
    at(clock, "2026-10-31 16:00")
    incidents.resolve(desk, "li", late, code="fixed", note="at the end")
    at(clock, "2026-11-03 09:00")
    for figures in _rows_and_summary(desk, OCT):
        assert (figures["resolved"], figures["resolutions"], figures["backlog"]) == (0, 0, 1)
    assert datetime(2026, 10, 31, 16) == reports.bounds(desk, OCT)[1]


def test_a_first_call_resolution_is_the_desks_without_any_escalation(desk, clock):
    at(clock, "2026-10-12 01:00")
    to_managers = incidents.create(desk, "li", title="branch offline", impact=3, urgency=3).id
    at(clock, "2026-10-12 01:10")
    incidents.escalate(desk, "lead", to_managers, hierarchical=True, reason="VIP branch")
    at(clock, "2026-10-12 01:30")
    incidents.resolve(desk, "li", to_managers, code="fixed", note="router restarted")
    at(clock, "2026-10-12 02:00")
    # raised straight into the network team: never at the desk, never escalated
    handed = incidents.create(desk, "li", title="switch port dead", impact=3, urgency=3, group="network").id
    at(clock, "2026-10-12 02:30")
    incidents.resolve(desk, "wang", handed, code="fixed", note="port enabled")
    at(clock, "2026-10-12 03:00")
    at_once = incidents.create(desk, "li", title="password reset", impact=3, urgency=3).id
    at(clock, "2026-10-12 03:05")
    incidents.resolve(desk, "li", at_once, code="fixed", note="reset")
    at(clock, "2026-10-12 04:00")  # October not over: counted from the rows
    counted = report_figures.headline(desk, *reports.bounds(desk, OCT))
    assert (counted["resolved"], counted["first_call_resolved"]) == (3, 1)
    at(clock, "2026-11-10 09:00")
    for figures in _rows_and_summary(desk, OCT):
        assert (figures["resolved"], figures["first_call_resolved"]) == (3, 1)
