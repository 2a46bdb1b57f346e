"""The request detail's history line of a substitute named for a period, as one sentence with its
note (issue 14): snapshots at 80×24 and 120×40 in English and Chinese, scrolled to the history.

Update with `pytest tests/tui/test_request_delegate_line.py --snapshot-update`, then look at the
.svg files in __snapshots__/ before committing them."""

from __future__ import annotations

from datetime import date

import pytest
from test_requests_screens import to_requests
from tui_helpers import screen_text, steady_cursors, wait_until

from desk.services import agents, request_approval, requests


@pytest.fixture
def delegated(desk, clock):
    """A request waiting for boss, who is away next week and named sub to stand in."""
    for login in ("boss", "sub"):
        agents.save_agent(desk, "admin", agent_login=login, name=login.title(), roles=["approver"], group=None)
    r = requests.create(desk, "li", title="VPN access for a contractor", requester="Zhang Wei",
                        checked=["identity", "details", "type", "scope"])
    requests.accept(desk, "li", r.id)
    requests.dispatch(desk, "li", r.id, to="chen")
    request_approval.ask_approval(desk, "chen", r.id, approvers=["boss"])
    clock.advance(minutes=30)
    request_approval.delegate(desk, "boss", substitute="sub", starts=date(2026, 11, 9), ends=date(2026, 11, 13),
                              note="on leave; [bold]not markup[/bold]")
    return r.id


def _app(desk, lang, size):
    from desk.app import DeskApp, operator_for

    desk.lang, desk.user = lang, "admin"
    app = DeskApp(desk, operator_for(desk, "admin"), keymap={})
    app.test_size = size
    return app


async def _to_history(pilot, request_id):
    from desk.screens.request_detail import RequestDetailScreen

    pilot.app.animation_level = "none"
    await to_requests(pilot)
    await pilot.app.push_screen(RequestDetailScreen(request_id))
    await wait_until(pilot, lambda: getattr(pilot.app.screen, "loaded", False), what="the detail")
    pilot.app.screen.query_one("#request-detail-body").scroll_end(animate=False)
    steady_cursors(pilot.app)
    await pilot.pause()


async def test_the_detail_says_who_named_whom_for_which_days(desk, delegated):
    app = _app(desk, "en", (120, 40))
    async with app.run_test(size=app.test_size) as pilot:
        await _to_history(pilot, delegated)
        shown = " ".join(screen_text(app).split())  # (the line wraps at the screen's edge)
        assert ("boss named sub as substitute approver from 2026-11-09 to 2026-11-13: "
                "on leave; [bold]not markup[/bold]") in shown


@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_snapshot(desk, delegated, snap_compare, db_url, lang, size):
    if not db_url.endswith(".db"):
        pytest.skip("snapshots are taken on SQLite (the screen is the same on PostgreSQL)")
    app = _app(desk, lang, size)
    assert snap_compare(app, terminal_size=size, run_before=lambda pilot: _to_history(pilot, delegated))
