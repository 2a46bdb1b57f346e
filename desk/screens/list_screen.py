"""A list screen of any kind of record: the generic half of every queue.

It takes everything kind-specific from its `SPEC` (a desk.lists.spec.ListSpec): views (1..n), a
filter bar (/), sorting (s, S, or a click on a column), marks (space), the kind's actions on the
cursor row or the marked rows, and a live refresh: every POLL_SECONDS the reader checks a cheap
change marker and, when someone committed, re-reads the order and the changed rows, keeping the
cursor on the same record and the marks as they were. A kind's screen subclasses it and says
how its actions start (`start`), who may take them (`may`) and which view opens first
(`default_view`); docs/lists.md says how.

All database work happens in the ListSource thread worker; this screen only sends it requests
and applies what it posts back.
"""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.message import Message
from textual.reactive import Reactive
from textual.widget import Widget
from textual.worker import get_current_worker

from desk.domain.filter_terms import ParsedFilter
from desk.domain.text import one_line
from desk.history_labels import capital
from desk.i18n import t
from desk.system_words import failure_text
from desk.screens.first_show import FirstShow
from desk.screens.list_keys import ListKeys, view_keys
from desk.screens.list_views import FEEDBACK_DELAY
from desk.widgets.key_bar import KeyBar
from desk.widgets.queue_source import (
    FIRST_PAGE,
    Changes,
    Count,
    Failed,
    ListSource,
    Load,
    Order,
    Page,
    Peeked,
    Rows,
    id_array,
)
from desk.widgets.record_table import RecordTable
from desk.widgets.status import StatusLine

POLL_SECONDS = 2.0


def list_bindings(spec, shown=frozenset({"detail"}), prefix: str = "") -> list[Binding]:
    """A list screen's bindings: views 1..n, the kind's actions, and the list's own keys. Binding
    ids are `{prefix}{name}` (unique in the app: a [keymap] entry names them)."""
    key = spec.key_label
    out = [Binding(k, f"view('{view}')", f"{spec.view_label}{view}", show=False, id=f"{prefix}view.{view}")
           for view, k in view_keys(spec).items()]
    out += [Binding(k, f"act('{action}')", f"{key}{action}", show=action in shown, id=f"{prefix}{action}")
            for action, k in spec.actions.items()]
    out += [
        Binding("space", "mark", "tui.key.mark", show=False, id=f"{prefix}mark"),
        Binding("escape", "clear", "tui.key.clear", show=False, id=f"{prefix}clear"),
        Binding("slash", "filter", "tui.key.filter", id=f"{prefix}filter"),
        Binding("s", "sort", "tui.key.sort", id=f"{prefix}sort"),
        Binding("S", "reverse", "tui.key.sort_reverse", show=False, id=f"{prefix}sort_reverse"),
        Binding("v", "views", "tui.key.views", show=False, id=f"{prefix}views"),
        Binding("V", "save_view", "tui.key.save_view", show=False, id=f"{prefix}save_view"),
    ]
    return out


