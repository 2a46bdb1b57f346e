"""Each rule of the SLA engine (desk/domain/sla_calendar.py, desk/domain/sla_clock.py) fails a test
when it is removed or inverted (issue 19; tools/mutants/domain_sla_calendar.toml and
domain_sla_clock.toml): hours specs at their edges, holiday sets, and the pause ledger, time spent
and states at the instants where they change."""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone

import pytest

from desk.domain.errors import ValidationError
from desk.domain.sla import Targets
from desk.domain.sla_calendar import Calendar, CalendarError, build_calendars, holiday_dates, parse_hours
from desk.domain.sla_clock import (
    BREACHED, PAUSED, RUNNING, WARNING, ClockInput, Pause, evaluate, format_business, is_paused, plan_resume,
    spent, targets_for,
)

T0 = datetime(2026, 12, 7, 10)  # a Monday, 10:00 UTC
ALWAYS = Calendar("24x7", timezone.utc, None)
H = 3600


# --- hours specs -------------------------------------------------------------------------------------

def test_two_spans_that_meet_do_not_overlap():
    assert parse_hours("08:00-12:00,12:00-18:00 daily")[0] == ((480, 720), (720, 1080))


@pytest.mark.parametrize("spec", ["09:00-09:00 daily", "09:60-18:00 daily", "09:00-17:60 daily"])
def test_an_empty_span_or_a_60th_minute_is_refused(spec):
    with pytest.raises(CalendarError):
        parse_hours(spec)


def test_a_day_range_includes_both_ends():
    week = parse_hours("09:00-18:00 Mon-Fri")
    assert [bool(day) for day in week] == [True] * 5 + [False] * 2


# --- holidays -------------------------------------------------------------------------------------------

def test_a_holiday_range_includes_its_last_day_and_runs_forwards():
    assert holiday_dates(["2026-10-01..2026-10-03"], "x") == {date(2026, 10, 1), date(2026, 10, 2), date(2026, 10, 3)}
    with pytest.raises(CalendarError):
        holiday_dates(["2026-10-03..2026-10-01"], "x")


def test_a_date_cannot_be_both_a_holiday_and_a_working_day():
    with pytest.raises(CalendarError, match="both a holiday and a working day"):
        build_calendars({"holidays": {"cn": {"off": ["2026-10-01"], "work": ["2026-10-01"]}}})


def test_a_calendar_naming_an_unknown_holiday_set_is_refused():
    with pytest.raises(CalendarError, match="no holiday set 'cn'"):
        build_calendars({"calendars": {"office": {"hours": "09:00-18:00 Mon-Fri", "holidays": "cn"}}})


def test_a_holiday_has_no_hours_and_a_make_up_day_a_working_day_s():
    cal = build_calendars({"holidays": {"cn": {"off": ["2026-12-07"], "work": ["2026-12-12"]}},
                           "calendars": {"office": {"hours": "09:00-18:00 Mon-Fri", "holidays": "cn"}}})["office"]
    assert cal.hours_on(date(2026, 12, 7)) == ()  # a Monday off
    assert cal.hours_on(date(2026, 12, 12)) == ((540, 1080),)  # a Saturday worked
    assert cal.hours_on(date(2026, 12, 13)) == ()


def test_adding_counts_from_the_start_not_from_the_start_of_its_span():
    office = Calendar("office", timezone.utc, parse_hours("09:00-18:00 daily"))
    assert office.add(T0, H) == T0 + timedelta(hours=1)  # 10:00 + 1 h = 11:00, not 09:00 + 1 h
    assert office.add(datetime(2026, 12, 7, 17, 30), H) == datetime(2026, 12, 8, 9, 30)


# --- the pause ledger and time spent ------------------------------------------------------------------

def test_a_pause_counts_only_within_the_clock_s_life():
    before = ClockInput(T0, None, (Pause(T0 - timedelta(hours=1), T0 + timedelta(hours=1)),))
    assert spent(ALWAYS, before, T0 + timedelta(hours=3)) == (2 * H, 1 * H)
    after = ClockInput(T0, T0 + timedelta(hours=2), (Pause(T0 + timedelta(hours=1)),))
    assert spent(ALWAYS, after, T0 + timedelta(hours=5)) == (1 * H, 1 * H)


def test_overlapping_pauses_count_once():
    clock = ClockInput(T0, None, (Pause(T0 + timedelta(hours=1), T0 + timedelta(hours=3)),
                                  Pause(T0 + timedelta(hours=2), T0 + timedelta(hours=4))))
    assert spent(ALWAYS, clock, T0 + timedelta(hours=6)) == (3 * H, 3 * H)


def test_a_stopped_clock_counts_no_more():
    assert spent(ALWAYS, ClockInput(T0, T0 + timedelta(hours=1)), T0 + timedelta(hours=5)) == (H, 0)


def test_a_pause_that_ended_now_no_longer_pauses():
    pause = Pause(T0, T0 + timedelta(hours=1))
    assert is_paused([pause], T0 + timedelta(minutes=59)) and not is_paused([pause], T0 + timedelta(hours=1))


def test_a_pause_never_ends_before_it_started():
    assert plan_resume((Pause(T0),), T0 - timedelta(minutes=5)).end == T0
    with pytest.raises(ValidationError):
        plan_resume((Pause(T0, T0 + timedelta(hours=1)),), T0 + timedelta(hours=2))


# --- states at their edges ----------------------------------------------------------------------------

def test_a_clock_breaches_after_its_due_instant_not_at_it():
    clock = ClockInput(T0)
    at_due = evaluate(ALWAYS, 60, clock, T0 + timedelta(hours=1))
    assert at_due.due_at == T0 + timedelta(hours=1) and at_due.state == WARNING
    assert evaluate(ALWAYS, 60, clock, T0 + timedelta(hours=1, seconds=1)).state == BREACHED


def test_the_warning_starts_at_exactly_its_share():
    clock = ClockInput(T0)
    assert evaluate(ALWAYS, 60, clock, T0 + timedelta(minutes=45), warning=0.75).state == WARNING
    assert evaluate(ALWAYS, 60, clock, T0 + timedelta(minutes=44, seconds=59), warning=0.75).state == RUNNING


def test_a_paused_clock_shows_paused():
    clock = ClockInput(T0, None, (Pause(T0 + timedelta(minutes=10)),))
    assert evaluate(ALWAYS, 60, clock, T0 + timedelta(minutes=20)).state == PAUSED


def test_a_service_s_targets_override_the_priority_s_defaults():
    defaults = Targets(30, 240)
    assert targets_for(1, {"1": {"response": 10, "resolve": 100}}, defaults) == Targets(10, 100)
    assert targets_for(2, {"1": {"response": 10, "resolve": 100}}, defaults) == defaults


@pytest.mark.parametrize("seconds,shown", [(3599, "59m"), (3600, "1h00"), (86399, "23h59"), (86400, "1d00")])
def test_business_time_is_shown_in_the_next_unit_at_exactly_one_of_it(seconds, shown):
    assert format_business(seconds) == shown
