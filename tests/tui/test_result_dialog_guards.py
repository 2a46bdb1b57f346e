"""The result of a bulk action (issue 19): what it counts as done, how it names a stale row, and
what it says beyond the rows (a notice, typing kept), in its own kind's words."""

from __future__ import annotations

from test_actions_host import HostApp, drive
from tui_helpers import screen_text

from desk.screens.actions import Outcome, RowResult
from desk.screens.dialogs.result import ResultDialog


class ResultHost(HostApp):
    def __init__(self, desk, dialog) -> None:
        super().__init__(desk)
        self.dialog = dialog

    def on_mount(self) -> None:
        self.push_screen(self.dialog())


def _shown(desk, outcome, **words) -> tuple[str, ResultDialog]:
    seen = {}

    def make():
        seen["dialog"] = ResultDialog(outcome, **words)
        return seen["dialog"]

    app = ResultHost(desk, make)
    text = {}

    async def scenario(pilot):
        text["screen"] = screen_text(app)
        text["title"] = seen["dialog"].query_one("#dialog").border_title
        text["rows"] = seen["dialog"].lines().plain

    drive(app, scenario, size=(120, 40))
    return text["screen"], text


def test_the_summary_counts_refused_rows_apart_and_names_a_stale_one(desk):
    outcome = Outcome("assign", [RowResult(11, True), RowResult(12, False, "not yours"),
                                 RowResult(13, False, "lead changed it at 09:05", stale=True)])
    text, _ = _shown(desk, outcome)
    assert "1 done, 2 refused" in text
    assert "#12     refused: not yours" in text
    assert "#13     changed meanwhile: lead changed it at 09:05" in text


def test_a_notice_and_kept_typing_are_said(desk):
    outcome = Outcome("assign", [RowResult(12, False, "not yours")], notice="Note the vendor", kept=True)
    text, _ = _shown(desk, outcome)
    assert "Note the vendor" in text
    assert "What you typed is kept" in text
    plain, _ = _shown(desk, Outcome("assign", [RowResult(12, False, "not yours")]))
    assert "What you typed is kept" not in plain


def test_another_kind_s_words_title_and_mark(desk):
    outcome = Outcome("assign", [RowResult(7, True)])
    _, shown = _shown(desk, outcome, title="Approve requests", mark="R")
    assert shown["title"] == "Approve requests"
    assert shown["rows"].startswith("R7 ")


def test_a_refusal_s_control_characters_are_neutralised(desk):
    outcome = Outcome("assign", [RowResult(12, False, "evil \x1b[2J title")])
    _, shown = _shown(desk, outcome)
    assert "\x1b" not in shown["rows"] and "title" in shown["rows"]
