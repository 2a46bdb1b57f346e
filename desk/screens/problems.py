"""The problem queue (F7): problems on the list machinery, with their detail and actions
(investigate, root cause, known error, resolve, close, note: desk.services.problems)."""

from __future__ import annotations

from textual import on
from textual.message import Message

from desk.i18n import t
from desk.system_words import failure_text
from desk.lists.problem import PROBLEMS
from desk.record_fields import PROBLEM, VERSION, Field, View, labelled, problem_label, text
from desk.screens.actions import db_thread
from desk.screens.list_screen import ListScreen, list_bindings
from desk.screens.record_action import RecordAction
from desk.timefmt import when as at, zone

SHOWN = frozenset({"detail", "investigate", "known_error", "resolve"})


def _services():
    from desk.services import problems

    return problems


ACTIONS = {
    "investigate": RecordAction(lambda desk, i, text, v: _services().investigate(desk, None, i, expect_version=v)),
    "root_cause": RecordAction(lambda desk, i, text, v: _services().root_cause(desk, None, i, text=text,
                                                                               expect_version=v),
                               "problem.field.root_cause"),
    "known_error": RecordAction(lambda desk, i, text, v: _services().known_error(desk, None, i, workaround=text,
                                                                                 expect_version=v),
                                "problem.field.workaround"),
    "resolve": RecordAction(lambda desk, i, text, v: _services().resolve(desk, None, i, fix=text, expect_version=v),
                            "problem.field.fix"),
    "close": RecordAction(lambda desk, i, text, v: _services().close(desk, None, i, expect_version=v)),
    "note": RecordAction(lambda desk, i, text, v: _services().note(desk, None, i, text=text, expect_version=v),
                         "lists.action.note"),
}


def detail_lines(d, lang: str, tz=None, config=None) -> list[tuple[str, str]]:
    """Its fields as label and text, as `desk problem show` has them (desk.record_fields.PROBLEM),
    then its texts; its times in the desk's zone `tz` (the history's heading names it). A field
    with nothing in it is left out (its incidents: listed below, Enter opens one)."""
    v = View(None, lang, config, lambda value: at(value, tz, empty=""), lambda key: problem_label(key, lang))
    texts = tuple(Field(key, text(key)) for key in ("description", "root_cause", "workaround", "fix"))
    return [(v.label(f.key), value) for f, value in labelled((*PROBLEM, *texts, VERSION), v, d) if value]


class ProblemsScreen(ListScreen):
    SPEC = PROBLEMS
    RECORD_DETAIL = True
    SCREEN_ID = "problems"
    TITLE_KEY = "lists.screen.problems"
    TABLE_ID = "problems-table"
    STATUS_ID = "problems-status"
    BINDINGS = list_bindings(PROBLEMS, SHOWN, prefix="problem.")
    ACTIONS = ACTIONS
    BINDING_PREFIX = "problem."
    INCIDENTS_LABEL = "problem.field.incidents"

    def read_detail(self, desk, record_id: int):
        return _services().get(desk, record_id)

    class Resolved(Message):
        """A problem's detail read after its resolution (or for its incidents key)."""

        def __init__(self, problem, quiet: bool, error: str | None = None) -> None:
            super().__init__()
            self.problem, self.quiet, self.error = problem, quiet, error  # error: the read failed, said so

    def detail_lines(self, detail, lang: str):
        return detail_lines(detail, lang, zone(self.app.desk.config), self.app.desk.config)

    def start(self, action: str, rows: list[tuple[int, int]]) -> None:
        from desk.screens.record_start import start_record_action

        if action == "resolve_incidents":
            self._offer(rows[0][0], quiet=False)
            return
        then = (lambda record_id: self._offer(record_id, quiet=True)) if action == "resolve" else None
        start_record_action(self, action, rows, then=then)

    def _offer(self, problem_id: int, quiet: bool) -> None:
        """Read the problem (a thread), then offer to resolve its open incidents."""
        def read() -> None:
            desk = self.desk
            try:
                with db_thread(desk):
                    problem = _services().get(desk, problem_id, with_history=False)
            except Exception as err:  # (gone; the database away): said, nothing offered
                # (a message, not call_from_thread: it never blocks on, or runs on, an app that has gone)
                self.post_message(self.Resolved(None, quiet, t("tui.read_failed", desk.lang,
                                                                 error=failure_text(err, desk.lang))))
                return
            self.post_message(self.Resolved(problem, quiet))

        self.run_worker(read, thread=True, group="problem-offer", exit_on_error=False)

    @on(Resolved)
    def _resolved(self, message: Resolved) -> None:
        from desk.screens.problem_incidents import offer

        if message.error is not None:
            self.notify(message.error, severity="error", markup=False)
            return
        offer(self, message.problem, quiet=message.quiet)
