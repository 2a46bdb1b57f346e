"""The incident queue: the screen agents live in all day.

Views (1–8, and the user's saved views), a filter bar (/), sorting (s, S, or a click on a
column), marks (space), the actions of desk.screens.actions on the cursor row or the marked
rows, and a live refresh: every POLL_SECONDS the reader checks a cheap change marker and, when
someone committed, re-reads the order and the changed rows, keeping the cursor on the same
incident and the marks as they were.

All database work happens in the QueueSource thread worker; this screen only sends it
requests and applies what it posts back.
"""

from __future__ import annotations

import sys
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.reactive import Reactive
from textual.screen import Screen
from textual.widget import Widget
from textual.worker import get_current_worker

from desk.domain.filter_terms import ParsedFilter, parse
from desk.domain.incident_flow import ALLOWED_FROM
from desk.domain.text import one_line
from desk.i18n import t
from desk.services import queue
from desk.widgets.filter_bar import FilterBar
from desk.widgets.incident_table import IncidentTable
from desk.widgets.key_bar import KeyBar
from desk.widgets.queue_source import (
    FIRST_PAGE,
    Changes,
    Count,
    Failed,
    Load,
    Order,
    Page,
    Peeked,
    QueueSource,
    Rows,
    id_array,
)
from desk.widgets.reader import close_detail_reads, detail_reads
from desk.widgets.status import StatusLine

POLL_SECONDS = 2.0
READ_AHEAD_DELAY = 0.08  # the cursor resting this long on an incident reads its detail ahead
NEXT_SORT_DELAY = 0.05  # the list is in: the first page `s` would give next is read ahead after this
FIRST_PAGE_WAIT = 0.05  # a first page still being read at the first load is waited for this long
# (Textual's import starves its thread of the interpreter; once that is over it needs a few ms,
# and a first frame without rows, then the rows, costs the user more than the wait)
DRAFT_DELAY = 0.05  # typing paused this long: the filter being typed is read ahead
DETAIL_AHEAD_DELAY = 0.3  # the first list is in: the detail screen is built this long after
FEEDBACK_DELAY = 0.05  # a view, sort or filter whose first page takes longer shows 'loading…'
VIEW_KEYS = {view: str(i) for i, view in enumerate(queue.VIEWS, 1)}
ACTION_KEYS = {"detail": "enter", "assign": "a", "escalate": "e", "resolve": "r", "close": "c", "reopen": "o",
               "new": "n", "knowledge": "k", "note": "m", "return": "b", "confirm": "y"}
BULK = frozenset({"assign", "escalate", "close"})
NAVIGATION = frozenset({"up", "down", "pageup", "pagedown", "home", "end", "left", "right", "tab", "shift+tab"})
SHOWN = frozenset({"detail", "assign", "escalate", "resolve", "close"})  # in the footer; help lists all


def _bindings() -> list[Binding]:
    out = [Binding(key, f"view('{view}')", f"tui.view.{view}", show=False, id=f"view.{view}")
           for view, key in VIEW_KEYS.items()]
    out += [Binding(key, f"act('{action}')", f"tui.key.{action}", show=action in SHOWN, id=action)
            for action, key in ACTION_KEYS.items()]
    out += [
        Binding("space", "mark", "tui.key.mark", show=False, id="mark"),
        Binding("escape", "clear", "tui.key.clear", show=False, id="clear"),
        Binding("slash", "filter", "tui.key.filter", id="filter"),
        Binding("s", "sort", "tui.key.sort", id="sort"),
        Binding("S", "reverse", "tui.key.sort_reverse", show=False, id="sort_reverse"),
        Binding("v", "views", "tui.key.views", show=False, id="views"),
        Binding("V", "save_view", "tui.key.save_view", show=False, id="save_view"),
    ]
    return out


