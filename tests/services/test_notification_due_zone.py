"""A notification's due time reads in the desk's zone, as every other time on the same line does:
`desk notifications` printed "… at 2026-12-08 03:19 … (due 2026-12-07 19:19)", the due time in UTC
without saying so. JSON keeps UTC (no zone given)."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from desk.services.sla_tick import NotificationView, text


def _breach(due: str) -> NotificationView:
    return NotificationView(1, datetime(2026, 11, 2, 13, 31), "sla.breach", "incident", 7,
                            {"id": 7, "title": "VPN drops", "due": due}, False)


def test_the_due_time_is_said_in_the_desk_s_zone():
    n = _breach("2026-11-02T13:30:00")
    assert "(due 2026-11-02 21:30)" in text(n, "en", ZoneInfo("Asia/Shanghai"))
    assert "2026-11-02 21:30" in text(n, "zh", ZoneInfo("Asia/Shanghai"))


def test_without_a_zone_it_is_the_stored_utc_time_and_an_unreadable_one_is_shown_as_it_is():
    assert "(due 2026-11-02 13:30:00)" in text(_breach("2026-11-02T13:30:00"), "en")
    assert "(due soon-ish)" in text(_breach("soon-ish"), "en", ZoneInfo("Asia/Shanghai"))
