"""The incident queue: the screen agents live in all day — the incident kind's list screen.

Everything a list does (views, filter bar, sorting, marks, live refresh, saved views) is the
generic desk.screens.list_screen.ListScreen over desk.lists.incident.INCIDENTS. What is the
queue's own: the first page read while Textual starts (app.first_page), the incident actions
(desk.screens.actions), and the detail read ahead while the cursor rests on an incident (and
the detail screen built ahead once the first list is in), so that enter shows it at once.
"""

from __future__ import annotations

import sys

from textual import on
from textual.message import Message

from desk.i18n import t
from desk.lists.incident import INCIDENTS
from desk.screens.list_screen import POLL_SECONDS, ListScreen, list_bindings, view_keys  # noqa: F401
from desk.widgets.incident_table import IncidentTable
from desk.widgets.queue_source import FIRST_PAGE  # noqa: F401  (tests shrink it here)
from desk.widgets.reader import close_detail_reads, detail_reads

READ_AHEAD_DELAY = 0.08  # the cursor resting this long on an incident reads its detail ahead
DETAIL_AHEAD_DELAY = 0.3  # the first list is in: the detail screen is built this long after
VIEW_KEYS = view_keys(INCIDENTS)
ACTION_KEYS = dict(INCIDENTS.actions)
SHOWN = frozenset({"detail", "assign", "escalate", "resolve", "close"})  # in the footer; help lists all


class QueueScreen(ListScreen):
    SPEC = INCIDENTS
    SCREEN_ID = "queue"
    TITLE_KEY = "tui.screen.queue"
    TABLE_ID = "incidents"
    STATUS_ID = "queue-status"
    EMPTY_KEY = "tui.status.empty"
    NO_ROW_KEY = "tui.no_incident"
    BINDINGS = list_bindings(INCIDENTS, SHOWN)

    class ReadAhead(Message):
        """The detail of the incident under the cursor has been read ahead."""

        def __init__(self, incident_id: int, version: int) -> None:
            super().__init__()
            self.incident_id = incident_id
            self.version = version

    def __init__(self) -> None:
        super().__init__()
        self._read_ahead_timer = None
        self._detail_ready = False

    # --- the incident kind's answers ---------------------------------------------------------------
    def default_view(self) -> str:
        return self.app.default_view()

    @property
    def vocabulary(self):
        return self.app.vocabulary

    def may(self, action: str) -> bool:
        return self.app.may(action)

    def make_table(self) -> IncidentTable:
        desk = self.desk
        return IncidentTable(source=self.source, config=desk.config, lang=desk.lang, now=desk.now, id=self.TABLE_ID)

    def start(self, action: str, rows: list[tuple[int, int]]) -> None:
        try:
            from desk.screens.actions import start_action
        except ImportError:
            self.notify(t("tui.unavailable", self.lang, action=t(f"tui.key.{action}", self.lang)))
            return
        start_action(self, action, rows)

    def _primed(self, f):
        first = getattr(self.app, "first_page", None)
        # (not waited for when not done yet: a wait of up to 50 ms saved nothing measurable,
        # 0.96-0.98x on a quiet machine, docs/performance.md issue 12; the load reads it again)
        return first.take(f, self.sort, self.descending) if first is not None else None

    def on_unmount(self) -> None:
        super().on_unmount()
        close_detail_reads(self.app)

    # --- ahead of the user -------------------------------------------------------------------------
    def _list_in(self) -> None:
        if not self._detail_ready:
            self._detail_ready = True
            self.set_timer(DETAIL_AHEAD_DELAY, self._build_detail_ahead, name="detail-ahead")

    def _cursor_settling(self) -> None:
        if self._read_ahead_timer is not None:
            self._read_ahead_timer.stop()
        self._read_ahead_timer = self.set_timer(READ_AHEAD_DELAY, self._read_ahead, name="read-ahead")

    def _read_ahead(self) -> None:
        """The cursor has rested on an incident: read its detail now, so enter shows it at once."""
        self._read_ahead_timer = None
        row = self.table.cursor_row
        if row is not None and self.is_attached:
            detail_reads(self.app).read_ahead(row.id, row.version,
                                              lambda r=row: self.post_message(self.ReadAhead(r.id, r.version)))

    @on(ReadAhead)
    def _read_ahead_in(self, message: ReadAhead) -> None:
        """Lay the kept detail screen out for it too (while the user reads), if the cursor is still
        on it: enter then only has to paint."""
        if self.table.cursor_id != message.incident_id or "desk.screens.detail" not in sys.modules:
            return  # (the detail screen is built at its first open, not ahead of it)
        sys.modules["desk.screens.detail"].DetailScreen.prepare(self.app, message.incident_id, message.version)

    def _build_detail_ahead(self) -> None:
        """The first list is in: import the actions and build the detail screen now, not in the
        first enter (together ~40 ms)."""
        try:
            import desk.screens.actions  # noqa: F401
            from desk.screens.detail import DetailScreen
        except ImportError:
            return
        DetailScreen.keep_ready(self.app)
