"""The incident actions of the TUI: one entry point for the queue and the detail screen.

Contract (other screens rely on it):

    IncidentsChanged(ids, created=None, done=())
                                                posted after an action wrote something, or found that
                                                someone else had (a stale edit): reload these incidents.
                                                `created`: the id of an incident the user just created.
                                                `done`: the marked incidents a bulk action changed (the
                                                queue unmarks them; the refused ones stay marked).
                                                It is posted to the screen that started the action and
                                                bubbles on to the app.
    start_action(screen, action, incidents)     action: see ACTIONS; incidents: [(id, version)] as the
                                                user saw them (the cursor row, or all marked rows).
                                                assign / escalate / close / problem / cause act on every incident given;
                                                resolve / reopen / note / return / confirm / knowledge /
                                                set_service / sla_hold / sla_resume / detail on the first;
                                                new on none.
    PERMISSION[action] / allowed(roles, action) what check_action should grey out.

The dialogs collect and validate input; the service calls run in thread workers with
`expect_version` = the version the user saw. Nothing here imports desk.models. Styles live in
desk/dialogs.tcss, which the app loads with desk.tcss.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from importlib import import_module

from textual.message import Message

from desk.domain.permissions import KEY_ACTIONS, may_key
from desk.domain.text import neutralise
from desk.i18n import catalogue, t
from desk.lists.incident import CLOCK, INCIDENTS

ACTIONS = ("assign", "escalate", "resolve", "close", "reopen", "note", "return", "confirm", "new", "knowledge",
           "detail", "problem", "to_request", "cause", "set_service", "set_priority", "sla_hold", "sla_resume")

PERMISSION = KEY_ACTIONS  # action -> the permission it needs (the one table: desk.domain.permissions)


def allowed(roles, action: str) -> bool:
    """May an agent with these roles take `action` at all (the services still check scope)?"""
    return may_key(roles, action)


@contextmanager
def db_thread(desk) -> Iterator[None]:
    """For a worker thread: its own database connection, closed when the work is done."""
    if desk.db.is_closed():
        with desk.db.connection_context():
            yield
    else:
        yield


def localise_bindings(node, lang: str, prefix: str = "actions.key") -> None:
    """Give the node's bindings (those with an id) their description in the user's language:
    `{prefix}.{binding id}` from the catalogue. Call from __init__; keymaps still apply by id.
    (A binding's description has no public setter: this rewrites the node's own private
    BindingsMap, as Textual's keymaps do; tests/tui/test_textual_private_api.py checks that it
    is the node's own.)"""
    for key, bindings in list(node._bindings.key_to_bindings.items()):
        node._bindings.key_to_bindings[key] = [
            replace(b, description=t(f"{prefix}.{b.id}", lang), tooltip=t(f"{prefix}.{b.id}", lang)) if b.id else b
            for b in bindings
        ]


def explain(err, desk) -> str:
    """A refusal in the user's words: codes in the message (status, field, action) become labels."""
    from desk.domain.errors import ConfigError

    lang = desk.lang
    if isinstance(err, ConfigError) or getattr(err, "problem", None) is not None:  # (a catalogue entry's
        return err.message(lang)  # problem names its field by its label)
    params = err.labelled(lang) if hasattr(err, "labelled") else dict(err.params)
    if isinstance(err.params.get("status"), str) and params["status"] == err.params["status"]:
        params["status"] = desk.config.label("status", err.params["status"], lang)
    if isinstance(err.params.get("action"), str):
        short = err.params["action"].split(".", 1)[-1]
        if f"actions.verb.{short}" in catalogue(lang):
            params["action"] = t(f"actions.verb.{short}", lang)
    if err.key == "error.required" and isinstance(err.params.get("field"), str):
        # (the field's code, not its general label: a form's own name for it, "the closure code")
        field_key = f"actions.field.{err.params['field']}"
        if field_key in catalogue(lang):
            params["field"] = t(field_key, lang)
        return t("actions.required", lang, field=params["field"])
    if err.key == "error.unknown_group" and desk.config.codes("group"):
        # (the service's sentence sends the user to `desk codes group`, a command, from inside a form:
        # the form names the codes it takes instead, each with the name users read elsewhere)
        groups = ", ".join(f"`{code}` ({desk.config.label('group', code, lang)})" for code in desk.config.codes("group"))
        return t("actions.unknown_group", lang, code=params.get("code", ""), groups=groups)
    return t(err.key, lang, **params)


class IncidentsChanged(Message):
    """These incidents changed (by this user's action, or by someone else): reload them."""

    def __init__(self, ids: list[int], created: int | None = None, done=()) -> None:
        super().__init__()
        self.ids = list(ids)
        self.created = created  # an incident this user just created: the queue moves its cursor there
        self.done = list(done)  # marked incidents a bulk action changed: the queue unmarks them


@dataclass
class RowResult:
    """What happened to one incident: `error` is the user's-language reason it was refused."""

    id: int
    ok: bool
    error: str = ""
    stale: bool = False


@dataclass
class Outcome:
    """What a dialog did: per-row results, and the ids whose data changed (written or stale)."""

    action: str
    results: list[RowResult] = field(default_factory=list)
    created: int | None = None
    notice: str = ""
    kept: bool = False  # what the user typed is kept for the dialog's next opening on these incidents

    @property
    def changed(self) -> list[int]:
        ids = [r.id for r in self.results if r.ok or r.stale]
        if self.created is not None:
            ids.append(self.created)
        return ids

    @property
    def refused(self) -> list[RowResult]:
        return [r for r in self.results if not r.ok]


# action -> (module under desk.screens, class): imported when first used.
_SCREENS = {
    "assign": ("desk.screens.dialogs.assign", "AssignDialog"),
    "escalate": ("desk.screens.dialogs.escalate", "EscalateDialog"),
    "resolve": ("desk.screens.dialogs.resolve", "ResolveDialog"),
    "close": ("desk.screens.dialogs.close", "CloseDialog"),
    "reopen": ("desk.screens.dialogs.reopen", "ReopenDialog"),
    "note": ("desk.screens.dialogs.note", "NoteDialog"),
    "return": ("desk.screens.dialogs.return_", "ReturnDialog"),
    "confirm": ("desk.screens.dialogs.confirm", "ConfirmDialog"),
    "new": ("desk.screens.dialogs.new_incident", "NewIncidentDialog"),
    "knowledge": ("desk.screens.dialogs.knowledge", "KnowledgeDialog"),
    "detail": ("desk.screens.detail", "DetailScreen"),
    "problem": ("desk.screens.dialogs.problem", "ProblemDialog"),
    "to_request": ("desk.screens.dialogs.to_request", "ToRequestDialog"),
    "cause": ("desk.screens.dialogs.cause", "CauseDialog"),
    "set_service": ("desk.screens.dialogs.set_service", "SetServiceDialog"),
    "set_priority": ("desk.screens.dialogs.set_priority", "SetPriorityDialog"),
}


def _class(action: str):
    module, name = _SCREENS[action]
    return getattr(import_module(module), name)


def start_action(screen, action: str, incidents: list[tuple[int, int]]) -> None:
    """Open the dialog (or the detail screen) for `action` on `incidents`."""
    app = screen.app
    lang = app.desk.lang
    if action not in _SCREENS and action not in CLOCK:
        raise ValueError(f"unknown action {action!r}")
    rows = [(int(i), int(v)) for i, v in incidents]
    if action not in INCIDENTS.bulk:  # (the one definition: desk.lists.incident)
        rows = rows[:1]
    if action == "new":
        rows = []  # (a new incident is not the row under the cursor: its own id is reported)
    if not rows and action not in ("new", "knowledge"):
        app.notify(t("actions.no_incident", lang), severity="warning", markup=False)
        return
    if action == "detail":
        app.push_screen(_class("detail").open(app, rows[0][0], rows[0][1]))
        return
    if action in CLOCK:  # holding and resuming the SLA clock: the kinds' small form, as for a request
        from desk.screens import clock_keys

        clock_keys.open_dialog(app, INCIDENTS, action, *rows[0], lambda changed: _changed(screen, [changed]))
        return

    on_marks = getattr(screen, "on_marks", None)  # (a list screen: did the action take the marked rows?)
    marked = bool(on_marks and on_marks(action))

    def done(outcome: Outcome | None) -> None:
        if outcome is None:  # cancelled: nothing was written
            return
        report(screen, outcome, marked)

    app.push_screen(_class(action)(rows), done)


def report(screen, outcome: Outcome, marked: bool = False) -> None:
    """Tell the user what happened and tell the screens to reload. `marked`: the action took the
    marked rows: the ones it did are unmarked, the refused ones stay marked (and the result says so)."""
    app = screen.app
    lang = app.desk.lang
    changed = outcome.changed
    done = [r.id for r in outcome.results if r.ok] if marked else []
    if changed:
        _changed(screen, changed, outcome.created, done)
    refused = outcome.refused
    done_count = sum(1 for r in outcome.results if r.ok)
    if refused:
        from desk.screens.dialogs.result import ResultDialog

        app.push_screen(ResultDialog(outcome, still_marked=marked))
    elif outcome.notice:
        app.notify(neutralise(outcome.notice), markup=False)
    elif outcome.created is not None:
        app.notify(t(f"actions.{outcome.action}.done", lang, id=outcome.created), markup=False)
    elif done_count == 1:
        app.notify(t(f"actions.{outcome.action}.done", lang, id=outcome.results[0].id), markup=False)
    elif done_count:
        app.notify(t(f"actions.{outcome.action}.done_many", lang, count=done_count), markup=False)


def _changed(screen, ids: list[int], created: int | None = None, done=()) -> None:
    """Tell the screen that started the action (or the app, once it is gone) to reload these."""
    target = screen if screen.is_attached else screen.app
    target.post_message(IncidentsChanged(ids, created, done))
