"""The user's notifications (issue 15): SLA warnings and breaches, priority-1 tickets raised, late
reports — newest first, the unread ones marked. Opened from every screen by the app's
`notifications` key (F9); the header shows how many are unread.

enter opens what a notification is about (an incident's detail, a request's detail, the reports
screen) and marks it read; `r` marks the one under the cursor read; `A` marks every one read;
escape goes back. Reads and writes run in worker threads through desk.services.sla_tick (the
service opens the transaction); a poll that brings new ones while the list is open re-reads it.
Titles are untrusted: each cell is a Text built from neutralised, one-line strings."""

from __future__ import annotations

from pathlib import Path

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Static
from textual.widgets.data_table import ColumnKey

from desk.domain.errors import DeskError
from desk.i18n import t
from desk.screens.actions import db_thread, explain, localise_bindings
from desk.timefmt import when, zone, zone_label
from desk.widgets.header import shell_header
from desk.widgets.key_bar import KeyBar

HERE = Path(__file__).resolve().parent.parent
LIMIT = 200
TEXT_MIN = 20  # the notification's column: the table's width less the others' (at least this)  # the newest this many (`desk notifications --limit` reads further back)
OPENS = {"report_spec": "reports", "approval_delegation": "requests"}  # an entity with no detail screen
# of its own -> the screen to open (a substitution: the request queue, where the approval inbox is)


class NotificationsScreen(Screen):
    TITLE_KEY = "tui.screen.notifications"  # (what the help calls it)
    CSS_PATH = [str(HERE / "notifications.tcss")]
    BINDINGS = [
        Binding("enter", "open", "open", id="notifications.open", priority=True),
        Binding("r", "mark_read", "read", id="notifications.read"),
        Binding("A", "mark_all", "all read", id="notifications.all"),
        Binding("escape", "back", "back", id="notifications.back"),
    ]

    class Read(Message):
        def __init__(self, rows, unread: int, error: str | None) -> None:
            super().__init__()
            self.rows, self.unread, self.error = rows, unread, error

    def __init__(self) -> None:
        super().__init__(id="notifications")
        self.rows: list = []
        self.unread = 0
        self.reads = 0  # reads shown (tests wait for it)
        localise_bindings(self, self.lang, prefix="sla.notes.key")

    @property
    def lang(self) -> str:
        return self.app.desk.lang

    def compose(self) -> ComposeResult:
        yield from shell_header(self.app)
        yield Static(t("tui.status.loading", self.lang), id="notifications-title")
        table = DataTable(id="notifications-table", cursor_type="row", zebra_stripes=False)
        table.add_column(" ", key="mark", width=1)
        table.add_column(t("sla.notes.col_at", self.lang), key="at", width=16)
        table.add_column(t("sla.notes.col_text", self.lang), key="text", width=TEXT_MIN)
        yield table
        yield KeyBar(id="keys")

    def on_mount(self) -> None:
        self.query_one(DataTable).focus()
        self._read()

    def notifications_arrived(self) -> None:
        """The app's poll brought new ones: read the list again."""
        self._read()

    # --- reading and writing (worker threads; the service opens the transaction) -------------------
    @work(thread=True, exclusive=True, exit_on_error=False, group="notifications")
    def _read(self, ids: list[int] | None = None, mark: bool = False) -> None:
        from desk.services import sla_tick

        desk, login = self.app.desk, self.app.operator.login
        try:
            with db_thread(desk):
                if mark:
                    sla_tick.mark_read(desk, login, ids)
                rows = sla_tick.for_agent(desk, login, limit=LIMIT)
                unread = sla_tick.unread_count(desk, login)
        except DeskError as err:
            self.post_message(self.Read([], 0, explain(err, desk)))
        else:
            self.post_message(self.Read(rows, unread, None))

    @on(Read)
    def _shown(self, message: Read) -> None:
        from desk import sla_poll

        lang = self.lang
        title = self.query_one("#notifications-title", Static)
        if message.error:
            title.update(Text(message.error))
            self.reads += 1
            return
        keep = self.current_id()
        self.rows, self.unread = message.rows, message.unread
        sla_poll.set_unread(self.app, message.unread)
        self._fill(keep)
        key = "sla.notes.title" if message.rows else "sla.notes.empty"
        head = Text(t(key, lang, unread=message.unread, shown=len(message.rows)), style="bold")
        if message.rows:  # the zone of the times listed, once
            head.append("  " + t("time.zone", lang, zone=zone_label(zone(self.app.desk.config))), style="dim")
        title.update(head)
        self.reads += 1

    def _text_width(self) -> int:
        table = self.query_one(DataTable)
        others = sum(c.get_render_width(table) for c in table.columns.values() if c.key.value != "text")
        return max(TEXT_MIN, table.size.width - others - 2 * table.cell_padding - 1)

    def _fill(self, keep: int | None) -> None:
        """The rows, each notification's text cut to the table's width (with an ellipsis)."""
        from desk.services.sla_tick import text

        table, lang = self.query_one(DataTable), self.lang
        tz = zone(self.app.desk.config)
        width = self._text_width()
        column = table.columns[ColumnKey("text")]
        column.width, column.auto_width = width, False
        table.clear()
        for n in self.rows:
            line = Text(text(n, lang, tz), style="" if n.read else "bold", no_wrap=True, overflow="ellipsis")
            line.truncate(width, overflow="ellipsis")
            table.add_row(Text("" if n.read else "●", style="bold yellow"), Text(when(n.at, tz), style="dim"), line,
                          key=str(n.id))
        if keep is not None:
            for index, n in enumerate(self.rows):
                if n.id == keep:
                    table.move_cursor(row=index)

    def on_resize(self) -> None:
        if self.rows:
            self._fill(self.current_id())

    def current_id(self) -> int | None:
        row = self.current()
        return row.id if row is not None else None

    def current(self):
        table = self.query_one(DataTable)
        if not self.rows or not 0 <= table.cursor_row < len(self.rows):
            return None
        return self.rows[table.cursor_row]

    # --- the keys ----------------------------------------------------------------------------------
    def action_mark_read(self) -> None:
        row = self.current()
        if row is not None and not row.read:
            self._read([row.id], True)

    def action_mark_all(self) -> None:
        if self.unread:
            self._read(None, True)

    def action_open(self) -> None:
        row = self.current()
        if row is None:
            return
        if not row.read:
            self._read([row.id], True)
        app = self.app
        if row.entity == "incident":
            from desk.screens.detail import DetailScreen

            app.push_screen(DetailScreen.open(app, row.entity_id))
        elif row.entity == "request":
            from desk.screens.request_detail import RequestDetailScreen

            app.push_screen(RequestDetailScreen(row.entity_id))
        elif OPENS.get(row.entity) in getattr(app, "MODES", {}):
            app.pop_screen()
            app.action_switch_screen_to(OPENS[row.entity])
        else:
            app.notify(t("sla.notes.nothing_to_open", self.lang), severity="warning", markup=False)

    def action_back(self) -> None:
        self.app.pop_screen()
