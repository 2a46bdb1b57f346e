"""A substitution's days are the desk's days ([sla] timezone, Asia/Shanghai as shipped, the zone
every time is shown and typed in): a substitute named from the 3rd decides from midnight on the
3rd there, 16:00 UTC on the 2nd, and no longer from midnight on the 4th. "Today" was the UTC date:
for eight hours of every day a substitute was refused on their first day and let through the day
after their last, the inbox and the reminders agreeing with that."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from desk.domain.errors import NotAllowed
from desk.services import request_approval


@pytest.fixture
def waiting(desk, waiting_for_boss):
    request_approval.delegate(desk, "boss", substitute="sub", starts=date(2026, 11, 3), ends=date(2026, 11, 3))
    return waiting_for_boss


def test_a_substitute_decides_from_midnight_of_the_first_day_there(desk, clock, waiting):
    clock.now = datetime(2026, 11, 2, 16, 30)  # 00:30 on the 3rd in Shanghai
    assert [r.id for r in request_approval.inbox(desk, "sub")] == [waiting]
    assert [d.substitute for d in request_approval.delegations(desk)] == ["sub"]
    assert request_approval.approve(desk, "sub", waiting).status != "awaiting_approval"


def test_and_no_longer_from_midnight_after_the_last(desk, clock, waiting):
    clock.now = datetime(2026, 11, 3, 16, 30)  # 00:30 on the 4th in Shanghai
    assert request_approval.inbox(desk, "sub") == []
    assert request_approval.delegations(desk) == []
    with pytest.raises(NotAllowed):
        request_approval.approve(desk, "sub", waiting)
