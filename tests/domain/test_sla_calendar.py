"""Business-time cases worked out by hand on the shipped mainland-China calendar (Asia/Shanghai,
UTC+8; 'business' = 09:00–18:00 Mon–Fri with the holidays and make-up days of config/sla.toml)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from desk.config import load_config
from desk.domain.sla_calendar import Calendar, CalendarError, parse_hours
from desk.domain.sla_clock import (
    BREACHED, MET, PAUSED, RUNNING, WARNING, ClockInput, Pause, evaluate, plan_hold, plan_resume, targets_for,
)
from desk.domain.errors import ValidationError
from desk.domain.sla import Targets

H = 60  # minutes in an hour


def local(y, m, d, hh=0, mm=0) -> datetime:
    """A Shanghai wall-clock time as the naive UTC instant the database stores."""
    return datetime(y, m, d, hh, mm) - timedelta(hours=8)


@pytest.fixture(scope="module")
def sla():
    return load_config().sla


@pytest.fixture(scope="module")
def business(sla):
    return sla.calendar("business")


def due(cal, opened, minutes, pauses=()):
    return evaluate(cal, minutes, ClockInput(opened, None, tuple(pauses)), opened).due_at


def test_friday_1730_with_four_business_hours_is_due_monday_1230(business):
    # 2026-12-04 is a Friday: 30 min on Friday, then 3h30 from Monday 09:00.
    assert due(business, local(2026, 12, 4, 17, 30), 4 * H) == local(2026, 12, 7, 12, 30)


def test_across_the_national_day_holiday(business):
    # Wednesday 30 Sep 16:00: 2h that day; 1–7 Oct are off; Thursday 8 Oct from 09:00, 2h more.
    assert due(business, local(2026, 9, 30, 16), 4 * H) == local(2026, 10, 8, 11)


def test_make_up_saturday_is_a_working_day(business):
    # Friday 9 Oct 17:00: 1h; Saturday 10 Oct is a make-up working day (调休): 3h more from 09:00.
    assert due(business, local(2026, 10, 9, 17), 4 * H) == local(2026, 10, 10, 12)
    # An ordinary Saturday is not: Friday 16 Oct 17:00 runs on to Monday 19 Oct.
    assert due(business, local(2026, 10, 16, 17), 4 * H) == local(2026, 10, 19, 12)


def test_make_up_sunday_after_new_year_2026(business):
    # Wed 31 Dec 2025 17:00: 1h; 1–3 Jan 2026 off; Sunday 4 Jan is worked.
    assert due(business, local(2025, 12, 31, 17), 4 * H) == local(2026, 1, 4, 12)


def test_across_the_turn_of_the_year(business):
    # Thursday 31 Dec 2026 16:00: 2h; 1 Jan 2027 (Fri) off, then the weekend; Monday 4 Jan 11:00.
    assert due(business, local(2026, 12, 31, 16), 4 * H) == local(2027, 1, 4, 11)


def test_spring_festival_2026_is_nine_days_off_with_two_make_up_saturdays(business):
    off = [date(2026, 2, 15) + timedelta(days=i) for i in range(9)]
    assert all(business.hours_on(d) == () for d in off)
    assert business.hours_on(date(2026, 2, 14)) and business.hours_on(date(2026, 2, 28))


def test_paused_over_a_weekend(sla, business):
    # 24x7: opened Friday 4 Dec 10:00 with 8h; paused 12:00 Friday to 09:00 Monday (waiting for the
    # caller). 2h before, 6h after: due Monday 15:00, and the weekend counts nowhere.
    cal = sla.calendar("24x7")
    hold = Pause(local(2026, 12, 4, 12), local(2026, 12, 7, 9), "caller")
    opened = local(2026, 12, 4, 10)
    assert due(cal, opened, 8 * H, [hold]) == local(2026, 12, 7, 15)
    state = evaluate(cal, 8 * H, ClockInput(opened, None, (hold,)), local(2026, 12, 7, 10))
    assert state.spent == 3 * 3600 and state.paused == 69 * 3600 and state.state == RUNNING
    # On business hours the same pause covers Friday 12:00–18:00: 6 business hours paused.
    state = evaluate(business, 8 * H, ClockInput(opened, None, (hold,)), local(2026, 12, 7, 10))
    assert state.spent == 3 * 3600 and state.paused == 6 * 3600


def test_while_paused_the_clock_shows_paused_and_stands_still(business):
    opened = local(2026, 12, 7, 9)
    hold = Pause(local(2026, 12, 7, 10), None, "vendor")
    clock = ClockInput(opened, None, (hold,))
    at_11 = evaluate(business, 4 * H, clock, local(2026, 12, 7, 11))
    at_17 = evaluate(business, 4 * H, clock, local(2026, 12, 7, 17))
    assert at_11.state == at_17.state == PAUSED
    assert at_11.spent == at_17.spent == 3600 and at_17.due_at is None


def test_re_prioritised_half_way_keeps_the_time_spent(sla, business):
    # Monday 7 Dec 09:00, priority 3 (8 business hours); at 13:00 (4h spent) it becomes priority 1.
    opened = local(2026, 12, 7, 9)
    clock = ClockInput(opened)
    now = local(2026, 12, 7, 13)
    before = evaluate(business, 8 * H, clock, now)
    assert before.state == RUNNING and before.remaining == 4 * 3600
    after_p2 = evaluate(business, 5 * H, clock, now)   # 5h: 4h spent, 80 % ≥ 75 % → warning
    assert after_p2.state == WARNING and after_p2.due_at == local(2026, 12, 7, 14)
    after_p1 = evaluate(business, 2 * H, clock, now)   # 2h: breached two hours ago
    assert after_p1.state == BREACHED and after_p1.remaining == -2 * 3600
    assert after_p1.due_at == local(2026, 12, 7, 11) and after_p1.spent == before.spent


def test_resolved_after_the_target_is_not_met(business):
    """Issue 19: a ticket resolved late has BREACHED its target, whenever it is looked at."""
    opened = local(2026, 12, 7, 9)
    late = ClockInput(opened, local(2026, 12, 7, 13, 1))
    on_time = ClockInput(opened, local(2026, 12, 7, 13))
    for now in (local(2026, 12, 7, 14), local(2027, 3, 1)):
        assert evaluate(business, 4 * H, late, now).state == BREACHED
        assert evaluate(business, 4 * H, on_time, now).state == MET


def test_warning_threshold_from_config(sla, business):
    assert sla.warning == 0.75
    opened = local(2026, 12, 7, 9)
    assert evaluate(business, 4 * H, ClockInput(opened), local(2026, 12, 7, 11, 59)).state == RUNNING
    assert evaluate(business, 4 * H, ClockInput(opened), local(2026, 12, 7, 12)).state == WARNING
    assert evaluate(business, 4 * H, ClockInput(opened), local(2026, 12, 7, 12)).warn_at == local(2026, 12, 7, 12)


def test_targets_fall_back_to_config_defaults(sla):
    assert sla.targets(1) == Targets(15, 240)
    assert sla.targets(1, {"1": {"response": 5, "resolve": 60}}) == Targets(5, 60)
    assert sla.targets(2, {"1": {"response": 5, "resolve": 60}}) == Targets(30, 480)
    assert sla.targets(1, {"1": {"resolve": 60}}) == Targets(15, 60)
    assert targets_for(9, None, None) is None


def test_service_hours_text_becomes_a_calendar_with_the_holidays(sla):
    cal = sla.calendar(hours="08:00-18:00 Mon-Fri")
    assert cal.hours_on(date(2026, 10, 1)) == () and cal.hours_on(date(2026, 10, 10)) == ((480, 1080),)
    assert sla.calendar("no such").name == "24x7" and sla.calendar(hours="whenever").name == "24x7"


def test_hold_and_resume_rules():
    now = datetime(2026, 12, 7, 3)
    hold = plan_hold((), now, "caller", ("caller", "vendor"))
    assert hold == Pause(now, None, "caller")
    with pytest.raises(ValidationError):
        plan_hold((hold,), now, "vendor", ("caller", "vendor"))
    with pytest.raises(ValidationError):
        plan_hold((), now, "lunch", ("caller", "vendor"))
    with pytest.raises(ValidationError):
        plan_resume((), now)
    assert plan_resume((hold,), now + timedelta(hours=1)).end == now + timedelta(hours=1)


@pytest.mark.parametrize("spec", ["9-18 Mon-Fri", "09:00-18:00", "18:00-09:00 daily", "09:00-18:00 Fri-Mon",
                                  "09:00-12:00,11:00-13:00 daily", "09:00-18:00 Someday"])
def test_bad_hours_are_refused(spec):
    with pytest.raises(CalendarError):
        parse_hours(spec)


def test_hours_specs():
    assert parse_hours("24x7") is None
    week = parse_hours("09:00-12:00,13:00-18:00 Mon,Wed")
    assert week[0] == week[2] == ((540, 720), (780, 1080)) and week[1] == ()


def test_older_spans_asked_later_count_as_on_a_fresh_calendar(sla):
    """The running sum of working days starts near the first span asked for and reaches back
    when an older one comes: every answer is what a calendar asked only that gives."""
    name = "business"
    spans = [(datetime(2026, 12, 1, 9), datetime(2026, 12, 20, 17)),  # recent first (the queue's top rows)
             (datetime(2026, 9, 1, 8), datetime(2026, 12, 3, 12)),  # 3 months back: reaches back
             (datetime(2025, 1, 2, 10), datetime(2026, 10, 1, 9)),  # two years back, again
             (datetime(2026, 11, 30, 9), datetime(2027, 2, 1, 9))]  # and forward past the sum's end
    shipped = sla.calendar(name)

    def new():
        return Calendar(name, shipped.tz, shipped.week, shipped.holidays, shipped.workdays)

    used = new()
    for start, end in spans:
        fresh = new()
        assert used.seconds(start, end) == fresh.seconds(start, end), (start, end)
        assert used.seconds(start, end) == used._clipped(used.local_date(start) - timedelta(days=1),
                                                         used.local_date(end) + timedelta(days=2), start, end)
