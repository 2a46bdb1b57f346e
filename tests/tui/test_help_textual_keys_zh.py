"""The Chinese help (?) named Textual's own keys in English — 'Up', 'Scroll Left', 'Page Up', 'Select'
on F5's report list (walkE, in tmux, as a report writer): they are said in the user's language, each
of Textual's widget keys by the description Textual gives it (the en file keeps those words)."""

from __future__ import annotations

from textual.containers import VerticalScroll
from textual.widgets import Input, OptionList, TextArea, Tree

from desk.i18n import catalogue
from desk.screens.help import HelpScreen, binding_text
from test_reports_screen import rdesk, ready  # noqa: F401 (the fixtures)
from tui_helpers import screen_text, wait_until


async def test_the_report_list_s_keys_read_in_chinese(rdesk):
    from desk.app import DeskApp, operator_for

    rdesk.lang, rdesk.user = "zh", "repw"
    app = DeskApp(rdesk, operator_for(rdesk, "repw"), keymap={})
    async with app.run_test(size=(120, 80)) as pilot:
        await pilot.pause()
        await pilot.press("f5")
        await pilot.pause()
        await ready(pilot)
        await pilot.press("question_mark")
        await wait_until(pilot, lambda: isinstance(app.screen, HelpScreen), what="the help")
        await pilot.pause()
        text = screen_text(app)
        for english in ("Scroll Left", "Page Up", "Page Down", " Select ", " Up ", " First "):
            assert english not in text, english
        assert "向左滚动" in text and "上一页" in text


def test_every_key_of_the_widgets_desk_shows_has_chinese_words():
    zh = catalogue("zh")
    for cls in (Input, TextArea, OptionList, Tree, VerticalScroll):
        for klass in cls.__mro__:
            for binding in getattr(klass, "BINDINGS", None) or []:
                if not isinstance(binding, tuple) and binding.description:
                    said = binding_text(binding, "zh")
                    assert said != binding.description or f"tui.textual.{said}" in zh, (cls.__name__, said)
                    assert not said.isascii(), (cls.__name__, binding.description, said)
