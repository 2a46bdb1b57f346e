"""`?` on the queue says which keys the incident under the cursor takes, each time it is pressed:
the help keeps the tables it has laid out (desk/screens/help.py), and a kept one must never show
another row's keys."""

from __future__ import annotations

from tui_helpers import press, queue_ready, screen_lines, wait_until

from desk.screens.help import HelpScreen


def _resolve_line(app) -> str:
    return next(line for line in screen_lines(app) if " Resolve " in line and " resolve " in line)


async def _help_resolve_line(pilot) -> str:
    app = pilot.app
    await pilot.press("question_mark")
    await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), what="the help")
    await pilot.pause()
    line = _resolve_line(app)
    await pilot.press("escape")
    await wait_until(pilot, lambda: not isinstance(app.screen, HelpScreen), what="the queue")
    return line


async def test_help_follows_the_row_under_the_cursor_each_time(make_app):
    app = make_app()
    async with app.run_test(size=(120, 64)) as pilot:  # (every key of the queue on one screen)
        await queue_ready(pilot)
        not_now = "(not for the incident"  # (the rest of the note wraps)
        assert not_now not in await _help_resolve_line(pilot)  # an open incident: resolve it
        await press(pilot, "7")  # closed today: a closed incident under the cursor
        assert not_now in await _help_resolve_line(pilot)
        await press(pilot, "5")  # all open again: the first table, kept, and right again
        assert not_now not in await _help_resolve_line(pilot)
        await press(pilot, "7")
        assert not_now in await _help_resolve_line(pilot)


async def test_help_shown_again_starts_at_the_top(make_app):
    """The app keeps its help screen and shows it again: from the top, not where it was left."""
    from textual.containers import VerticalScroll

    app = make_app(size=(80, 24))
    async with app.run_test(size=(80, 24)) as pilot:
        await queue_ready(pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), what="the help")
        first = app.screen
        keys = first.query_one("#help-keys", VerticalScroll)
        await pilot.pause()
        await pilot.press("end")
        await pilot.wait_for_scheduled_animations()
        await pilot.pause()
        assert keys.scroll_y == keys.max_scroll_y > 0
        await pilot.press("escape")
        await wait_until(pilot, lambda: not isinstance(app.screen, HelpScreen), what="the queue")
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), what="the help again")
        await pilot.pause()
        assert app.screen is first  # (the kept screen: no new compose)
        assert keys.scroll_y == 0
        assert "Keys: Queue" in "\n".join(screen_lines(app))