class ListScreen(FirstShow, ListKeys):
    SPEC = None  # the kind's ListSpec
    RECORD_DETAIL = False  # enter opens desk.screens.record_detail's screen for the kind (its keys: <kind>_detail.*)
    SCREEN_ID = "list"
    TITLE_KEY = ""
    TABLE_ID = "records"
    BINDING_PREFIX = ""  # what list_bindings put before each action's binding id
    STATUS_ID = "list-status"
    EMPTY_KEY = "lists.empty"  # the status line of an empty list
    NO_ROW_KEY = "lists.no_row"  # an action with nothing under the cursor

    # Screen repaints all of itself when the focus moves (the filter bar <-> the table): every
    # widget re-rendered, ~3 ms of the enter that applies a filter. The widgets whose look
    # depends on the focus repaint themselves, so the screen need not.
    focused: Reactive[Widget | None] = Reactive(None, repaint=False)

    class Data(Message):
        """Something the reader thread found."""

        def __init__(self, result) -> None:
            super().__init__()
            self.result = result

    def __init__(self) -> None:
        super().__init__(id=self.SCREEN_ID)
        self._gen = 0
        self._ctx_base = None
        self.filter_text = ""
        self.parsed = ParsedFilter()
        self.saved_name: str | None = None
        self.error: str = ""
        self._settling = None  # (generation, resume keys): a filter applied, its first page awaited
        self._draft_timer = None
        self._next_sort_timer = None
        self._loaded_gen = 0  # the last load whose first page and count are in
        self._list_was_in = False

    # --- what a kind's screen says ------------------------------------------------------------------
    def default_view(self) -> str:
        return self.SPEC.views[0]

    @property
    def vocabulary(self):
        if getattr(self, "_vocabulary", None) is None:
            self._vocabulary = self.SPEC.vocabulary(self.desk.config)
        return self._vocabulary

    def may(self, action: str) -> bool:
        """May the user's role take this action at all? (The services refuse anyway.)"""
        from desk.domain.permissions import can

        permission = self.SPEC.permissions.get(action)
        return permission is None or can(self.app.operator.roles, permission)

    def start(self, action: str, rows: list[tuple[int, int]]) -> None:
        """Open the dialog (or the detail screen) of `action` on `rows` ([(id, version seen)])."""
        self.notify(t("tui.unavailable", self.lang, action=t(f"{self.SPEC.key_label}{action}", self.lang)))

    def make_table(self) -> RecordTable:
        desk = self.desk
        return RecordTable(source=self.source, config=desk.config, lang=desk.lang, now=desk.now, spec=self.SPEC,
                           id=self.TABLE_ID)

    def _primed(self, f):
        """The first load's page if it was read already (while Textual started), else None."""
        return None

    def _list_in(self) -> None:
        """The first list of the screen is in: its first page and its count (a kind may start work
        ahead of the user)."""

    # --- set-up ----------------------------------------------------------------------------------
    @property
    def desk(self):
        return self.app.desk

    def compose(self) -> ComposeResult:
        app = self.app
        desk = app.desk
        self.lang = desk.lang
        self.view = self.default_view()
        self.sort = self.SPEC.sorts[0]
        self.descending = False
        self.source = ListSource(desk, self._queue_context, self._from_reader, self.SPEC)
        yield app.make_header(self.SCREEN_ID)
        # the filter bar is mounted the first time it is needed (a faster first frame)
        self._table = self.make_table()
        self._table.moved = self._cursor_moved
        yield self._table
        yield StatusLine(id=self.STATUS_ID)
        yield KeyBar(id="keys")

    def on_mount(self) -> None:
        app = self.app
        app.localise_bindings(self)
        self.table.focus()
        reader = f"{self.SCREEN_ID}-reader"
        self.run_worker(self._read, thread=True, group=reader, exclusive=True, exit_on_error=False, name=reader)
        self._load()
        self.set_interval(POLL_SECONDS, self.source.poll, name=f"{self.SCREEN_ID}-poll")

    def on_unmount(self) -> None:
        self._settle_filter(show=False)
        self.source.stop()

    def _read(self) -> None:
        worker = get_current_worker()
        self.source.run(lambda: worker.is_cancelled)

    def _queue_context(self):
        # runs in the reader thread: the agent is looked up once, the time each load
        if self._ctx_base is None:
            self._ctx_base = self.SPEC.context(self.desk, self.app.operator.login)
        return self._ctx_base.at(self.desk.now())

    def _from_reader(self, result) -> None:
        self.post_message(self.Data(result))

    @property
    def table(self) -> RecordTable:
        return self._table

    @property
    def status(self) -> StatusLine:
        return self.query_one(f"#{self.STATUS_ID}", StatusLine)

    # --- loading ---------------------------------------------------------------------------------
    def current_filter(self, parsed: ParsedFilter | None = None):
        return self.SPEC.make_filter(self.view, parsed or self.parsed)

    def _load(self) -> None:
        self._gen += 1
        table = self.table
        table.begin(self._gen)
        # The new header and status are painted with the new rows, in one frame, when those come
        # within FEEDBACK_DELAY (an indexed first page does); a slower query shows them at once then.
        table.set_sort(self.sort, self.descending, repaint=False)
        f = self.current_filter()
        primed = self._primed(f) if self._gen == 1 else None
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
            if total is not None or complete:
                self._loaded(self._gen)
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

    def incidents_changed(self, ids: list[int], created: int | None = None, done=()) -> None:
        """These rows changed (any kind's ids; the name is the queue's first): re-read them and the
        order. `created`: a record this user just created: the cursor goes to it if listed.
        `done`: the marked rows a bulk action changed: unmarked (they may have left the view, and
        the next key must not act on rows the agent no longer sees). Marks left on these rows (the
        ones it refused) take the version read next: the refusal they were just shown is what
        they see now, and the next try is not stale again."""
        if done:
            self.table.unmark(done)
            self._show_status()
            self._grey_for_cursor()
        marked = self.table.marked
        for record_id in ids:
            if record_id in marked:
                marked[record_id] = 0
        self.table.forget(ids)
        if created is not None:
            spec = self.SPEC
            view = "open" if "open" in spec.views else spec.views[-1]
            self.table.follow(created, lambda: self.notify(
                t("tui.created_elsewhere", self.lang, kind=capital(t(f"entity.{spec.kind}", self.lang)), id=created,
                  view=t(f"{spec.view_label}{view}", self.lang)),
                markup=False))
        self.source.refresh()

    def on_incidents_changed(self, message) -> None:
        message.stop()
        self.incidents_changed(list(message.ids), getattr(message, "created", None), getattr(message, "done", ()))

    @on(Data)
    def _data(self, message: Data) -> None:
        result = message.result
        table = self.table
        if isinstance(result, Page):
            table.apply_page(result.gen, result.offset, result.ids, result.rows, result.complete)
            self._remember_versions(result.rows)
            if result.offset == 0:
                table.when_painted(lambda gen=result.gen: self.source.page_shown(gen))
                self._settle_filter(result.gen)
        elif isinstance(result, Rows):
            table.apply_rows(result.rows, result.missing)
            self._remember_versions(result.rows)
        elif isinstance(result, Count):
            table.apply_count(result.gen, result.total)
            self._loaded(result.gen)
        elif isinstance(result, Order):
            table.apply_order(result.gen, result.ids, result.refresh, result.at)
            if not result.refresh:
                self._loaded(result.gen)
        elif isinstance(result, Peeked):
            table.prerender_rows(result.rows, result.sort, result.descending)
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

    def _loaded(self, gen: int) -> None:
        """A load is in (its first page and its count; a short list's whole order): read the next
        sort's first page ahead, and let the kind start its own work. Once a load."""
        if gen != self._gen or gen == self._loaded_gen:
            return
        self._loaded_gen = gen
        self._schedule_next_sort()
        if not self._list_was_in:
            self._list_was_in = True
            self._list_in()

    def _remember_versions(self, rows) -> None:
        """A row marked before it was read takes the version it first shows. A marked row keeps
        the version the agent saw when marking it: a bulk action then reports what changed
        since as stale (who, when) instead of applying over it."""
        marked = self.table.marked
        if marked:
            for row in rows:
                if not marked.get(row.id, 1):
                    marked[row.id] = getattr(row, "version", 0) or 0

    def _failed(self, failed: Failed) -> None:
        from desk.domain.errors import DeskError

        self.table.read_failed()
        error = failed.error
        text = error.message(self.lang) if isinstance(error, DeskError) else failure_text(error, self.lang)
        if text != self.error:
            self.error = text
            self.notify(t("tui.read_failed", self.lang, error=text), severity="error", timeout=6,
                        markup=False)  # (the database's own words)
        self._show_status()

    def _show_status(self) -> None:
        lang = self.lang
        spec = self.SPEC
        table = self.table
        if self.saved_name:
            what = one_line(self.saved_name, 60)
        else:
            what = t(f"{spec.view_label}{self.view}", lang)
        parts = [what]
        if self.filter_text:
            parts.append(one_line(self.filter_text, 200))
        sort = t(f"{spec.sort_label}{self.sort}", lang)
        parts.append(t("tui.status.sorted_desc" if self.descending else "tui.status.sorted", lang, sort=sort))
        total = table.total
        if total is None:
            right = t("tui.status.counting", lang)
        elif total == 0:
            right = t(self.EMPTY_KEY, lang)
        else:
            right = t("tui.status.position", lang, row=f"{table.cursor + 1:,}", total=f"{total:,}")
        if table.marked:
            right = t("tui.status.marked", lang, count=len(table.marked)) + " · " + right
        busy = t("tui.status.loading", lang) if table.busy else ""
        if self.error:
            busy = t("tui.status.offline", lang)
        self.status.show(" · ".join(parts), right, busy)

    def _cursor_moved(self) -> None:
        self.source.track(self.table.cursor_id)
        self._show_status()
        self._grey_for_cursor()
        self._cursor_settling()

    def _cursor_settling(self) -> None:
        """The cursor moved (a kind may read the row's detail ahead once it rests)."""

    @on(RecordTable.HeaderClicked)
    def _header_clicked(self, event: RecordTable.HeaderClicked) -> None:
        if event.sort == self.sort:
            self.descending = not self.descending
        else:
            self.sort, self.descending = event.sort, False
        self._load()

    @on(RecordTable.RowActivated)
    def _row_activated(self, event: RecordTable.RowActivated) -> None:
        self.action_act("detail")
