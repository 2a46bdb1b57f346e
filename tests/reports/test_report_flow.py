"""Report periods, due dates on working days, and the report list entry's own checks (pure rules)."""

from datetime import datetime

import pytest

from desk.domain import report_flow as flow
from desk.domain.errors import ValidationError


@pytest.mark.parametrize("kind,text,start,end", [
    ("monthly", "2026-10", datetime(2026, 10, 1), datetime(2026, 11, 1)),
    ("monthly", "2026-12", datetime(2026, 12, 1), datetime(2027, 1, 1)),
    ("weekly", "2026-W44", datetime(2026, 10, 26), datetime(2026, 11, 2)),
    ("weekly", "2026-W01", datetime(2025, 12, 29), datetime(2026, 1, 5)),
    ("quarterly", "2026-Q4", datetime(2026, 10, 1), datetime(2027, 1, 1)),
    ("quarterly", "2026-Q1", datetime(2026, 1, 1), datetime(2026, 4, 1)),
])
def test_periods(kind, text, start, end):
    period = flow.parse_period(kind, text)
    assert (period.key, period.start, period.end) == (text, start, end)


def test_the_previous_period():
    assert flow.parse_period("monthly", "2026-01").previous().key == "2025-12"
    assert flow.parse_period("weekly", "2026-W01").previous().key == "2025-W52"
    assert flow.parse_period("quarterly", "2026-Q1").previous().key == "2025-Q4"


@pytest.mark.parametrize("kind,text", [("monthly", "2026-13"), ("monthly", "October"), ("weekly", "2026-10"),
                                       ("quarterly", "2026-Q5"), ("monthly", ""), ("daily", "2026-10-01")])
def test_bad_periods_are_refused(kind, text):
    with pytest.raises(ValidationError):
        flow.parse_period(kind, text)


def test_due_dates_count_working_days_after_the_period():
    # October 2026 ends on Saturday the 31st: Mon 2 .. Fri 6 November are the 5 working days
    assert flow.due_after(datetime(2026, 11, 1), 5) == datetime(2026, 11, 7)
    assert flow.due_after(datetime(2026, 11, 1), 1) == datetime(2026, 11, 3)
    assert flow.due_after(datetime(2026, 11, 1), 6) == datetime(2026, 11, 10)  # over the weekend
    assert flow.due_after(datetime(2026, 11, 1), 0) == datetime(2026, 11, 1)
    holiday = datetime(2026, 11, 2).date()
    assert flow.due_after(datetime(2026, 11, 1), 1, lambda d: d.weekday() < 5 and d != holiday) == datetime(2026, 11, 4)


def test_the_entry_checks():
    good = {"en": "a", "zh": "b", "audience": "customer", "basis": "sla", "period": "monthly", "sections": ["sla"]}
    assert flow.spec_problems(good) == []
    assert [f for f, _ in flow.spec_problems({**good, "colour": "red"})] == ["colour"]
    assert [f for f, _ in flow.spec_problems({k: v for k, v in good.items() if k != "period"})] == ["period"]
    assert [f for f, _ in flow.spec_problems({**good, "audience": "aliens"})] == ["audience"]
    assert [f for f, _ in flow.spec_problems({**good, "writer": "w", "confirmer": "w"})] == ["confirmer"]
    assert flow.normalised(good)["due_days"] == 5
