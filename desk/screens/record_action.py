"""A kind's action on one record, from any list screen: a small form (a text, several fields, or
only a confirmation), the service call in a thread worker with the version the user saw, and one
clear message when it is refused (a stale edit names who changed the record and when; nothing is
written). Kinds describe their actions as `RecordAction`s (desk/screens/problems.py, changes.py).

Before anything is typed the form reads the record (a thread): when its status no longer allows
the action (the row on screen was out of date) it says so and OK stays disabled; fields start from
the record's values (`Field.prefill`). What was typed survives a refusal: a refused form stays
open with its text, and one refused as stale keeps it for the next opening on the same record."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, NamedTuple
from weakref import WeakKeyDictionary

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Input, Select, Static

from desk.domain.errors import DeskError, StaleVersion
from desk.i18n import t
from desk.system_words import failure_text
from desk.screens.actions import db_thread, explain
from desk.screens.dialogs.form import FormDialog
from desk.timefmt import to_utc, when, zone

MAX_TEXT = 4000
WHEN = "%Y-%m-%d %H:%M"

# app -> {(kind, action, record id): {field: text}}: what a stale refusal left typed.
_DRAFTS: WeakKeyDictionary = WeakKeyDictionary()


class Field(NamedTuple):
    """One field of a form: `name` (the key in the values handed to `run`), `label` (a message
    key), `choices` ((code, label message key), …: a drop-down), `when` (a date and time),
    `prefill` (the attribute of the record's detail it starts from). `options(desk, detail)`: a
    drop-down whose choices are read with the record (in the form's reading thread) as (rich Text
    shown literally, code), …; a DeskError it raises (nothing to choose from) is said, and OK
    stays disabled."""

    name: str
    label: str
    required: bool = True
    choices: tuple[tuple[str, str], ...] = ()
    when: bool = False
    prefill: str = ""
    options: Callable[..., list] | None = None


class RecordAction(NamedTuple):
    """`run(desk, id, value, version)` calls the service as the desk's user. `value`: None when
    the action asks for nothing, the text of its one `field`, or a dict (field name -> value, a
    datetime for a `when` field, None for an empty optional one) for a `form`."""

    run: Callable[..., Any]
    field: str | None = None
    required: bool = True
    form: tuple[Field, ...] = ()

    @property
    def fields(self) -> tuple[Field, ...]:
        if self.form:
            return self.form
        return (Field("text", self.field, self.required),) if self.field else ()


class Done(NamedTuple):
    record_id: int
    stale: bool = False  # refused because someone changed the record: the list reloads it
    note: str = ""  # what the action found on the way (e.g. conflicts), said after it


class Check(NamedTuple):
    """What the form checks before typing: `read(desk, id)` (a thread) -> the record's detail;
    `allowed`: the statuses the action starts from (None: any); `status_label(code)`."""

    read: Callable[..., Any]
    allowed: frozenset | None
    status_label: Callable[[str], str]
    kind: str
    action_label: str


class RecordActionDialog(FormDialog):  # OK, Cancel and enter as every small form; dismissed with a Done
    BINDINGS = [
        Binding("escape", "cancel", "cancel", show=False, id="record_dialog.cancel"),
        Binding("ctrl+s", "submit", "save", show=False, id="record_dialog.submit", priority=True),
    ]

    class Finished(Message):
        def __init__(self, error: str | None, stale: bool, note: str = "") -> None:
            super().__init__()
            self.error, self.stale, self.note = error, stale, note

    class Read(Message):
        def __init__(self, detail, error: str | None, options: dict | None = None) -> None:
            super().__init__()
            self.detail, self.error, self.options = detail, error, options or {}

    def __init__(self, action: RecordAction, title: str, record_id: int, version: int,
                 check: Check | None = None, name: str = "") -> None:
        super().__init__(classes="action-dialog")
        self.action, self.title_text = action, title
        self.record_id, self.version = record_id, version
        self.check, self.draft_name = check, name
        self.busy = False
        self.checked: bool | None = None if check is not None else True  # None: still reading
        self._pending = False  # submitted while the record was being read: sent once it is

    @property
    def lang(self) -> str:
        return self.app.desk.lang

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(id="dialog", classes="dialog") as box:
            box.border_title = self.title_text
            with VerticalScroll(id="fields", classes="fields"):
                for f in self.action.fields:
                    label = t(f.label, lang)
                    if not f.required and self.action.form:
                        label = t("lists.action.optional", lang, field=label)
                    yield Static(Text(label), classes="field-label")
                    if f.choices or f.options:  # (options: filled in once the record is read)
                        yield Select([(Text(t(label, lang)), code) for code, label in f.choices], id=f.name,
                                     prompt=t("lists.action.choose", lang), compact=True)
                    else:
                        yield Input(id=f.name, max_length=MAX_TEXT, compact=True,
                                    placeholder=t("lists.action.when_hint", lang) if f.when else "")
                if not self.action.fields:
                    yield Static(Text(t("lists.action.confirm", lang)), classes="field-label")
            yield Static(id="dialog-error", classes="dialog-error")
            with Horizontal(id="buttons", classes="buttons"):
                yield Button(t("actions.ok", lang), id="ok", variant="primary", compact=True)
                yield Button(t("actions.cancel", lang), id="cancel", compact=True)

    def on_mount(self) -> None:
        first = self.query("#fields Input, #fields Select").first() if self.action.fields else None
        (first or self.query_one("#ok", Button)).focus()
        if self.check is not None:
            self._read()
        else:
            self._restore()

    # --- before typing: the record as it is now -----------------------------------------------
    @work(thread=True, exit_on_error=False, group="record-action-read")
    def _read(self) -> None:
        desk = self.app.desk
        try:
            with db_thread(desk):
                detail = self.check.read(desk, self.record_id)
                applies = self.check.allowed is None or detail.status in self.check.allowed
                options = {f.name: f.options(desk, detail) for f in self.action.fields if f.options and applies}
        except DeskError as err:
            self.post_message(self.Read(None, explain(err, desk)))
            return
        except Exception as err:  # the database away: said, nothing written
            self.post_message(self.Read(None, t("tui.read_failed", desk.lang, error=failure_text(err, desk.lang))))
            return
        self.post_message(self.Read(detail, None, options))

    @on(Read)
    def _got(self, message: Read) -> None:
        if message.error is not None:
            self._refused(message.error)
            return
        detail, check = message.detail, self.check
        if check.allowed is not None and detail.status not in check.allowed:
            self._refused(t("lists.action.not_applicable", self.lang, action=check.action_label,
                            what=t(f"lists.{check.kind}.title", self.lang, id=self.record_id),
                            status=check.status_label(detail.status)))
            return
        for name, options in message.options.items():
            self.query_one(f"#{name}", Select).set_options(options)
        for f in self.action.fields:
            value = getattr(detail, f.prefill, None) if f.prefill else None
            widget = self.query_one(f"#{f.name}")
            if value is None or value == "" or (widget.value is not Select.NULL and str(widget.value).strip()):
                continue  # (nothing to start from, or the user typed first)
            if isinstance(widget, Select):
                if value in {code for code, _ in f.choices}:
                    widget.value = value
            else:
                widget.value = when(value, zone(self.app.desk.config), WHEN) if isinstance(value, datetime) \
                    else str(value)  # a time in the desk's zone, as it is typed back
        self._restore()
        self.checked = True
        if self._pending:
            self._pending = False
            self.action_submit()

    def _refused(self, message: str) -> None:
        """The action does not apply (or the record cannot be read): said; OK disabled."""
        self.checked = False
        self._pending = False
        self._error(message)
        self.query_one("#ok", Button).disabled = True

    # --- what was typed --------------------------------------------------------------------------
    def _draft_key(self) -> tuple:
        return (self.draft_name, self.record_id)

    def typed(self) -> dict[str, Any]:
        out = {}
        for f in self.action.fields:
            widget = self.query_one(f"#{f.name}")
            value = widget.value
            if value is not Select.NULL and str(value).strip():
                out[f.name] = value
        return out

    def _restore(self) -> None:
        draft = _DRAFTS.get(self.app, {}).pop(self._draft_key(), None)
        for name, value in (draft or {}).items():
            try:
                widget = self.query_one(f"#{name}")
                widget.value = value
            except Exception:  # (a choice no longer offered)
                continue

    def _keep(self) -> None:
        typed = self.typed()
        if typed:
            _DRAFTS.setdefault(self.app, {})[self._draft_key()] = typed

    def _error(self, message: str) -> None:
        self.show_error(message)  # (FormDialog's: the line is hidden until it has something to say)

    def _values(self) -> tuple[bool, Any]:
        """(ok, the value for `run`); on a fault the message is shown."""
        fields = self.action.fields
        if not fields:
            return True, None
        values: dict[str, Any] = {}
        for f in fields:
            raw = self.query_one(f"#{f.name}").value
            text = "" if raw is Select.NULL or raw is None else str(raw).strip()
            if not text:
                if f.required:
                    self._error(t("lists.action.required", self.lang, field=t(f.label, self.lang)))
                    return False, None
                values[f.name] = None
                continue
            if f.when:
                try:
                    values[f.name] = to_utc(datetime.strptime(text, WHEN), zone(self.app.desk.config))
                except ValueError:
                    self._error(t("lists.action.bad_when", self.lang, field=t(f.label, self.lang), got=text))
                    return False, None
                continue
            values[f.name] = text
        return True, (values if self.action.form else values["text"])

    def action_submit(self) -> None:
        if self.busy or not self.checked:
            self._pending = self.checked is None  # (sent when the read says the action applies)
            return
        ok, value = self._values()
        if not ok:
            return
        self.busy = True
        self._run(value)

    @work(thread=True, exit_on_error=False, group="record-action")
    def _run(self, value: Any) -> None:
        desk = self.app.desk
        try:
            with db_thread(desk):
                said = self.action.run(desk, self.record_id, value, self.version)
        except DeskError as err:
            self.post_message(self.Finished(explain(err, desk), isinstance(err, StaleVersion)))
            return
        except Exception as err:  # the database went away: say so, nothing was written
            self.post_message(self.Finished(t("tui.work_failed", desk.lang, error=failure_text(err, desk.lang)), False))
            return
        self.post_message(self.Finished(None, False, said if isinstance(said, str) else ""))

    @on(Finished)
    def _finished(self, message: Finished) -> None:
        self.busy = False
        if message.error is None:
            self.dismiss(Done(self.record_id, note=message.note))
            return
        if message.stale:  # refused, nothing written: the list re-reads the record as it is now
            self._keep()
            self.app.notify(Text(message.error), severity="warning", timeout=8)
            self.dismiss(Done(self.record_id, stale=True))
            return
        self._error(message.error)  # the form stays open with what was typed

    def action_cancel(self) -> None:  # (leaves at once, even while the change runs: the list re-reads it)
        self.dismiss(None)
