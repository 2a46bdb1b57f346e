"""`?` names the screen it lists the keys of ("Keys: Notifications", and its own keys' section under
that name). Before, the notifications, the incident and request details, the request intake and the
change calendar all said "Keys: This screen", and a problem's or change's detail too: a user who
opened help from one could not tell which keys were whose."""

from __future__ import annotations

import importlib
import inspect
import pkgutil

from textual.screen import ModalScreen, Screen
from tui_helpers import queue_ready, screen_text, wait_until

import desk.screens
from desk.i18n import t
from desk.screens.help import HelpScreen, screen_name

# screens a user never opens help on: the first frame's stand-in, the "not an agent" notice and the
# list bases, never shown themselves
NO_HELP = {"FirstShow", "NotAgentScreen", "ListViews", "ListKeys", "ListScreen", "_InboxScreen"}


def _screens():
    for info in pkgutil.iter_modules(desk.screens.__path__):
        module = importlib.import_module(f"desk.screens.{info.name}")
        for name, cls in inspect.getmembers(module, inspect.isclass):
            if (issubclass(cls, Screen) and not issubclass(cls, ModalScreen) and cls.__module__ == module.__name__
                    and name not in NO_HELP):
                yield name, cls


def test_every_screen_has_a_name_for_the_help_in_both_languages():
    unnamed = []
    for name, cls in _screens():
        if callable(getattr(cls, "help_name", None)):
            continue
        key = getattr(cls, "TITLE_KEY", "")
        if not key or any(t(key, lang) in (key, t("tui.help.screen", lang)) for lang in ("en", "zh")):
            unnamed.append(name)
    assert unnamed == []


def test_a_record_detail_is_named_by_its_record():
    from desk.screens.record_detail import RecordDetailScreen

    class Problems:
        SCREEN_ID = "problems"

    screen = RecordDetailScreen(Problems(), 3, lambda: None, lambda: [], "Problem 3")
    assert screen_name(screen, "en") == "Problem 3"


async def _help_title(pilot) -> str:
    app = pilot.app
    await pilot.press("question_mark")
    await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), what="the help")
    await pilot.pause()
    shown = screen_text(app)
    await pilot.press("escape")
    await wait_until(pilot, lambda: not isinstance(app.screen, HelpScreen), what="the help closed")
    return shown


async def test_the_help_names_the_detail_and_the_notifications(make_app):
    from desk.screens.detail import DetailScreen

    app = make_app(user="lead")
    async with app.run_test(size=(120, 40)) as pilot:
        await queue_ready(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.detail is not None,
                         what="the detail")
        shown = await _help_title(pilot)
        assert "Keys: Incident" in shown and "This screen" not in shown
        await pilot.press("f9")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "NotificationsScreen", what="the notifications")
        shown = await _help_title(pilot)
        assert "Keys: Notifications" in shown and "This screen" not in shown


async def test_the_help_names_the_screen_in_chinese(make_app):
    app = make_app(user="lead", lang="zh")
    async with app.run_test(size=(120, 40)) as pilot:
        await queue_ready(pilot)
        await pilot.press("f9")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "NotificationsScreen", what="the notifications")
        shown = await _help_title(pilot)
        assert "按键：通知" in shown and "本屏" not in shown
