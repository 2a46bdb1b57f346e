"""What every small modal form shares (issue 19), on a form of its own: OK and enter submit,
Cancel and escape dismiss unless a submitted change is still being made, and the one message line
shows text literally and hides when empty."""

from __future__ import annotations

from test_actions_host import DIALOGS_TCSS, drive, settle
from textual.app import App
from textual.containers import Vertical
from textual.widgets import Button, Input, Static

from desk.screens.dialogs.form import FormDialog


class Form(FormDialog):
    BINDINGS = [("escape", "cancel", "cancel")]

    def __init__(self) -> None:
        super().__init__(classes="action-dialog")
        self.submitted = 0

    def compose(self):
        with Vertical(id="dialog", classes="dialog"):
            yield Input(id="note", compact=True)
            yield Static(id="dialog-error", classes="dialog-error")
            yield Button("OK", id="ok", compact=True)
            yield Button("Cancel", id="cancel", compact=True)

    def action_submit(self) -> None:
        self.submitted += 1


class FormHost(App):
    CSS_PATH = [str(DIALOGS_TCSS)]

    def __init__(self) -> None:
        super().__init__()
        self.form = Form()
        self.dismissed: list = []

    def on_mount(self) -> None:
        self.push_screen(self.form, self.dismissed.append)


def test_ok_and_enter_submit(desk):
    app = FormHost()

    async def scenario(pilot):
        app.form.query_one("#note", Input).focus()
        await pilot.press("x", "enter")
        await settle(pilot)
        assert app.form.submitted == 1
        await pilot.click("#ok")
        await settle(pilot)
        assert app.form.submitted == 2

    drive(app, scenario)


def test_cancel_dismisses_with_none_unless_a_change_is_being_made(desk):
    app = FormHost()

    async def scenario(pilot):
        app.form.busy = True
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.form and app.dismissed == []  # waits for the change
        app.form.busy = False
        await pilot.click("#cancel")
        await settle(pilot)
        assert app.screen is not app.form and app.dismissed == [None]

    drive(app, scenario)


def test_the_message_line_is_literal_and_hides_when_empty(desk):
    app = FormHost()

    async def scenario(pilot):
        line = app.form.query_one("#dialog-error", Static)
        app.form.show_error("refused: \x1b[2J [b]x[/b]")
        shown = line.render()
        assert "\x1b" not in str(shown) and "[b]x[/b]" in str(shown) and line.has_class("shown")
        app.form.show_error("")
        assert not line.has_class("shown")

    drive(app, scenario)
