"""`?` on the request queue said a key the request under the cursor does not take was 'not for the
incident under the cursor' (walkE read it in tmux); the note names the screen's kind of record, and
on a record's own screen says 'this … now' (there is no cursor row there)."""

from __future__ import annotations

import pytest
from tui_helpers import screen_text, wait_until

from desk.screens.help import HelpScreen
from desk.services import requests


@pytest.mark.parametrize("lang, on_list, on_detail", [
    ("en", "(not for the service request under the cursor)", "(not for this service request now)"),
    ("zh", "（不适用于光标处的服务请求）", "（此服务请求当前不可用）"),
])
async def test_the_help_s_note_names_a_request_on_the_request_screens(desk, clock, lang, on_list, on_detail):
    from desk.app import DeskApp, operator_for

    desk.lang, desk.user = lang, "li"
    requests.create(desk, "li", title="Port for a printer", checked=["all"], accept=True)  # `a` no longer applies
    app = DeskApp(desk, operator_for(desk, "li"), keymap={})
    async with app.run_test(size=(120, 80)) as pilot:
        await pilot.press("f3")
        await wait_until(pilot, lambda: app.screen.id == "requests" and app.screen.table.cursor_row is not None,
                         what="the request queue")
        for expected, before in ((on_list, ()), (on_detail, ("enter",))):
            await pilot.press(*before)
            await pilot.pause(0.3)
            await pilot.press("question_mark")
            await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), what="the help")
            await pilot.pause()
            text = screen_text(app).replace("\n", " ").replace("│", " ")
            assert expected in " ".join(text.split()), text
            assert "incident under" not in text and "光标处的事件" not in text
            await pilot.press("escape")
            await wait_until(pilot, lambda: not isinstance(app.screen, HelpScreen), what="the help closed")
