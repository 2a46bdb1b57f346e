"""What every action dialog shares: the heading naming the incidents, field messages, the
submit/cancel keys, and the worker that calls a service once per incident.

The buttons, enter and escape are desk/screens/dialogs/form.py's (shared with every small form);
what was typed survives a refusal through desk/screens/dialogs/drafts.py.

A dialog subclass declares ACTION, composes its fields in `compose_fields`, loads its choices in
`load` (a worker thread), validates in `collect` (returns the parameters, or None after marking
the fields at fault) and calls the service for one incident in `perform` (a worker thread).
"""

from __future__ import annotations

import logging
from typing import Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Input, Static

from desk.domain.errors import DeskError, StaleVersion
from desk.domain.incident_flow import ALLOWED_FROM
from desk.domain.text import neutralise, one_line
from desk.i18n import t
from desk.key_order import ready_for_keys
from desk.screens.actions import Outcome, RowResult, db_thread, explain, localise_bindings
from desk.screens.dialogs.drafts import KeptDrafts
from desk.screens.dialogs.form import FormDialog
from desk.services import lookup
from desk.widgets.picker import Picker

log = logging.getLogger(__name__)

HEADING_TITLES = 3  # incidents named in a bulk heading before "and N more"
FILL = 0.94  # share of the terminal's height a dialog may take (dialogs.tcss: max-height)

def literal(text: str | None, limit: int | None = None, style: str = "") -> Text:
    """Untrusted text as a one-line Text: control characters neutralised, never parsed as markup."""
    return Text(one_line(text, limit), style=style, no_wrap=True, overflow="ellipsis")


