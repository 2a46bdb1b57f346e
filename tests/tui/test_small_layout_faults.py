"""Small layout faults of issue 11, item 15, as a user meets them in the TUI: a toast must not cover
the list's "N of M" counter, and the first End in the help (Chinese too) reaches its bottom."""

from __future__ import annotations

import pytest
from textual.containers import VerticalScroll
from textual.widgets._toast import Toast
from tui_helpers import queue_ready, wait_until

from desk.screens.help import HelpScreen
from desk.widgets.status import StatusLine


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_a_toast_leaves_the_counter_in_sight(make_app, size):
    app = make_app(size=size)
    async with app.run_test(size=size, notifications=True) as pilot:
        queue = await queue_ready(pilot)
        app.notify("note added to incident 258")
        await wait_until(pilot, lambda: bool(app.screen.query(Toast)), what="the toast")
        await pilot.pause()
        toast = app.screen.query(Toast).first().region
        status = queue.query_one(StatusLine).region
        assert toast.bottom <= status.y, (toast, status)


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
async def test_the_first_end_in_the_help_reaches_the_bottom(make_app, lang, size):
    app = make_app(lang=lang, size=size)
    async with app.run_test(size=size) as pilot:
        await queue_ready(pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), what="the help")
        keys = app.screen.query_one("#help-keys", VerticalScroll)
        await pilot.pause()
        assert keys.max_scroll_y > 0  # (there is a bottom to reach)
        await pilot.press("end")
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        assert keys.scroll_y == keys.max_scroll_y
