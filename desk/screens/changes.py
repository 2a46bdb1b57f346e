"""The change queue (F8): changes on the list machinery, with their detail and the decisions
and steps taken from the list (submit, approve, reject, start: desk.services.changes)."""

from __future__ import annotations

from textual.binding import Binding

from desk.i18n import t
from desk.lists.change import CHANGES
from desk.screens.list_screen import ListScreen, list_bindings
from desk.screens.record_action import RecordAction

SHOWN = frozenset({"detail", "submit", "approve", "reject"})


def _services():
    from desk.services import changes

    return changes


ACTIONS = {
    "submit": RecordAction(lambda desk, i, text, v: _services().submit(desk, None, i, expect_version=v)),
    "approve": RecordAction(lambda desk, i, text, v: _services().approve(desk, None, i, note=text or "",
                                                                         expect_version=v),
                            "lists.action.decision_note", required=False),
    "reject": RecordAction(lambda desk, i, text, v: _services().reject(desk, None, i, note=text or "",
                                                                       expect_version=v),
                           "lists.action.decision_note"),
    "start": RecordAction(lambda desk, i, text, v: _services().start(desk, None, i, expect_version=v)),
}


def detail_lines(d, lang: str) -> list[tuple[str, str]]:
    def f(key: str) -> str:
        return t(f"change.field.{key}", lang)

    when = (lambda v: v.strftime("%Y-%m-%d %H:%M") if v else "")
    lines = [(f("status"), t(f"change.status.{d.status}", lang)), (f("type"), t(f"change.type.{d.type}", lang)),
             (f("requester"), d.requester), (f("services"), d.services), (f("risk"), d.risk),
             (f("planned_start"), when(d.planned_start)), (f("planned_end"), when(d.planned_end)),
             (f("reason"), d.reason), (f("description"), d.description),
             (f("implementation_plan"), d.implementation_plan), (f("backout_plan"), d.backout_plan),
             (f("decision"), "; ".join(f"{x.agent} {t(f'change.decision.{x.decision}', lang)}"
                                         for x in d.decisions)),
             (f("version"), str(d.version))]
    return [(label, value) for label, value in lines if value]


class ChangesScreen(ListScreen):
    SPEC = CHANGES
    SCREEN_ID = "changes"
    TITLE_KEY = "lists.screen.changes"
    TABLE_ID = "changes-table"
    STATUS_ID = "changes-status"
    BINDINGS = list_bindings(CHANGES, SHOWN, prefix="change.") + [
        Binding("C", "calendar", "changes.calendar.key.calendar", id="change.calendar")]
    ACTIONS = ACTIONS
    BINDING_PREFIX = "change."

    def action_calendar(self) -> None:
        from desk.screens.change_calendar import ChangeCalendarScreen

        self.app.push_screen(ChangeCalendarScreen(self))

    def read_detail(self, desk, record_id: int):
        return _services().get(desk, record_id)

    def detail_lines(self, detail, lang: str):
        return detail_lines(detail, lang)

    def start(self, action: str, rows: list[tuple[int, int]]) -> None:
        from desk.screens.record_start import start_record_action

        start_record_action(self, action, rows)
