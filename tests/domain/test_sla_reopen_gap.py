"""A reopened ticket's clock (hypothesis): with `[sla] reopen_gap = "paused"` (the shipped choice)
the time it stood resolved never counts — the clock resumes where it stopped at the resolution —
and with "counted" it counts as if the ticket had never been resolved. Either way business time
never decreases while the reopened clock runs."""

from __future__ import annotations

from datetime import datetime, timedelta

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desk.config import load_config
from desk.domain.sla_clock import (REOPEN_COUNTED, REOPEN_PAUSED, RESOLVED_REASON, ClockInput, Pause, evaluate,
                                   reopen_gap, spent)

SLA = load_config().sla
CALENDARS = [SLA.calendar("24x7"), SLA.calendar("business"), SLA.calendar("extended")]
START = datetime(2026, 12, 20)
minutes = st.integers(0, 60 * 24 * 20).map(lambda m: timedelta(minutes=m))


def _timeline(draw):
    cal = draw(st.sampled_from(CALENDARS))
    opened = START + draw(minutes)
    resolved = opened + draw(minutes)
    reopened = resolved + draw(minutes)
    return cal, opened, resolved, reopened


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.data())
def test_a_paused_gap_never_counts_and_the_clock_resumes_where_it_stopped(data):
    cal, opened, resolved, reopened = _timeline(data.draw)
    later = sorted(reopened + data.draw(minutes) for _ in range(3))
    before, _ = spent(cal, ClockInput(opened, resolved), resolved)
    gap = reopen_gap(REOPEN_PAUSED, resolved, reopened)
    pauses = (gap,) if gap else ()
    assert gap is None or (gap.start, gap.end, gap.reason) == (resolved, reopened, RESOLVED_REASON)
    counted = [spent(cal, ClockInput(opened, None, pauses), now)[0] for now in later]
    for now, got in zip(later, counted):
        assert got == before + cal.seconds(reopened, now)  # the resolved time is not in it
    assert counted == sorted(counted)  # never decreases
    state = evaluate(cal, 240, ClockInput(opened, None, pauses), later[-1])
    assert state.paused == cal.seconds(resolved, reopened)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow], deadline=None)
@given(st.data())
def test_a_counted_gap_counts_as_if_never_resolved(data):
    cal, opened, resolved, reopened = _timeline(data.draw)
    now = reopened + data.draw(minutes)
    assert reopen_gap(REOPEN_COUNTED, resolved, reopened) is None
    assert spent(cal, ClockInput(opened, None, ()), now)[0] == cal.seconds(opened, now)


def test_no_gap_without_a_resolution_or_when_reopened_at_once():
    at = datetime(2026, 12, 21, 10)
    assert reopen_gap(REOPEN_PAUSED, None, at) is None
    assert reopen_gap(REOPEN_PAUSED, at, at) is None
    assert reopen_gap(REOPEN_PAUSED, at, at + timedelta(hours=2)) == Pause(at, at + timedelta(hours=2),
                                                                           RESOLVED_REASON)
