"""The detail shows an incident's SLA pause ledger (who held the clock, why, for how long), and its
clock held, in the user's language."""

from __future__ import annotations

import pytest

from desk.services import incidents, sla_hold

try:
    from .test_actions_host import HostApp, drive, row, screen_text, seed
except ImportError:
    from test_actions_host import HostApp, drive, row, screen_text, seed


@pytest.mark.parametrize("lang, expected", [
    # stored in UTC, shown in [sla] timezone (Asia/Shanghai: 8 hours ahead), the heading naming it
    ("en", ("SLA pauses (times in Asia/Shanghai)", "paused 2h10 waiting for the caller, 2026-11-02 17:30–19:40 (li → zhao)",
            "calls back after lunch", "paused 0m waiting for the vendor", "still paused", "SLA clock paused", "paused  3h30 left")),
    ("zh", ("SLA 暂停记录（时间为 Asia/Shanghai 时区）", "暂停 2h10，等待报告人，2026-11-02 17:30–19:40（li → zhao）",
            "等待供应商", "仍在暂停")),
])
def test_the_pause_ledger_in_the_detail(desk, clock, lang, expected):
    desk.user = "li"
    made = seed(desk, clock)
    inc = made[0]
    sla_hold.hold_incident(desk, "li", inc.id, reason="caller", note="calls back after lunch")
    clock.advance(minutes=130)
    sla_hold.resume_incident(desk, "zhao", inc.id)
    sla_hold.hold_incident(desk, "li", inc.id, reason="vendor")
    desk.lang = lang
    app = HostApp(desk, "detail", [row(incidents.get(desk, inc.id, with_history=False))])

    async def scenario(pilot):
        body = app.screen.query_one("#detail-body")
        found = ""
        for _ in range(12):  # the ledger sits below the fields: scroll down a page at a time
            found += screen_text(app)
            body.scroll_page_down(animate=False)
            await pilot.pause()
        for text in expected:
            assert text in found, text

    drive(app, scenario, size=(120, 60))
