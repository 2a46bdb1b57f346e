"""Properties of the SLA engine (hypothesis): business time never decreases, paused time never
counts, the answer does not depend on how often or when the clock is evaluated, and
re-targeting keeps the time spent whatever order the changes come in."""

from __future__ import annotations

from datetime import datetime, timedelta
from itertools import permutations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from desk.config import load_config
from desk.domain.sla_calendar import Calendar, parse_hours, zone
from desk.domain.sla_clock import BREACHED, MET, ClockInput, Pause, evaluate, merged, spent, targets_for
from desk.domain.sla import Targets

SLA = load_config().sla
SHANGHAI = zone("Asia/Shanghai")
FIXED = [SLA.calendar("24x7"), SLA.calendar("business"), SLA.calendar("extended"),
         Calendar("berlin", zone("Europe/Berlin"), parse_hours("08:00-12:00,13:00-17:00 Mon-Sat"))]

LO, HI = datetime(2025, 12, 20), datetime(2027, 12, 20)
instants = st.integers(0, int((HI - LO).total_seconds()) // 60).map(lambda m: LO + timedelta(minutes=m))
spans = st.tuples(st.integers(0, 1439), st.integers(1, 600)).map(lambda p: (p[0], min(1440, p[0] + p[1])))


@st.composite
def calendars(draw):
    if draw(st.booleans()):
        return draw(st.sampled_from(FIXED))
    days = draw(st.lists(st.booleans(), min_size=7, max_size=7).filter(any))
    start, end = draw(spans)
    week = tuple(((start, end),) if on else () for on in days)
    off = frozenset(draw(st.lists(instants.map(lambda i: i.date()), max_size=6)))
    return Calendar("drawn", SHANGHAI, week, off)


@st.composite
def ledgers(draw, start):
    """Pauses after `start`, in order, not overlapping; the last may still be open."""
    out, cursor = [], start
    for _ in range(draw(st.integers(0, 4))):
        lo = cursor + timedelta(minutes=draw(st.integers(0, 5000)))
        if draw(st.integers(0, 5)) == 0:
            out.append(Pause(lo, None, "caller"))
            break
        hi = lo + timedelta(minutes=draw(st.integers(1, 5000)))
        out.append(Pause(lo, hi, "vendor"))
        cursor = hi
    return tuple(out)


@st.composite
def clocks(draw):
    start = draw(instants)
    return ClockInput(start, None, draw(ledgers(start)))


FAST = settings(max_examples=100, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FAST
@given(calendars(), instants, instants, instants)
def test_business_time_adds_up_and_matches_the_day_by_day_sum(cal, a, b, c):
    a, b, c = sorted((a, b, c))
    assert cal.seconds(a, c) == cal.seconds(a, b) + cal.seconds(b, c)
    day = cal.local_date(a) - timedelta(days=1)
    assert cal.seconds(a, c) == cal._clipped(day, cal.local_date(c) + timedelta(days=2), a, c)


@FAST
@given(calendars(), instants, st.integers(0, 60 * 24 * 40))
def test_adding_business_time_is_the_inverse_of_measuring_it(cal, start, minutes):
    end = cal.add(start, minutes * 60)
    if end is not None:
        assert cal.seconds(start, end) == minutes * 60
        # and it is the first such instant: a minute earlier falls short
        if minutes:
            assert cal.seconds(start, end - timedelta(minutes=1)) < minutes * 60


@FAST
@given(calendars(), clocks(), instants, instants)
def test_elapsed_business_time_never_decreases(cal, clock, t1, t2):
    t1, t2 = sorted((t1, t2))
    assert spent(cal, clock, t1)[0] <= spent(cal, clock, t2)[0]


@FAST
@given(calendars(), clocks(), instants)
def test_paused_time_never_counts(cal, clock, now):
    counted, paused = spent(cal, clock, now)
    assert counted + paused == cal.seconds(clock.started, now)
    for lo, hi in merged(clock.pauses, clock.started, now):
        # Anywhere inside a pause the count stands where it stood when the pause began.
        mid = lo + (hi - lo) / 2
        assert spent(cal, clock, mid)[0] == spent(cal, clock, lo)[0]


@FAST
@given(calendars(), clocks(), st.lists(instants, min_size=1, max_size=6), st.integers(1, 60 * 60))
def test_the_state_does_not_depend_on_when_or_how_often_it_is_evaluated(cal, clock, times, minutes):
    """Evaluating at many moments, in any order, agrees with the due time evaluated once."""
    first = evaluate(cal, minutes, clock, clock.started)
    for now in times:
        state = evaluate(cal, minutes, clock, now)
        if state.due_at is not None and first.due_at is not None:
            assert state.due_at == first.due_at
        if now >= clock.started:
            breached = state.remaining < 0 or (state.due_at is not None and now > state.due_at)
            assert (state.state == BREACHED) == breached


@FAST
@given(calendars(), clocks(), instants, st.integers(1, 60 * 48))
def test_a_clock_stopped_after_its_due_time_is_breached_never_met(cal, clock, stop, minutes):
    stopped = clock._replace(stopped=max(stop, clock.started))
    state = evaluate(cal, minutes, stopped, stopped.stopped + timedelta(days=30))
    assert state.state in (MET, BREACHED)
    if state.due_at is not None:
        assert (state.state == MET) == (stopped.stopped <= state.due_at)
    if state.spent > minutes * 60:
        assert state.state == BREACHED


CHANGES = [("priority", 1), ("priority", 3), ("service", {"1": {"resolve": 30}, "3": {"resolve": 2000}}),
           ("service", None)]


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(calendars(), clocks(), instants, st.lists(st.sampled_from(range(len(CHANGES))), min_size=1, max_size=3,
                                                 unique=True))
def test_re_targeting_keeps_time_spent_whatever_the_order(cal, clock, now, picks):
    defaults = {"1": Targets(15, 240), "3": Targets(120, 1440)}
    results = set()
    for order in permutations(picks):
        priority, service = 2, None
        seen_spent = []
        for index in order:
            what, value = CHANGES[index]
            priority, service = (value, service) if what == "priority" else (priority, value)
            target = targets_for(priority, service, defaults.get(str(priority), Targets(30, 480)))
            seen_spent.append(evaluate(cal, target.resolve_minutes, clock, now).spent)
        assert len(set(seen_spent)) == 1  # a new target never changes the time already spent
        final = targets_for(priority, service, defaults.get(str(priority), Targets(30, 480)))
        results.add((priority, str(service), evaluate(cal, final.resolve_minutes, clock, now)))
    # Orders that end on the same priority and service end in the same state.
    by_final = {}
    for priority, service, state in results:
        by_final.setdefault((priority, service), set()).add(state)
    assert all(len(states) == 1 for states in by_final.values())