class QueueScreen(Screen):
    SCREEN_ID = "queue"
    TITLE_KEY = "tui.screen.queue"
    BINDINGS = _bindings()

    # Screen repaints all of itself when the focus moves (the filter bar <-> the table): every
    # widget re-rendered, ~3 ms of the enter that applies a filter. The widgets whose look
    # depends on the focus repaint themselves, so the screen need not.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    class ReadAhead(Message):
        """The detail of the incident under the cursor has been read ahead."""

        def __init__(self, incident_id: int, version: int) -> None:
            super().__init__()
            self.incident_id = incident_id
            self.version = version

    class Data(Message):
        """Something the reader thread found."""

        def __init__(self, result) -> None:
            super().__init__()
            self.result = result

    def __init__(self) -> None:
        super().__init__(id="queue")
        self._gen = 0
        self._ctx_base: queue.QueueContext | None = None
        self.filter_text = ""
        self.parsed = ParsedFilter()
        self.saved_name: str | None = None
        self.error: str = ""
        self._read_ahead_timer = None
        self._hold = None  # (generation, the app's paint held until its first page)
        self._draft_timer = None
        self._next_sort_timer = None
        self._detail_ready = False

    # --- set-up ----------------------------------------------------------------------------------
    @property
    def desk(self):
        return self.app.desk

    def compose(self) -> ComposeResult:
        app = self.app
        desk = app.desk
        self.lang = desk.lang
        self.view = app.default_view()
        self.sort = "priority"
        self.descending = False
        self.source = QueueSource(desk, self._queue_context, self._from_reader)
        yield app.make_header(self.SCREEN_ID)
        # the filter bar is mounted the first time it is needed (a faster first frame)
        self._table = IncidentTable(source=self.source, config=desk.config, lang=desk.lang, now=desk.now,
                                    id="incidents")
        yield self._table
        yield StatusLine(id="queue-status")
        yield KeyBar(id="keys")

    def on_mount(self) -> None:
        app = self.app
        app.localise_bindings(self)
        self.table.focus()
        self.run_worker(self._read, thread=True, group="queue-reader", exclusive=True, exit_on_error=False,
                        name="queue-reader")
        self._load()
        self.set_interval(POLL_SECONDS, self.source.poll, name="queue-poll")

    def on_unmount(self) -> None:
        self._release_paint()
        self.source.stop()
        close_detail_reads(self.app)

    def _read(self) -> None:
        worker = get_current_worker()
        self.source.run(lambda: worker.is_cancelled)

    def _queue_context(self) -> queue.QueueContext:
        # runs in the reader thread: the agent is looked up once, the time each load
        if self._ctx_base is None:
            self._ctx_base = queue.context(self.desk, self.app.operator.login, scoped=True)
        return self._ctx_base.at(self.desk.now())

    def _from_reader(self, result) -> None:
        self.post_message(self.Data(result))

    @property
    def table(self) -> IncidentTable:
        return self._table

    @property
    def bar(self) -> FilterBar | None:
        bars = self.query(FilterBar)
        return bars.first() if bars else None

    async def _mount_bar(self) -> FilterBar:
        bar = self.bar
        if bar is None:
            bar = FilterBar(self.app.vocabulary, self.lang, id="filter-bar")
            bar.display = False
            await self.mount(bar, before=self.table)
        return bar

    @property
    def status(self) -> StatusLine:
        return self.query_one("#queue-status", StatusLine)

    # --- loading ---------------------------------------------------------------------------------
    def current_filter(self, parsed: ParsedFilter | None = None) -> queue.QueueFilter:
        p = parsed or self.parsed
        return queue.QueueFilter(view=self.view, text=p.text, priorities=p.priorities, statuses=p.statuses,
                                 groups=p.groups, assignees=p.assignees, categories=p.categories,
                                 breached=p.breached)

    def _load(self) -> None:
        self._gen += 1
        table = self.table
        table.begin(self._gen)
        # The new header and status are painted with the new rows, in one frame, when those come
        # within FEEDBACK_DELAY (an indexed first page does); a slower query shows them at once then.
        table.set_sort(self.sort, self.descending, repaint=False)
        f = self.current_filter()
        first = getattr(self.app, "first_page", None)
        primed = (first.take(f, self.sort, self.descending, wait=FIRST_PAGE_WAIT)
                  if first is not None and self._gen == 1 else None)
        if primed is None:
            peeked = self.source.peeked(f, self.sort, self.descending)  # read ahead (typed, next sort)
            if peeked is not None:
                ids, rows, complete = peeked
                primed = (ids, rows, len(ids) if complete else None)
        need_count = primed is not None and primed[2] is None  # (counted by the reader, after the paint)
        if primed is not None:
            ids, rows, total = primed
            complete = len(ids) < FIRST_PAGE
            table.apply_page(self._gen, 0, ids, rows, complete)
            if total is not None:
                table.apply_count(self._gen, total)
            if complete:
                table.apply_order(self._gen, id_array(ids), False)
            self._remember_versions(rows)
            table.when_painted(lambda gen=self._gen: self.source.page_shown(gen))
        self.source.load(Load(self._gen, f, self.sort, self.descending, have_first_page=primed is not None,
                              need_count=need_count))
        if primed is not None or not self.is_mounted:
            self._show_status()
        else:
            self.set_timer(FEEDBACK_DELAY, lambda gen=self._gen: self._feedback(gen))

    def _feedback(self, gen: int) -> None:
        """The query is taking a while: show the new sort and 'loading…' without its rows."""
        table = self.table
        if table.gen != gen and gen == self._gen:
            table.set_sort(self.sort, self.descending)
            self._show_status()

    def reload(self) -> None:
        """Re-read the current order (after this user's own action)."""
        self.source.refresh()

    def incidents_changed(self, ids: list[int], created: int | None = None) -> None:
        self.table.forget(ids)
        if created is not None:
            self.table.follow(created, lambda: self.notify(
                t("tui.created_elsewhere", self.lang, id=created, view=t("tui.view.open", self.lang)),
                markup=False))
        self.source.refresh()

    def on_incidents_changed(self, message) -> None:
        message.stop()
        self.incidents_changed(list(message.ids), getattr(message, "created", None))

    @on(Data)
    def _data(self, message: Data) -> None:
        result = message.result
        table = self.table
        if isinstance(result, Page):
            table.apply_page(result.gen, result.offset, result.ids, result.rows, result.complete)
            self._remember_versions(result.rows)
            if result.offset == 0:
                table.when_painted(lambda gen=result.gen: self.source.page_shown(gen))
                self._release_paint(result.gen)
        elif isinstance(result, Rows):
            table.apply_rows(result.rows, result.missing)
            self._remember_versions(result.rows)
        elif isinstance(result, Count):
            table.apply_count(result.gen, result.total)
        elif isinstance(result, Order):
            table.apply_order(result.gen, result.ids, result.refresh)
            if not result.refresh and result.gen == self._gen:
                self._schedule_next_sort()
                if not self._detail_ready:
                    self._detail_ready = True
                    self.set_timer(DETAIL_AHEAD_DELAY, self._build_detail_ahead, name="detail-ahead")
        elif isinstance(result, Peeked):
            table.prerender_rows(result.rows)
            return
        elif isinstance(result, Changes):
            table.apply_changes(result.ids)
        elif isinstance(result, Failed):
            self._failed(result)
            return
        if self.error and not isinstance(result, Failed):
            self.error = ""
        self._show_status()
        self._grey_for_cursor()

    def _remember_versions(self, rows) -> None:
        marked = self.table.marked
        if marked:
            for row in rows:
                if row.id in marked:
                    marked[row.id] = row.version

    def _failed(self, failed: Failed) -> None:
        from desk.domain.errors import DeskError

        error = failed.error
        text = error.message(self.lang) if isinstance(error, DeskError) else one_line(str(error), 200)
        if text != self.error:
            self.error = text
            self.notify(t("tui.read_failed", self.lang, error=text), severity="error", timeout=6)
        self._show_status()

    def _show_status(self) -> None:
        lang = self.lang
        table = self.table
        if self.saved_name:
            what = one_line(self.saved_name, 60)
        else:
            what = t(f"tui.view.{self.view}", lang)
        parts = [what]
        if self.filter_text:
            parts.append(one_line(self.filter_text, 200))
        sort = t(f"tui.sort.{self.sort}", lang)
        parts.append(t("tui.status.sorted_desc" if self.descending else "tui.status.sorted", lang, sort=sort))
        total = table.total
        if total is None:
            right = t("tui.status.counting", lang)
        elif total == 0:
            right = t("tui.status.empty", lang)
        else:
            right = t("tui.status.position", lang, row=f"{table.cursor + 1:,}", total=f"{total:,}")
        if table.marked:
            right = t("tui.status.marked", lang, count=len(table.marked)) + " · " + right
        busy = t("tui.status.loading", lang) if table.busy else ""
        if self.error:
            busy = t("tui.status.offline", lang)
        self.status.show(" · ".join(parts), right, busy)

    @on(IncidentTable.CursorMoved)
    def _cursor_moved(self, event: IncidentTable.CursorMoved) -> None:
        self._show_status()
        self._grey_for_cursor()
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

    @on(IncidentTable.HeaderClicked)
    def _header_clicked(self, event: IncidentTable.HeaderClicked) -> None:
        if event.sort == self.sort:
            self.descending = not self.descending
        else:
            self.sort, self.descending = event.sort, False
        self._load()

    @on(IncidentTable.RowActivated)
    def _row_activated(self, event: IncidentTable.RowActivated) -> None:
        self.action_act("detail")

    # --- actions ---------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "act" and parameters:
            name = str(parameters[0])
            return True if self.app.may(name) and self._applies(name) else None
        return True

    def _applies(self, action: str) -> bool:
        """May the action start from the cursor row's status (marked rows: the services say)?"""
        if action in BULK and self.table.marked:
            return True
        row = self.table.cursor_row
        return row is None or action not in ALLOWED_FROM or row.status in ALLOWED_FROM[action]

    def on_key(self, event) -> None:
        """A greyed-out action key pressed anyway says why (Textual skips a disabled binding
        without a word). Navigation keys never get here as actions: they pass at once."""
        if event.key in NAVIGATION:
            return
        active = self.active_bindings.get(event.key)
        if active is not None and active.node is self and not active.enabled and active.binding.id in ACTION_KEYS:
            self.action_act(active.binding.id)

    def _grey_for_cursor(self) -> None:
        """The keys greyed out follow the cursor row's status (repainted only when it changes)."""
        row = self.table.cursor_row
        key = (row.status if row is not None else None, bool(self.table.marked))
        if key != getattr(self, "_greyed_for", None):
            self._greyed_for = key
            self.refresh_bindings()

    def action_view(self, view: str) -> None:
        if view not in queue.VIEWS:
            return
        self.view = view
        self.saved_name = None
        self._load()

    def open_saved(self, name: str) -> None:
        spec = self.app.saved_views().get(name)
        if not spec:
            return
        self.view = spec.get("view", "open") if spec.get("view") in queue.VIEWS else "open"
        self.sort = spec.get("sort") if spec.get("sort") in queue.SORTS else "priority"
        self.descending = bool(spec.get("descending", False))
        text = str(spec.get("filter", ""))
        parsed = parse(text, self.app.vocabulary)
        if parsed.errors:
            self.notify(t("tui.views.bad_filter", self.lang, name=one_line(name, 60)), severity="warning")
        self.filter_text = text if parsed.ok else ""
        self.parsed = parsed if parsed.ok else ParsedFilter()
        self.saved_name = name
        self._show_bar()
        self._load()

    def action_sort(self) -> None:
        self.sort = self._next_sort()
        self.descending = False
        self._load()

    def action_reverse(self) -> None:
        self.descending = not self.descending
        self._load()

    def action_mark(self) -> None:
        table = self.table
        incident_id = table.cursor_id
        if incident_id is None:
            return
        if incident_id in table.marked:
            del table.marked[incident_id]
        else:
            table.marked[incident_id] = table.version_of(incident_id) or 0
        table.refresh_row(table.cursor)
        table.action_cursor(1)
        self._show_status()
        self._grey_for_cursor()

    def action_clear(self) -> None:
        table = self.table
        if table.marked:
            table.clear_marks()
        elif self.filter_text or self.saved_name:
            self.filter_text = ""
            self.parsed = ParsedFilter()
            self.saved_name = None
            self._show_bar()
            self._load()
        self._show_status()
        self._grey_for_cursor()

    async def action_filter(self) -> None:
        bar = await self._mount_bar()
        bar.open(self.filter_text)

    def _show_bar(self) -> None:
        """The bar shows while a filter is in force (the text it filters by), else it hides."""
        if self.bar is None and self.filter_text:
            self.call_later(self._mount_and_show_bar)
            return
        bar = self.bar
        if bar is None:
            return
        bar.display = bool(self.filter_text)
        if self.filter_text:
            bar.input.value = self.filter_text
            bar.check(self.filter_text)

    async def _mount_and_show_bar(self) -> None:
        await self._mount_bar()
        self._show_bar()

    @on(FilterBar.Applied)
    def _filter_applied(self, event: FilterBar.Applied) -> None:
        self.filter_text = event.text
        self.parsed = event.parsed
        self._load()  # first: the reader starts while the bar and the focus settle
        self._hold_paint(self._gen)
        self._show_bar()
        self.table.focus()
        if self.table.gen == self._gen:  # read ahead while it was typed: only the focus has to settle
            self.table.when_focused(lambda gen=self._gen: self._release_paint(gen))

    def _hold_paint(self, gen: int) -> None:
        """Hold the app's paint until the first page of `gen` is in (at most FEEDBACK_DELAY): the
        bar, the focus and the filtered rows then come in one frame. (Painted apart, the rows
        would wait for the frame after the bar's, up to a 60th of a second later.)"""
        self._release_paint()
        hold = self.app.batch_update()
        hold.__enter__()
        self._hold = (gen, hold)
        self.set_timer(FEEDBACK_DELAY, self._release_paint, name="queue-hold")

    def _release_paint(self, gen: int | None = None) -> None:
        held, self._hold = self._hold, None
        if held is not None and gen is not None and held[0] != gen:
            self._hold = held  # (a page of another load)
            return
        if held is not None:
            held[1].__exit__(None, None, None)
            self.check_idle()  # (ending the batch wakes the app, not this screen's paint)

    def _build_detail_ahead(self) -> None:
        """The first list is in: import the actions and build the detail screen now, not in the
        first enter (together ~40 ms)."""
        try:
            import desk.screens.actions  # noqa: F401
            from desk.screens.detail import DetailScreen
        except ImportError:
            return
        DetailScreen.keep_ready(self.app)

    def _schedule_next_sort(self) -> None:
        if self._next_sort_timer is not None:
            self._next_sort_timer.stop()
        self._next_sort_timer = self.set_timer(NEXT_SORT_DELAY, self._read_next_sort, name="next-sort")

    def _read_next_sort(self) -> None:
        """The list is in and the user is reading it: read (and draw) the first page of the
        order `s` would give next, so that the key shows it at once."""
        self._next_sort_timer = None
        if self.bar is not None and self.bar.editing:
            return  # (a filter being typed has the read-ahead)
        self.source.peek(Load(0, self.current_filter(), self._next_sort(), False))

    def _next_sort(self) -> str:
        sorts = queue.SORTS
        return sorts[(sorts.index(self.sort) + 1) % len(sorts)] if self.sort in sorts else sorts[0]

    @on(FilterBar.Drafted)
    def _filter_drafted(self, event: FilterBar.Drafted) -> None:
        """A valid filter is being typed: once typing pauses, read its first page ahead, so that
        applying it shows the rows at once (a text search on a big desk takes tens of ms)."""
        if self._draft_timer is not None:
            self._draft_timer.stop()
        self._draft_timer = None
        if not event.parsed.text or event.text == self.filter_text:
            return  # (terms alone are answered by an index at once)
        request = Load(0, self.current_filter(event.parsed), self.sort, self.descending)
        self._draft_timer = self.set_timer(DRAFT_DELAY, lambda: self.source.peek(request), name="filter-draft")

    @on(FilterBar.Cancelled)
    def _filter_cancelled(self, event: FilterBar.Cancelled) -> None:
        self._show_bar()
        self.table.focus()

    def action_views(self) -> None:
        from desk.widgets.view_picker import ViewPicker

        def chosen(choice: tuple[str, str] | None) -> None:
            if choice is None:
                return
            kind, name = choice
            if kind == "view":
                self.action_view(name)
            else:
                self.open_saved(name)

        self.app.push_screen(ViewPicker(self.lang, self.app.saved_views(), self.view, self.saved_name), chosen)

    def action_save_view(self) -> None:
        from desk.widgets.view_picker import SaveViewDialog

        def named(name: str | None) -> None:
            if name:
                self.app.save_view(name, {"view": self.view, "filter": self.filter_text, "sort": self.sort,
                                          "descending": self.descending})
                self.saved_name = name
                self._show_status()

        self.app.push_screen(SaveViewDialog(self.lang, self.saved_name or ""), named)

    def selection(self, action: str) -> list[tuple[int, int]]:
        """What an action works on: every marked row for the bulk actions, else the cursor row."""
        table = self.table
        if action in BULK and table.marked:
            return sorted(table.marked.items())
        row = table.cursor_row
        return [(row.id, row.version)] if row is not None else []

    def action_act(self, action: str) -> None:
        if not self.app.may(action):
            self.notify(t("tui.not_allowed", self.lang, action=t(f"tui.key.{action}", self.lang)),
                        severity="warning")
            return
        try:
            from desk.screens.actions import start_action
        except ImportError:
            self.notify(t("tui.unavailable", self.lang, action=t(f"tui.key.{action}", self.lang)))
            return
        if not self._applies(action):
            row = self.table.cursor_row
            self.notify(t("actions.not_applicable", self.lang, action=t(f"tui.key.{action}", self.lang), id=row.id,
                          status=self.desk.config.label("status", row.status, self.lang)), severity="warning",
                        markup=False)
            return
        rows = self.selection(action)
        if not rows and action not in ("new", "knowledge"):
            if self.table.cursor_id is not None:
                self.notify(t("tui.status.loading", self.lang))
            else:
                self.notify(t("tui.no_incident", self.lang), severity="warning")
            return
        start_action(self, action, rows)

    # --- the palette -------------------------------------------------------------------------------
    def palette_commands(self):
        """(title, help, callback) for the command palette: every view and action of this screen."""
        lang = self.lang
        for view, key in VIEW_KEYS.items():
            yield (t("tui.palette.view", lang, name=t(f"tui.view.{view}", lang)), key,
                   lambda v=view: self.action_view(v))
        for name in self.app.saved_views():
            yield (t("tui.palette.saved_view", lang, name=one_line(name, 60)), "",
                   lambda n=name: self.open_saved(n))
        for action, key in ACTION_KEYS.items():
            help_text = key if self.app.may(action) else t("tui.palette.not_for_role", lang, key=key)
            yield (t(f"tui.key.{action}", lang), help_text, lambda a=action: self.action_act(a))
        for sort in queue.SORTS:
            yield (t("tui.palette.sort", lang, sort=t(f"tui.sort.{sort}", lang)), "s",
                   lambda s=sort: self._sort_to(s))
        yield (t("tui.key.filter", lang), "/", self.action_filter)
        yield (t("tui.key.mark", lang), "space", self.action_mark)
        yield (t("tui.key.views", lang), "v", self.action_views)
        yield (t("tui.key.save_view", lang), "V", self.action_save_view)
        yield (t("tui.key.sort_reverse", lang), "S", self.action_reverse)

    def _sort_to(self, sort: str) -> None:
        self.sort, self.descending = sort, False
        self._load()
