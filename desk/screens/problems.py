"""The problem queue (F7): problems on the list machinery, with their detail and actions
(investigate, root cause, known error, resolve, close, note: desk.services.problems)."""

from __future__ import annotations

from desk.i18n import t
from desk.lists.problem import PROBLEMS
from desk.screens.list_screen import ListScreen, list_bindings
from desk.screens.record_action import RecordAction

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


def detail_lines(d, lang: str) -> list[tuple[str, str]]:
    def f(key: str) -> str:
        return t(f"problem.field.{key}", lang)

    when = (lambda v: v.strftime("%Y-%m-%d %H:%M") if v else "")
    lines = [(f("status"), t(f"problem.status.{d.status}", lang)), (f("priority"), str(d.priority)),
             (f("service"), d.service), (f("category"), d.category), (f("owner"), d.owner), (f("group"), d.group),
             (f("created_by"), d.created_by), (f("opened"), when(d.opened_at)), (f("description"), d.description),
             (f("root_cause"), d.root_cause), (f("workaround"), d.workaround), (f("fix"), d.fix),
             (f("incidents"), ", ".join(f"{i.id} {i.title}" for i in d.incidents)), (f("version"), str(d.version))]
    return [(label, value) for label, value in lines if value]


class ProblemsScreen(ListScreen):
    SPEC = PROBLEMS
    SCREEN_ID = "problems"
    TITLE_KEY = "lists.screen.problems"
    TABLE_ID = "problems-table"
    STATUS_ID = "problems-status"
    BINDINGS = list_bindings(PROBLEMS, SHOWN, prefix="problem.")
    ACTIONS = ACTIONS
    BINDING_PREFIX = "problem."

    def read_detail(self, desk, record_id: int):
        return _services().get(desk, record_id)

    def detail_lines(self, detail, lang: str):
        return detail_lines(detail, lang)

    def start(self, action: str, rows: list[tuple[int, int]]) -> None:
        from desk.screens.record_start import start_record_action

        start_record_action(self, action, rows)