class ActionDialog(KeptDrafts, FormDialog):
    """A small modal form acting on one or more incidents given as [(id, version)]."""

    ACTION = ""
    AUTO_FOCUS = None  # let subclasses focus their first field in on_loaded
    HOLDS_TYPED_KEYS = True  # keys typed after the key that opened it wait for on_loaded (desk.key_order)

    BINDINGS = [
        Binding("escape", "cancel", "cancel", id="dialog_cancel"),
        Binding("ctrl+s", "submit", "save", id="dialog_submit", priority=True),
    ]

    class Loaded(Message):
        def __init__(self, data: dict[str, Any]) -> None:
            super().__init__()
            self.data = data

    class Finished(Message):
        def __init__(self, outcome: Outcome) -> None:
            super().__init__()
            self.outcome = outcome

    def __init__(self, incidents: list[tuple[int, int]] | None = None) -> None:
        super().__init__(classes="action-dialog")
        rows = list(incidents or [])
        # the rows it acts on: start_action gives every marked row for an action of the kind's bulk
        # set (its one definition: desk.lists.incident), else the cursor row alone
        self.rows: list[tuple[int, int]] = rows
        self.busy = False
        self.roles: frozenset[str] = frozenset()
        self.briefs: list[lookup.IncidentBrief] = []
        localise_bindings(self, self.lang)

    # --- handy ------------------------------------------------------------------------------
    @property
    def desk(self):
        return self.app.desk

    @property
    def lang(self) -> str:
        return self.app.desk.lang

    def tr(self, key: str, **params) -> str:
        """This dialog's message `actions.<ACTION>.<key>`, or a shared `actions.<key>`."""
        return t(f"actions.{self.ACTION}.{key}" if not key.startswith("actions.") else key, self.lang, **params)

    # --- layout -----------------------------------------------------------------------------
    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes=f"dialog dialog-{self.ACTION}") as box:
            box.border_title = self.title_text()
            yield Static(id="heading", classes="heading")
            with VerticalScroll(id="fields", classes="fields"):
                yield from self.compose_fields()
            yield from self.compose_summary()
            yield Static(id="dialog-error", classes="dialog-error")
            with Horizontal(id="buttons", classes="buttons"):
                yield Button(t("actions.ok", self.lang), id="ok", variant="primary", compact=True)
                yield Button(t("actions.cancel", self.lang), id="cancel", compact=True)
                yield Static(t("actions.keys_hint", self.lang), classes="hint")

    def title_text(self) -> str:
        if len(self.rows) > 1:
            return self.tr("title_many", count=len(self.rows))
        if self.rows:
            return self.tr("title", id=self.rows[0][0])
        return self.tr("title")

    def compose_fields(self) -> ComposeResult:
        yield from ()

    def compose_summary(self) -> ComposeResult:
        """Widgets that stay in sight under the (scrolling) fields."""
        yield from ()

    def field_error(self, name: str) -> Static:
        """The message line under a field (compose it right after the field)."""
        return Static(id=f"{name}-error", classes="field-error")

    def label(self, key: str, **params) -> Static:
        return Static(self.tr(key, **params), id=f"{key}-label", classes="field-label")

    def line_field(self, name: str):
        """A labelled one-line field (`#name`, its hint `name_hint`) with its message line."""
        yield self.label(name)
        yield Input(id=name, compact=True, placeholder=self.tr(f"{name}_hint"))
        yield self.field_error(name)

    # --- loading ----------------------------------------------------------------------------
    def on_mount(self) -> None:
        self.query_one("#ok", Button).disabled = True
        self._load()
        self.call_after_refresh(self.fit)

    def on_resize(self) -> None:
        self.call_after_refresh(self.fit)

    def fit(self) -> None:
        """Keep the buttons in sight: the fields scroll within what the terminal leaves them."""
        try:
            dialog, fields = self.query_one("#dialog"), self.query_one("#fields")
        except Exception:
            return
        limit = int(self.size.height * FILL)
        others = dialog.styles.gutter.height
        for child in dialog.children:
            if child is not fields and child.display:
                others += child.outer_size.height + child.styles.margin.top + child.styles.margin.bottom
        room = max(3, limit - others)
        if fields.styles.max_height is None or fields.styles.max_height.value != room:
            fields.styles.max_height = room

    @work(thread=True, exit_on_error=False, group="dialog-load")
    def _load(self) -> None:
        desk = self.desk
        data: dict[str, Any] = {}
        try:
            with db_thread(desk):
                data["roles"] = frozenset(lookup.me(desk).roles)
                data["briefs"] = lookup.incidents(desk, [i for i, _ in self.rows])
                moved_on = self.not_applicable(data["briefs"])
                if moved_on:
                    data["error"] = moved_on
                else:
                    data.update(self.load(desk))
        except DeskError as err:
            data["error"] = explain(err, desk)
        except Exception as exc:  # never a traceback on screen
            log.exception("loading %s dialog", self.ACTION)
            data["error"] = t("actions.unexpected", desk.lang, what=type(exc).__name__)
        self.post_message(self.Loaded(data))

    def not_applicable(self, briefs) -> str:
        """Why the action applies to none of these incidents in their state now ('' if it does):
        said before anything is typed (the row on screen may have been out of date)."""
        allowed_from = ALLOWED_FROM.get(self.ACTION)
        if allowed_from is None or not briefs or any(b.status in allowed_from for b in briefs):
            return ""
        brief = briefs[0]
        return t("actions.not_applicable", self.lang, action=t(f"tui.key.{self.ACTION}", self.lang), id=brief.id,
                 status=self.desk.config.label("status", brief.status, self.lang))

    def load(self, desk) -> dict[str, Any]:
        """Worker thread: read what the fields offer. Returns data for `on_loaded`."""
        return {}

    @on(Loaded)
    def _loaded(self, message: Loaded) -> None:
        data = message.data
        self.roles = data.get("roles", frozenset())
        self.briefs = data.get("briefs", [])
        self.query_one("#heading", Static).update(self.heading())
        if "error" in data:
            self.show_error(data["error"])
            ready_for_keys(self)
            return
        self.on_loaded(data)
        self.restore_typed()
        self.query_one("#ok", Button).disabled = False
        ready_for_keys(self)
        self.call_after_refresh(self.fit)

    def on_loaded(self, data: dict[str, Any]) -> None:
        """Fill the fields from `load`'s data and focus the first one."""

    def heading(self) -> Text:
        """Which incidents: '#12 Title' or '3 incidents: #1 …, #2 …'."""
        found = {b.id: b for b in self.briefs}
        out = Text(no_wrap=False)
        if len(self.rows) > 1:
            out.append(t("actions.heading_many", self.lang, count=len(self.rows)) + "\n", style="bold")
        for index, (inc_id, _) in enumerate(self.rows[:HEADING_TITLES]):
            brief = found.get(inc_id)
            out.append(f"#{inc_id} ", style="bold")
            if brief is None:
                out.append(t("actions.missing", self.lang), style="italic")
            else:
                out.append_text(literal(brief.title, 60))
                out.append(f"  {self.desk.config.label('status', brief.status, self.lang)}", style="dim")
            if index < min(len(self.rows), HEADING_TITLES) - 1:
                out.append("\n")
        if len(self.rows) > HEADING_TITLES:
            out.append("\n" + t("actions.and_more", self.lang, count=len(self.rows) - HEADING_TITLES), style="dim")
        return out

    # --- messages under fields --------------------------------------------------------------
    def set_error(self, name: str, message: str) -> None:
        widget = self.query_one(f"#{name}-error", Static)
        widget.update(Text(neutralise(message)))
        widget.set_class(bool(message), "shown")

    def clear_errors(self) -> None:
        for widget in self.query(".field-error"):
            widget.update("")
            widget.remove_class("shown")
        self.show_error("")

    def required(self, name: str, value: str | None, label_key: str | None = None) -> str | None:
        """The value stripped, or None after putting 'X is required' under the field."""
        text = (value or "").strip()
        if not text:
            self.set_error(name, t("actions.required", self.lang, field=self.tr(label_key or name)))
            return None
        return text

    def focus_fault(self) -> None:
        """The cursor to the first field whose message says what is wrong: what is typed next goes
        there (enter in a picker's search submits, and left the cursor in the search)."""
        for message in self.query(".field-error.shown"):
            name = (message.id or "").removesuffix("-error")
            field = next(iter(self.query(f"#{name}")), None) if name else None
            if isinstance(field, Picker):
                field = field.search_input
            if field is not None and field.focusable:
                field.focus()
                return

    # --- submitting -------------------------------------------------------------------------
    def collect(self) -> dict[str, Any] | None:
        """Validate the fields; the parameters for `perform`, or None (messages shown)."""
        return {}

    def perform(self, desk, incident_id: int, version: int, params: dict[str, Any]) -> None:
        """Worker thread: call the service for one incident (raise DeskError to refuse)."""
        raise NotImplementedError

    def after(self, desk, outcome: Outcome, params: dict[str, Any]) -> None:
        """Worker thread, after every incident: follow-up work (e.g. a knowledge draft)."""

    def action_submit(self) -> None:
        if self.busy or self.query_one("#ok", Button).disabled:
            return
        self.clear_errors()
        params = self.collect()
        if params is None:
            self.focus_fault()
            return
        self.busy = True
        self.query_one("#ok", Button).disabled = True
        self.show_error(t("actions.working", self.lang))
        self.query_one("#dialog-error").add_class("working")
        self._run(params)

    @work(thread=True, exit_on_error=False, group="dialog-run")
    def _run(self, params: dict[str, Any]) -> None:
        desk = self.desk
        outcome = Outcome(self.ACTION)
        with db_thread(desk):
            for inc_id, version in self.rows or [(0, 0)]:
                try:
                    created = self.perform(desk, inc_id, version, params)
                    if self.rows:
                        outcome.results.append(RowResult(inc_id, True))
                    else:
                        outcome.created = created
                except StaleVersion as err:
                    outcome.results.append(RowResult(inc_id, False, self.explain(err), stale=True))
                except DeskError as err:
                    outcome.results.append(RowResult(inc_id, False, self.explain(err)))
                except Exception as exc:  # never a traceback on screen
                    log.exception("%s on incident %s", self.ACTION, inc_id)
                    outcome.results.append(RowResult(inc_id, False,
                                                     t("actions.unexpected", desk.lang, what=type(exc).__name__)))
            try:
                self.after(desk, outcome, params)
            except DeskError as err:
                outcome.notice = self.explain(err)
            except Exception as exc:
                log.exception("after %s", self.ACTION)
                outcome.notice = t("actions.unexpected", desk.lang, what=type(exc).__name__)
        self.post_message(self.Finished(outcome))

    def explain(self, err: DeskError) -> str:
        return explain(err, self.desk)

    @on(Finished)
    def _finished(self, message: Finished) -> None:
        outcome = message.outcome
        self.busy = False
        self.query_one("#dialog-error").remove_class("working")
        single = len(self.rows) <= 1
        failed = outcome.refused
        if single and failed and not failed[0].stale:
            # one incident, refused: say why here and let the user correct it (or escape)
            self.show_error(failed[0].error)
            self.query_one("#ok", Button).disabled = False
            return
        if not self.rows and outcome.created is None and outcome.notice:
            self.show_error(outcome.notice)
            self.query_one("#ok", Button).disabled = False
            return
        self.keep_typed(outcome)
        self.dismiss(outcome)
