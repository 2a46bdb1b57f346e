"""A request action as a small modal form: a few text fields, the service called in a worker
thread (one transaction), a refusal shown in the user's words with nothing written. `enter` in
the last field or ctrl+s submits, escape cancels. Dismissed with True when the change was made."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from desk.domain.errors import DeskError
from desk.domain.text import one_line
from desk.i18n import t
from desk.screens.actions import db_thread, explain


class Field(NamedTuple):
    name: str  # the keyword the call gets
    label: str  # message key
    required: bool = False


class Spec(NamedTuple):
    fields: tuple[Field, ...]
    call: Callable  # (desk, request_id, version, values: dict) -> RequestDetail


def _services():
    from desk.services import request_approval, requests

    return requests, request_approval


def _req(name):
    return lambda desk, i, v, f: getattr(_services()[0], name)(desk, None, i, expect_version=v, **f)


def _appr(name):
    return lambda desk, i, v, f: getattr(_services()[1], name)(desk, None, i, expect_version=v, **f)


SPECS: dict[str, Spec] = {
    "accept": Spec((), _req("accept")),
    "dispatch": Spec((Field("to", "request.tui.field.to"), Field("group", "request.tui.field.group")),
                     _req("dispatch")),
    "approve": Spec((Field("note", "request.tui.field.note"),), _appr("approve")),
    "reject": Spec((Field("reason", "request.tui.field.reason", True), Field("code", "request.tui.field.rejection")),
                   _appr("reject")),
    "fulfil": Spec((Field("note", "request.tui.field.done", True),), _req("fulfil")),
    "callback": Spec((Field("satisfaction", "request.tui.field.satisfaction", True),
                      Field("comment", "request.tui.field.comment")), _req("callback")),
    "close": Spec((Field("code", "request.tui.field.close_code"),), _req("close")),
    "note": Spec((Field("text", "request.tui.field.text", True),), _req("note")),
}


class RequestAction(ModalScreen[bool]):
    BINDINGS = [
        Binding("escape", "cancel", "cancel", id="request_dialog_cancel"),
        Binding("ctrl+s", "submit", "save", id="request_dialog_submit", priority=True),
    ]

    class Done(Message):
        def __init__(self, error: str | None) -> None:
            super().__init__()
            self.error = error

    def __init__(self, action: str, request_id: int, version: int, title: str = "") -> None:
        super().__init__(classes="action-dialog")
        self.action_name, self.request_id, self.version, self.title_text = action, request_id, version, title
        self.spec = SPECS[action]
        self.busy = False

    def compose(self) -> ComposeResult:
        lang = self.app.desk.lang
        with Vertical(id="dialog"):
            heading = Text(t("request.tui.heading", lang, action=t(f"request.key.{self.action_name}", lang),
                             id=self.request_id), style="bold")
            heading.append("  " + one_line(self.title_text, 60))
            yield Static(heading, classes="heading")
            for f in self.spec.fields:
                yield Static(t(f.label, lang) + (" *" if f.required else ""), classes="field-label")
                yield Input(id=f"f-{f.name}", compact=True)
            yield Static("", id="error", classes="field-error")
            yield Static(t("request.tui.keys", lang), classes="field-label")

    def on_mount(self) -> None:
        self.query_one("#dialog").border_title = t(f"request.key.{self.action_name}", self.app.desk.lang)
        inputs = list(self.query(Input))
        if inputs:
            inputs[0].focus()

    @on(Input.Submitted)
    def _enter(self, event: Input.Submitted) -> None:
        inputs = list(self.query(Input))
        if event.input is inputs[-1]:
            self.action_submit()
        else:
            inputs[inputs.index(event.input) + 1].focus()

    def action_cancel(self) -> None:
        if not self.busy:
            self.dismiss(False)

    def action_submit(self) -> None:
        if self.busy:
            return
        lang = self.app.desk.lang
        values = {}
        for f in self.spec.fields:
            text = self.query_one(f"#f-{f.name}", Input).value
            if f.required and not text.strip():
                self.query_one("#error", Static).update(Text(t("actions.required", lang, field=t(f.label, lang))))
                return
            if text.strip() or f.required:
                values[f.name] = text
        self.busy = True
        self._perform(values)

    @work(thread=True, exclusive=True, exit_on_error=False, group="request-action")
    def _perform(self, values: dict) -> None:
        desk = self.app.desk
        error = None
        try:
            with db_thread(desk):
                self.spec.call(desk, self.request_id, self.version, values)
        except DeskError as err:
            error = explain(err, desk)
        self.post_message(self.Done(error))

    @on(Done)
    def _done(self, message: Done) -> None:
        self.busy = False
        if message.error is None:
            self.dismiss(True)
        else:
            self.query_one("#error", Static).update(Text(one_line(message.error, 300)))
