"""Change freezes at their edges (issue 19): the freeze named in the reader's language, the
earliest of two a window spans whatever the config's order, a freeze written with a UTC offset,
the refusal's end time, and every day of the calendar's week a freeze touches."""

from datetime import date, datetime, timedelta, timezone

import pytest

from desk.domain import change_freeze as fz
from desk.domain.errors import ValidationError

XMAS = {"code": "xmas", "en": "Christmas", "zh": "圣诞", "start": date(2026, 12, 24), "end": date(2026, 12, 26)}
YEAR_END = {"code": "year-end", "en": "Year-end closing", "zh": "年终结算", "start": date(2026, 12, 28),
            "end": date(2027, 1, 3)}
SPANNING = (datetime(2026, 12, 25, 22), datetime(2026, 12, 28, 2))  # from Christmas into the year-end


def test_a_freeze_is_named_in_the_readers_language():
    freeze = fz.from_config([YEAR_END])[0]
    assert (freeze.label("en"), freeze.label("zh")) == ("Year-end closing", "年终结算")


def test_the_refusal_gives_the_freezes_start_and_end():
    with pytest.raises(ValidationError) as err:
        fz.check(fz.from_config([YEAR_END]), "normal", datetime(2026, 12, 30, 22), datetime(2026, 12, 30, 23))
    assert "2026-12-28 00:00" in err.value.message("en") and "2027-01-04 00:00" in err.value.message("en")


@pytest.mark.parametrize("order", [[XMAS, YEAR_END], [YEAR_END, XMAS]])
def test_a_window_over_two_freezes_meets_the_earliest_whatever_the_configs_order(order):
    freezes = fz.from_config(order)
    with pytest.raises(ValidationError) as err:
        fz.check(freezes, "normal", *SPANNING)
    assert "Christmas" in err.value.message("en") and "Year-end" not in err.value.message("en")
    assert fz.check(freezes, "emergency", *SPANNING) == {"_recorded": {"freeze": [None, "xmas"]}}
    assert fz.overlapping(freezes, *SPANNING).code == "xmas"


def test_a_freeze_written_with_a_utc_offset_is_read_as_the_desks_local_time():
    shanghai = timezone(timedelta(hours=8))
    entry = {**YEAR_END, "start": datetime(2026, 12, 28, 8, tzinfo=shanghai),
             "end": datetime(2027, 1, 3, 18, tzinfo=shanghai)}
    freeze = fz.from_config([entry])[0]
    assert (freeze.start, freeze.end) == (datetime(2026, 12, 28, 8), datetime(2027, 1, 3, 18))
    with pytest.raises(ValidationError):  # compared with the change's local window, not a crash
        fz.check([freeze], "normal", datetime(2026, 12, 28, 9), datetime(2026, 12, 28, 10))
    assert fz.check([freeze], "normal", datetime(2026, 12, 28, 7), datetime(2026, 12, 28, 8)) == {}


def test_the_calendar_marks_a_day_a_freeze_covers_only_in_part_and_the_weeks_last_day():
    afternoon = {**XMAS, "start": datetime(2026, 12, 8, 14), "end": datetime(2026, 12, 8, 16)}
    sunday = {**YEAR_END, "start": date(2026, 12, 13), "end": date(2026, 12, 13)}
    days = fz.days_frozen(fz.from_config([afternoon, sunday]), date(2026, 12, 7))  # Monday to Sunday
    assert {day: freeze.code for day, freeze in days.items()} == {date(2026, 12, 8): "xmas",
                                                                  date(2026, 12, 13): "year-end"}
