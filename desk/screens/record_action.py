"""A kind's action on one record, from any list screen: a small form (a text, or only a
confirmation), the service call in a thread worker with the version the user saw, and one clear
message when it is refused (a stale edit names who changed the record and when; nothing is
written). Kinds describe their actions as `RecordAction`s (desk/screens/problems.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, NamedTuple

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from desk.domain.errors import DeskError, StaleVersion
from desk.i18n import t
from desk.screens.actions import db_thread, explain

MAX_TEXT = 4000


class RecordAction(NamedTuple):
    """`run(desk, id, text, version)` calls the service as the desk's user (text is None when
    the action asks for none); `field`: the message key of the text asked for, if any."""

    run: Callable[..., Any]
    field: str | None = None
    required: bool = True


class Done(NamedTuple):
    record_id: int
    stale: bool = False  # refused because someone changed the record: the list reloads it


class RecordActionDialog(ModalScreen[Done | None]):
    BINDINGS = [
        Binding("escape", "cancel", "cancel", show=False, id="record_dialog.cancel"),
        Binding("ctrl+s", "submit", "save", show=False, id="record_dialog.submit", priority=True),
    ]

    class Finished(Message):
        def __init__(self, error: str | None, stale: bool) -> None:
            super().__init__()
            self.error, self.stale = error, stale

    def __init__(self, action: RecordAction, title: str, record_id: int, version: int) -> None:
        super().__init__(classes="action-dialog")
        self.action, self.title_text = action, title
        self.record_id, self.version = record_id, version
        self.busy = False

    @property
    def lang(self) -> str:
        return self.app.desk.lang

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog") as box:
            box.border_title = self.title_text
            if self.action.field:
                yield Static(Text(t(self.action.field, self.lang)), classes="field-label")
                yield Input(id="text", max_length=MAX_TEXT, compact=True)
            else:
                yield Static(Text(t("lists.action.confirm", self.lang)), classes="field-label")
            yield Static(id="dialog-error", classes="dialog-error")
            with Horizontal(id="buttons", classes="buttons"):
                yield Button(t("actions.ok", self.lang), id="ok", variant="primary", compact=True)
                yield Button(t("actions.cancel", self.lang), id="cancel", compact=True)

    def on_mount(self) -> None:
        if self.action.field:
            self.query_one("#text", Input).focus()
        else:
            self.query_one("#ok", Button).focus()

    def _error(self, message: str) -> None:
        self.query_one("#dialog-error", Static).update(Text(message))

    def action_submit(self) -> None:
        if self.busy:
            return
        text = None
        if self.action.field:
            text = self.query_one("#text", Input).value.strip()
            if not text and self.action.required:
                self._error(t("lists.action.required", self.lang, field=t(self.action.field, self.lang)))
                return
        self.busy = True
        self._run(text)

    @work(thread=True, exit_on_error=False, group="record-action")
    def _run(self, text: str | None) -> None:
        desk = self.app.desk
        try:
            with db_thread(desk):
                self.action.run(desk, self.record_id, text, self.version)
        except DeskError as err:
            self.post_message(self.Finished(explain(err, desk), isinstance(err, StaleVersion)))
            return
        except Exception as err:  # the database went away: say so, nothing was written
            self.post_message(self.Finished(t("tui.read_failed", desk.lang, error=str(err)[:200]), False))
            return
        self.post_message(self.Finished(None, False))

    @on(Finished)
    def _finished(self, message: Finished) -> None:
        self.busy = False
        if message.error is None:
            self.dismiss(Done(self.record_id))
            return
        if message.stale:  # refused, nothing written: the list re-reads the record as it is now
            self.app.notify(Text(message.error), severity="warning", timeout=8)
            self.dismiss(Done(self.record_id, stale=True))
            return
        self._error(message.error)

    def action_cancel(self) -> None:
        self.dismiss(None)

    @on(Input.Submitted, "#text")
    def _entered(self, event: Input.Submitted) -> None:
        self.action_submit()

    @on(Button.Pressed, "#ok")
    def _ok(self, event: Button.Pressed) -> None:
        self.action_submit()

    @on(Button.Pressed, "#cancel")
    def _cancel(self, event: Button.Pressed) -> None:
        self.action_cancel()

