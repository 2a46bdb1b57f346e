"""What the user typed into an incident form survives a refusal (issue 19; issue 11.3), on a form of
its own: kept with the refused incidents (text and choices, not a picker's search box nor blanks),
said so, given back once to the same form on one of those incidents, forgotten when done."""

from __future__ import annotations

from test_actions_host import DIALOGS_TCSS, drive
from textual.app import App
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Select, TextArea

from desk.screens.actions import Outcome, RowResult
from desk.screens.dialogs.drafts import KeptDrafts


class Form(KeptDrafts, ModalScreen):
    ACTION = "note"

    def __init__(self, ids) -> None:
        super().__init__()
        self.rows = [(i, 1) for i in ids]

    def compose(self):
        with Vertical(id="fields"):
            yield Input(id="text")
            yield Input(id="reason")
            yield Input(id="who-search")
            yield Select([("A", "a"), ("B", "b")], id="code")
            yield TextArea(id="body")

    def fill(self, text="the caller called", reason="   ", search="wan", code="b", body="line 1\nline 2"):
        self.query_one("#text", Input).value = text
        self.query_one("#reason", Input).value = reason
        self.query_one("#who-search", Input).value = search
        if code:
            self.query_one("#code", Select).value = code
        self.query_one("#body", TextArea).load_text(body)

    def shown(self):
        return (self.query_one("#text", Input).value, self.query_one("#who-search", Input).value,
                self.query_one("#code", Select).value, self.query_one("#body", TextArea).text)


EMPTY = ("", "", Select.NULL, "")


class Host(App):
    CSS_PATH = [str(DIALOGS_TCSS)]


async def _open(pilot, ids) -> Form:
    form = Form(ids)
    await pilot.app.push_screen(form)
    await pilot.pause()
    return form


async def _close(pilot) -> None:
    await pilot.app.pop_screen()
    await pilot.pause()


def _refused(ids) -> Outcome:
    return Outcome("note", [RowResult(i, False, "stale", stale=True) for i in ids])


def test_a_refusal_keeps_the_text_and_choices_for_one_opening_on_those_incidents():
    app = Host()

    async def scenario(pilot):
        form = await _open(pilot, [5, 6])
        form.fill()
        assert "reason" not in form.typed()  # blanks are nothing typed
        outcome = _refused([6])
        form.keep_typed(outcome)
        assert outcome.kept  # the result says so
        await _close(pilot)
        other = await _open(pilot, [5])  # not refused: not given back here
        other.restore_typed()
        assert other.shown() == EMPTY
        await _close(pilot)
        again = await _open(pilot, [6])
        again.restore_typed()
        assert again.shown() == ("the caller called", "", "b", "line 1\nline 2")  # the search box starts empty
        await _close(pilot)
        third = await _open(pilot, [6])  # once
        third.restore_typed()
        assert third.shown() == EMPTY

    drive(app, scenario)


def test_a_change_done_forgets_what_was_typed():
    app = Host()

    async def scenario(pilot):
        form = await _open(pilot, [6])
        form.fill()
        outcome = Outcome("note", [RowResult(6, True)])
        form.keep_typed(outcome)
        assert not outcome.kept
        await _close(pilot)
        again = await _open(pilot, [6])
        again.restore_typed()
        assert again.shown() == EMPTY

    drive(app, scenario)


def test_choices_alone_are_not_kept():
    app = Host()

    async def scenario(pilot):
        form = await _open(pilot, [6])
        form.fill(text="", reason="", search="", body="")
        outcome = _refused([6])
        form.keep_typed(outcome)
        assert not outcome.kept

    drive(app, scenario)
