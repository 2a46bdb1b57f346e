"""Snapshots of the notification list (issue 15), with the unread count in the header, in en and zh
at 80x24 and 120x40, on a fixed clock with the seeded queue (its priority-1 incidents told the lead)
and a request raised at priority 1. The header's count on the queue is in the toast snapshots
(test_sla_toast_snapshot.py)."""

from __future__ import annotations

import pytest
from tui_helpers import queue_ready, wait_until

from desk.services import requests

SIZES = [(80, 24), (120, 40)]


async def _open_list(pilot):
    from desk.screens.notifications import NotificationsScreen

    await queue_ready(pilot, timeout=20)
    await pilot.press("f9")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, NotificationsScreen) and pilot.app.screen.reads,
                     timeout=20, what="the notification list")
    await pilot.press("down")  # the cursor on the second, the first one unread
    await pilot.pause()


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_snapshot_notification_list(make_app, desk, db_url, snap_compare, lang, size):
    if not db_url.endswith(".db"):
        pytest.skip("snapshots are taken on SQLite (the screen is the same on PostgreSQL)")
    app = make_app(lang=lang, user="lead", size=size)
    requests.create(desk, "li", title="门禁卡权限 badge access for the new office", checked=["all"], priority=1)
    assert snap_compare(app, terminal_size=size, run_before=_open_list)
