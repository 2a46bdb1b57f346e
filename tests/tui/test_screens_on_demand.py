"""The app imports a screen when it is first shown, not at start (desk/app.py present_screens): every
screen of desk.app.SCREENS still has its tab and its F-key; one whose module is not there has
neither; one whose module is there but does not import says so when its key is pressed, and the
queue stays. (That start-up imports none of them is tests/test_startup.py's.)"""

from __future__ import annotations

from desk import app as desk_app
from desk.app import SCREENS, ScreenEntry
from tui_helpers import queue_ready


def _tab_ids(app) -> list[str]:
    return [entry.id for entry, _cls in app._screens]


async def test_each_screen_opens_on_its_f_key(make_app):
    app = make_app()
    async with app.run_test(size=app.test_size) as pilot:
        await queue_ready(pilot)
        assert _tab_ids(app) == [entry.id for entry in SCREENS]
        for entry in SCREENS[1:] + SCREENS[:1]:
            await pilot.press(entry.key)
            await pilot.pause()
            want = entry.target.partition(":")[2]
            assert app.current_mode == entry.id and type(app.screen).__name__ == want


async def test_a_screen_whose_module_is_missing_has_no_tab(make_app, monkeypatch):
    entries = SCREENS + [ScreenEntry("nothing", "tui.screen.queue", "f10", "desk.screens.no_such_screen:Nothing")]
    monkeypatch.setattr(desk_app, "SCREENS", entries)
    app = make_app()
    async with app.run_test(size=app.test_size) as pilot:
        await queue_ready(pilot)
        assert "nothing" not in _tab_ids(app) and "nothing" not in app.MODES


async def test_a_screen_that_does_not_import_says_so_and_the_queue_stays(make_app, monkeypatch):
    broken = ScreenEntry("broken", "tui.screen.reports", "f10", "desk.screens.report_review:NoSuchScreen")
    monkeypatch.setattr(desk_app, "SCREENS", SCREENS + [broken])
    app = make_app(lang="zh")
    async with app.run_test(size=app.test_size) as pilot:
        await queue_ready(pilot)
        assert "broken" in _tab_ids(app)
        await pilot.press("f10")
        await pilot.pause()
        assert app.current_mode == "queue" and type(app.screen).__name__ == "QueueScreen"
        notes = [n for n in app._notifications if n.severity == "error"]
        assert [n.message for n in notes] == ["无法打开“服务报告”界面：此 desk 安装不完整。"]
        assert notes[0].markup is False
