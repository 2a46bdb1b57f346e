"""A request action as a small modal form: a few text fields, the service called in a worker
thread (one transaction), a refusal shown in the user's words with nothing written. `enter` in
the last field or ctrl+s submits, escape cancels. Dismissed with True when the change was made.

Given several rows (the marked requests, for an action of the kind's bulk set: desk.lists.request
REQUESTS.bulk), it calls the service once per request, each its own transaction with the version
the user saw: a stale or refused one changes nothing and is named in the result (ResultDialog),
the others are done."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple
from weakref import WeakKeyDictionary

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from desk.domain import request_flow as flow
from desk.domain.errors import DeskError, StaleVersion
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


def _approvers(desk, i, v, f):
    logins = [login.strip() for login in f["approvers"].replace("，", ",").split(",") if login.strip()]
    return _services()[1].ask_approval(desk, None, i, approvers=logins, expect_version=v)


def _to_incident(desk, i, v, f):
    from desk.services import request_convert

    return request_convert.to_incident(desk, None, i, reason=f["reason"], impact=f.get("impact", 3),
                                       urgency=f.get("urgency", 3), expect_version=v)


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
    "escalate": Spec((Field("reason", "request.tui.field.reason", True),), _req("escalate")),
    "return": Spec((Field("reason", "request.tui.field.reason", True),
                    Field("suggestion", "request.tui.field.suggestion", True)), _req("return_")),
    "ask_approval": Spec((Field("approvers", "request.tui.field.approvers", True),), _approvers),
    "ask_cost": Spec((), _req("ask_cost")),
    "confirm_cost": Spec((Field("amount", "request.tui.field.amount", True),
                          Field("currency", "request.tui.field.currency", True),
                          Field("confirmed_with", "request.tui.field.confirmed_with", True)), _req("confirm_cost")),
    "wait": Spec((Field("reason", "request.tui.field.wait_reason", True),), _req("wait")),
    "resume": Spec((Field("note", "request.tui.field.note"),), _req("resume")),
    "cancel": Spec((Field("reason", "request.tui.field.cancel_reason", True),), _req("cancel")),
    "to_incident": Spec((Field("reason", "request.tui.field.fault", True), Field("impact", "request.tui.field.impact"),
                         Field("urgency", "request.tui.field.urgency")), _to_incident),
}

CODE_TABLES = {"request.tui.field.rejection": "request_rejection", "request.tui.field.group": "group"}  # labels naming their code table's codes
CODE_TABLES["request.tui.field.close_code"] = "request_close_code"  # (only those the form takes: CODES_TAKEN)
CODES_TAKEN = {"request.tui.field.close_code": flow.OUTCOMES}  # close chooses how fulfilment ended, nothing else

HEADING_IDS = 8  # marked requests named in a bulk form's heading before "and N more"

# What the agent typed into a form whose change was refused as stale (someone changed the request
# meanwhile): app -> {(action, request id): {field: text}}. The same form opened again on that
# request starts with it; a change that went through forgets it.
_DRAFTS: WeakKeyDictionary = WeakKeyDictionary()


class RequestAction(ModalScreen[bool]):
    # Labels wrap: a long one ('Approving leaders (logins, in the order they decide, …)') was cut at 80 columns
    CSS = """
    RequestAction.action-dialog .field-label { height: auto; }
    RequestAction.action-dialog .offered { height: auto; color: $text-muted; display: none; }
    RequestAction.action-dialog .offered.shown { display: block; }
    """
    BINDINGS = [
        Binding("escape", "cancel", "cancel", id="request_dialog_cancel"),
        Binding("ctrl+s", "submit", "save", id="request_dialog_submit", priority=True),
    ]

    class Checked(Message):
        """Can the request as it is now take the action? `error`: why not (said before anything is typed)."""

        def __init__(self, error: str | None) -> None:
            super().__init__()
            self.error = error

    class Offered(Message):
        """Who may approve (login, name), and how many levels the request needs (ask for approval)."""

        def __init__(self, approvers: list[tuple[str, str]], levels: int) -> None:
            super().__init__()
            self.approvers, self.levels = approvers, levels

    class Done(Message):
        def __init__(self, error: str | None, stale: bool = False, results: list | None = None) -> None:
            super().__init__()
            self.error, self.stale = error, stale
            self.results = results  # several requests: a desk.screens.actions.RowResult each

    def __init__(self, action: str, request_id: int, version: int, title: str = "",
                 rows: list[tuple[int, int]] | None = None, marked: bool = False) -> None:
        super().__init__(classes="action-dialog")
        self.marked = marked  # the rows are the queue's marks: the refused ones stay marked (the result says so)
        self.done: list[int] = []  # the requests the action changed (once dismissed)
        self.action_name, self.request_id, self.version, self.title_text = action, request_id, version, title
        self.rows = [(int(i), int(v)) for i, v in rows] if rows else [(request_id, version)]
        self.spec = SPECS[action]
        self.busy = False
        self.blocked = False  # the request's status now cannot take the action
        self.checked = False  # (the status was read)

    def compose(self) -> ComposeResult:
        lang = self.app.desk.lang
        with Vertical(id="dialog"):
            action = t(f"request.key.{self.action_name}", lang)
            if len(self.rows) > 1:
                heading = Text(t("request.tui.heading_many", lang, action=action, count=len(self.rows)), style="bold")
                shown = ", ".join(f"R{i}" for i, _ in self.rows[:HEADING_IDS])
                heading.append("\n" + (t("request.tui.and_more", lang, ids=shown, count=len(self.rows) - HEADING_IDS)
                                       if len(self.rows) > HEADING_IDS else shown))
            else:
                heading = Text(t("request.tui.heading", lang, action=action, id=self.request_id), style="bold")
                heading.append("  " + one_line(self.title_text, 60))
            yield Static(heading, classes="heading")
            if not self.spec.fields:
                yield Static(t("request.tui.confirm", lang), classes="field-label")
            for f in self.spec.fields:
                yield Static(self._label(f, lang) + (" *" if f.required else ""), classes="field-label")
                yield Input(id=f"f-{f.name}", compact=True)
            yield Static("", id="offered", classes="offered")  # (ask for approval: who may approve)
            yield Static("", id="error", classes="field-error")
            yield Static(t("request.tui.keys", lang), classes="field-label")

    def _label(self, f: Field, lang: str) -> str:
        """A field's label; a code field names the codes it takes with their labels, from the table in force."""
        table = CODE_TABLES.get(f.label)
        if table is None:
            return t(f.label, lang)
        config = self.app.desk.config
        codes = t("request.tui.code_sep", lang).join(
            t("request.tui.code_named", lang, code=code, label=config.label(table, code, lang))
            for code in config.codes(table) if code in CODES_TAKEN.get(f.label, (code,)))
        return t(f.label, lang, codes=codes)

    def on_mount(self) -> None:
        self.query_one("#dialog").border_title = t(f"request.key.{self.action_name}", self.app.desk.lang)
        draft = _DRAFTS.get(self.app, {}).pop((self.action_name, self.request_id), None)
        for name, text in (draft or {}).items():
            field = self.query_one(f"#f-{name}", Input)
            field.value = text
            field.cursor_position = len(text)
        inputs = list(self.query(Input))
        if inputs:
            inputs[0].focus()
        self._check()

    @work(thread=True, exclusive=True, exit_on_error=False, group="request-action-check")
    def _check(self) -> None:
        """Can the request, as it is now, take the action? (The row on screen may be out of date.)"""
        from desk.lists.request import STEPS
        from desk.services import request_reads

        desk = self.app.desk
        first = None  # several requests: the form opens if any of them can take it (the others are named after)
        for request_id, _ in self.rows:
            try:
                with db_thread(desk):
                    d = request_reads.get(desk, request_id, with_history=False)
                flow.require_from(STEPS[self.action_name], d.status)
                if self.action_name == "ask_approval" and len(self.rows) == 1:
                    from desk.services.request_approval import approvers

                    with db_thread(desk):
                        self.post_message(self.Offered(approvers(desk), max(1, d.approval_levels)))
                if self.action_name == "fulfil":  # (the form fulfils with success: said before the typing)
                    flow.require_ready_to_fulfil(flow.RequestState(d.status, approval_levels=d.approval_levels,
                                                                   approved=d.approved, needs_cost=d.needs_cost,
                                                                   cost_confirmed=d.cost_confirmed))
            except DeskError as err:
                first = first or explain(err, desk)
                continue
            self.post_message(self.Checked(None))
            return
        self.post_message(self.Checked(first))

    @on(Checked)
    def _checked(self, message: Checked) -> None:
        self.checked = True
        if message.error is not None:
            self.blocked = True
            self.say(message.error)

    @on(Offered)
    def _offered(self, message: Offered) -> None:
        lang = self.app.desk.lang
        sep = t("request.tui.offered_sep", lang)
        names = sep.join(t("request.tui.offered_one", lang, login=one_line(login, 40), name=one_line(name, 40))
                         for login, name in message.approvers) or t("request.tui.offered_none", lang)
        offered = self.query_one("#offered", Static)
        offered.update(Text(t("request.tui.offered", lang, approvers=names, levels=message.levels)))
        offered.set_class(True, "shown")

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

    def say(self, message: str) -> None:
        """A refusal under the fields, in the user's words (the line is hidden while empty)."""
        error = self.query_one("#error", Static)
        error.update(Text(one_line(message, 300)))
        error.set_class(bool(message), "shown")

    def typed(self) -> dict[str, str]:
        return {f.name: self.query_one(f"#f-{f.name}", Input).value for f in self.spec.fields}

    def action_submit(self) -> None:
        if self.busy or self.blocked:
            return
        lang = self.app.desk.lang
        values = {}
        for name, text in self.typed().items():
            f = next(f for f in self.spec.fields if f.name == name)
            if f.required and not text.strip():
                self.say(t("actions.required", lang, field=t(f.label, lang)))
                return
            if text.strip() or f.required:
                values[name] = text
        self.busy = True
        self._perform(values)

    @work(thread=True, exclusive=True, exit_on_error=False, group="request-action")
    def _perform(self, values: dict) -> None:
        from desk.screens.actions import RowResult

        desk = self.app.desk
        results = []
        for request_id, version in self.rows:  # each request its own transaction, with the version seen
            try:
                with db_thread(desk):
                    self.spec.call(desk, request_id, version, values)
                results.append(RowResult(request_id, True))
            except DeskError as err:
                results.append(RowResult(request_id, False, explain(err, desk), isinstance(err, StaleVersion)))
        if len(results) > 1:
            self.post_message(self.Done(None, results=results))
        else:
            self.post_message(self.Done(results[0].error or None, results[0].stale))

    def _bulk_done(self, results: list) -> None:
        """Several requests: the done ones are done; the refused ones are named with why (what was
        typed waits for the next try on the stale ones)."""
        from desk.screens.actions import Outcome

        lang = self.app.desk.lang
        outcome = Outcome(self.action_name, results)
        self.done = [row.id for row in results if row.ok]
        typed = {name: text for name, text in self.typed().items() if text.strip()}
        drafts = _DRAFTS.setdefault(self.app, {})
        for row in results:
            if row.stale and typed:
                drafts[(self.action_name, row.id)] = typed
                outcome.kept = True
            elif row.ok:
                drafts.pop((self.action_name, row.id), None)
        self.dismiss(True)
        action = t(f"request.key.{self.action_name}", lang)
        if outcome.refused:
            from desk.screens.dialogs.result import ResultDialog

            self.app.push_screen(ResultDialog(outcome, title=action, mark="R", kept=t("request.tui.kept", lang),
                                              still_marked=self.marked))
        else:
            self.app.notify(Text(t("request.tui.done_many", lang, action=action, count=len(results))))

    @on(Done)
    def _done(self, message: Done) -> None:
        self.busy = False
        if message.results is not None:
            self._bulk_done(message.results)
            return
        drafts = _DRAFTS.setdefault(self.app, {})
        if message.error is None:
            drafts.pop((self.action_name, self.request_id), None)
            self.done = [self.request_id]
            self.dismiss(True)
        elif message.stale:  # nothing written: the queue re-reads the request; the text waits for the next try
            typed = {name: text for name, text in self.typed().items() if text.strip()}
            if typed:
                drafts[(self.action_name, self.request_id)] = typed
            key = "request.tui.stale_kept" if typed else "request.tui.stale"
            self.app.notify(Text(t(key, self.app.desk.lang, error=message.error)), severity="warning", timeout=8)
            self.dismiss(True)
        else:
            self.say(message.error)
