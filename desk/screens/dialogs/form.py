"""What every small modal form shares, whatever it acts on: OK (or ctrl+s, or enter in a one-line
field) submits, Cancel (or escape) dismisses with None unless a submitted change is still being
made, and one message line (`#dialog-error`) says why nothing was done. Used by the incident
action dialogs (desk/screens/dialogs/base.py) and the offer to resolve a problem's incidents
(desk/screens/problem_incidents.py).

A subclass composes `Button`s `#ok` and `#cancel`, a `Static` `#dialog-error`, sets `busy` while
its change runs, and defines `action_submit`."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from desk.domain.text import neutralise
from desk.screens.actions import Outcome


class FormDialog(ModalScreen[Outcome | None]):
    """A modal form dismissed with an Outcome, or None when the user cancels."""

    busy = False  # a submitted change is being made: cancel waits for it

    def action_submit(self) -> None:
        raise NotImplementedError

    def action_cancel(self) -> None:
        if self.busy:  # a submitted change cannot be taken back half way: let it finish
            return
        self.dismiss(None)

    def show_error(self, message: str) -> None:
        """The form's one message line ('' hides it); the text is shown literally."""
        widget = self.query_one("#dialog-error", Static)
        widget.update(Text(neutralise(message)))
        widget.set_class(bool(message), "shown")

    @on(Button.Pressed, "#ok")
    def _ok(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_submit()

    @on(Button.Pressed, "#cancel")
    def _cancel(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        event.stop()
        self.action_submit()
