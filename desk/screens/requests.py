"""The request queue (F3): service requests on the general list machinery — my work, the approval
inbox (approvers land there), open, unassigned, waiting, resolved, all — with the request detail
(enter), the intake checklist (n) and the actions (a accept, d dispatch, p approve, x reject,
f fulfil, b callback, c close, m note, …), each a small form through desk.services.requests; h and
H hold and resume the request's SLA clock (desk/screens/clock_keys.py, as on incidents)."""

from __future__ import annotations

from textual import work

from desk.lists.request import CLOCK, REQUESTS
from desk.screens.actions import IncidentsChanged, db_thread
from desk.screens import request_keys
from desk.screens.list_screen import ListScreen, list_bindings

SHOWN = frozenset({"detail", "new", "accept", "approve", "fulfil", "close"})  # (by role on mount: request_keys)
AUTO_CLOSE_SECONDS = 600.0  # a running queue auto-closes silent resolved requests this often


class RequestsScreen(ListScreen):
    SPEC = REQUESTS
    SCREEN_ID = "requests"
    TITLE_KEY = "tui.screen.requests"
    TABLE_ID = "requests-table"
    STATUS_ID = "requests-status"
    BINDING_PREFIX = "request."
    BINDINGS = list_bindings(REQUESTS, SHOWN, prefix="request.")

    def on_mount(self) -> None:
        request_keys.show_only(self, self.BINDING_PREFIX, request_keys.shown(self.may))
        super().on_mount()
        if self.may("close"):  # any running TUI auto-closes too (exactly once: the service sees to it)
            self._auto_close()
            self.set_interval(AUTO_CLOSE_SECONDS, self._auto_close, name="requests-auto-close")

    @work(thread=True, exclusive=True, exit_on_error=False, group="requests-auto-close")
    def _auto_close(self) -> None:
        from desk.domain.errors import DeskError
        from desk.services import requests

        desk = self.app.desk
        try:
            with db_thread(desk):
                closed = requests.auto_close(desk, None)
        except DeskError:
            return
        if closed:  # a message, not call_from_thread: it never blocks on, or runs on, an app that has gone
            self.post_message(IncidentsChanged(closed))

    def default_view(self) -> str:
        roles = self.app.operator.roles
        return "approvals" if "approver" in roles and not roles & {"l1", "l2", "lead"} else "mine"

    def start(self, action: str, rows: list[tuple[int, int]]) -> None:
        if action == "new":
            from desk.screens.request_intake import IntakeScreen

            self.app.push_screen(IntakeScreen(), self._intake_done)
            return
        request_id, version = rows[0]
        if action == "detail":
            from desk.screens.request_detail import RequestDetailScreen

            self.app.push_screen(RequestDetailScreen(request_id))
            return
        if action in CLOCK:  # the SLA clock's hold and resume: the kinds' small form
            from desk.screens import clock_keys

            clock_keys.open_dialog(self.app, REQUESTS, action, request_id, version,
                                   lambda i: self.incidents_changed([i]))
            return
        from desk.screens.request_action import RequestAction

        row = self.table.cursor_row
        title = row.title if row is not None and row.id == request_id else ""
        ids = [i for i, _ in rows]  # every marked request for the kind's bulk actions (REQUESTS.bulk)
        marked = self.on_marks(action)  # (then the requests it changes are unmarked; the refused stay marked)
        dialog = RequestAction(action, request_id, version, title, rows=rows, marked=marked)
        self.app.push_screen(dialog, lambda changed: self.incidents_changed(
            ids, done=dialog.done if marked else ()) if changed else None)

    @staticmethod
    def open_for_service(app, code: str) -> None:
        """The intake with the service chosen, over whatever screen asks (`n` on the catalogue)."""
        from desk.screens.request_intake import IntakeScreen

        app.push_screen(IntakeScreen(service=code))

    def _intake_done(self, request_id) -> None:
        if request_id:
            self.incidents_changed([request_id], created=request_id)
