"""Change freezes: a window that overlaps one refuses any change but an emergency one, whose
history then records the freeze; the message names the freeze in the reader's language."""

from datetime import date, datetime, timedelta

import pytest

from desk.domain import change_freeze as fz
from desk.domain.errors import ValidationError

YEAR_END = fz.Freeze("year-end", "Year-end closing", "年终结算", datetime(2026, 12, 28), datetime(2027, 1, 4))


def test_a_window_touching_the_freeze_only_at_its_edges_is_not_frozen():
    assert fz.overlapping([YEAR_END], datetime(2026, 12, 27, 20), datetime(2026, 12, 28)) is None
    assert fz.overlapping([YEAR_END], datetime(2027, 1, 4), datetime(2027, 1, 4, 2)) is None
    assert fz.overlapping([YEAR_END], datetime(2026, 12, 27, 23), datetime(2026, 12, 28, 1)) == YEAR_END
    assert fz.overlapping([YEAR_END], datetime(2026, 12, 20), datetime(2027, 1, 10)) == YEAR_END  # spans it
    assert fz.overlapping([YEAR_END], None, None) is None


@pytest.mark.parametrize("kind", ["normal", "standard"])
def test_a_non_emergency_change_in_a_freeze_is_refused_naming_it(kind):
    with pytest.raises(ValidationError) as err:
        fz.check([YEAR_END], kind, datetime(2026, 12, 30, 22), datetime(2026, 12, 30, 23))
    assert "Year-end closing" in err.value.message("en") and "2026-12-28 00:00" in err.value.message("en")
    assert "年终结算" in err.value.message("zh")
    assert fz.check([YEAR_END], kind, datetime(2027, 1, 5, 22), datetime(2027, 1, 5, 23)) == {}


def test_an_emergency_change_in_a_freeze_goes_ahead_and_is_recorded():
    assert fz.check([YEAR_END], "emergency", datetime(2026, 12, 30, 22), datetime(2026, 12, 30, 23)) == {
        "_recorded": {"freeze": [None, "year-end"]}}


def test_a_date_end_covers_that_whole_day_and_the_calendar_marks_each_day():
    found = fz.from_config([{"code": "x", "en": "X", "zh": "X", "start": date(2026, 12, 10), "end": date(2026, 12, 11)}])
    assert (found[0].start, found[0].end) == (datetime(2026, 12, 10), datetime(2026, 12, 12))
    days = fz.days_frozen(found, date(2026, 12, 7))
    assert sorted(days) == [date(2026, 12, 10), date(2026, 12, 11)]
    assert fz.days_frozen(found, date(2026, 12, 7) + timedelta(days=7)) == {}


def test_a_freeze_that_lets_standard_changes_through_records_them_and_still_refuses_a_normal_one():
    window = (datetime(2026, 12, 30, 22), datetime(2026, 12, 30, 23))
    lenient = YEAR_END._replace(allow_standard=True)
    assert fz.check([lenient], "standard", *window) == {"_recorded": {"freeze": [None, "year-end"]}}
    with pytest.raises(ValidationError) as err:
        fz.check([lenient], "normal", *window)
    assert "only emergency and standard changes" in err.value.message("en") and "年终结算" in err.value.message("zh")
    with pytest.raises(ValidationError):  # the default: a standard change is refused like a normal one
        fz.check([YEAR_END], "standard", *window)


def test_a_window_over_two_freezes_is_refused_by_the_one_that_refuses_it():
    christmas = fz.Freeze("xmas", "Christmas", "圣诞", datetime(2026, 12, 24), datetime(2026, 12, 27), True)
    with pytest.raises(ValidationError) as err:
        fz.check([christmas, YEAR_END], "standard", datetime(2026, 12, 26), datetime(2026, 12, 29))
    assert "Year-end closing" in err.value.message("en")
    assert fz.check([christmas, YEAR_END], "standard", datetime(2026, 12, 25), datetime(2026, 12, 26)) == {
        "_recorded": {"freeze": [None, "xmas"]}}


def test_allow_standard_is_read_from_config_and_off_unless_true():
    entry = {"code": "x", "en": "X", "zh": "X", "start": date(2026, 12, 10), "end": date(2026, 12, 11)}
    assert fz.from_config([entry])[0].allow_standard is False
    assert fz.from_config([{**entry, "allow_standard": True}])[0].allow_standard is True
