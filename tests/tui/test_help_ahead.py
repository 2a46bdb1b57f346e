"""`?` built ahead: after its first frame, once the user has been idle a moment, the app builds its
help off screen (desk/screens/help.py, build_ahead), so the first `?` shows it as every later one
does; never while the user types, nor over a dialog."""

from __future__ import annotations

import desk.app
import desk.screens.help as help_module
from textual.screen import ModalScreen
from tui_helpers import queue_ready, screen_lines, wait_until

from desk.screens.help import HelpScreen


def _kept(app):
    return help_module._SCREENS.get(app)


async def test_the_help_is_built_ahead_off_screen_and_the_first_question_mark_shows_it(make_app, monkeypatch):
    monkeypatch.setattr(desk.app, "HELP_AHEAD", 0.05)
    monkeypatch.setattr(help_module, "AHEAD_IDLE", 0.0)
    app = make_app()
    async with app.run_test(size=app.test_size) as pilot:
        await queue_ready(pilot)
        await wait_until(pilot, lambda: _kept(app) is not None and _kept(app).is_mounted, what="the help built ahead")
        kept = _kept(app)
        assert not isinstance(app.screen, HelpScreen) and kept.lines  # built, not shown
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), what="the help")
        await pilot.pause()
        assert app.screen is kept
        assert any(" Resolve " in line for line in screen_lines(app))


async def test_the_help_waits_while_the_user_types(make_app, monkeypatch):
    monkeypatch.setattr(desk.app, "HELP_AHEAD", 0.05)
    monkeypatch.setattr(help_module, "AHEAD_IDLE", 3600.0)  # the user never rests this long
    app = make_app()
    async with app.run_test(size=app.test_size) as pilot:
        await queue_ready(pilot)
        await pilot.pause(0.3)  # several looks at it, each put off
        assert _kept(app) is None
        monkeypatch.setattr(help_module, "AHEAD_IDLE", 0.0)
        await wait_until(pilot, lambda: _kept(app) is not None, what="the help built once the user rests")


async def test_the_help_is_not_built_ahead_over_a_dialog(make_app, monkeypatch):
    monkeypatch.setattr(desk.app, "HELP_AHEAD", 0.1)
    monkeypatch.setattr(help_module, "AHEAD_IDLE", 0.0)
    app = make_app()
    async with app.run_test(size=app.test_size) as pilot:
        app.push_screen(ModalScreen())  # open before the first look at it
        await queue_ready(pilot)
        await pilot.pause(0.4)  # several looks at it, each put off
        assert _kept(app) is None
        app.pop_screen()
        await wait_until(pilot, lambda: _kept(app) is not None, what="the help built once the dialog is gone")
