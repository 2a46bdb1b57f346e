"""A virtual table of any kind of record on Textual's line API: it draws only the lines on screen.

The kind's ListSpec (desk.lists.spec) gives the columns, widths and cells (its TableSpec); the
`source` (desk.widgets.queue_source.ListSource) reads the rows.

The table holds the ordered ids of the current filter: the windows of the order fetched so far,
and the whole order (an `array('i')`, 4 bytes a row) once the user goes deep into a long list or
a refresh brings it (desk.widgets.record_moves.ORDER_DEPTH); an LRU of rows by id and an LRU of
rendered lines. Rows it needs and does not have are asked of the `source` (the queue reader,
which answers in a thread) and drawn as placeholders until they come. Nothing here touches
the database, and nothing parses markup: every cell is a plain string from `one_line` in a
Segment, so a hostile title shows literally.

Line 0 is the column header; row `i` of the list is drawn on line `i + 1` of the virtual
height, which scrolls under the fixed header.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable
from datetime import datetime
from time import monotonic

from rich.style import Style
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from desk.lists.layout import Layout
from desk.lists.spec import CellEnv
from desk.widgets.kept_lines import KeptLines
from desk.widgets.record_lines import TableDrawing
from desk.widgets.record_moves import TableMoves

ROW_CACHE = 800
STRIP_CACHE = 600
CHANGED_SECONDS = 4.0

class RecordTable(TableMoves, TableDrawing, KeptLines, ScrollView, can_focus=True, inherit_bindings=False):
    BINDINGS = [
        Binding("up", "cursor(-1)", "up", show=False, id="table.up"),
        Binding("down", "cursor(1)", "down", show=False, id="table.down"),
        Binding("pageup", "page(-1)", "page up", show=False, id="table.page_up"),
        Binding("pagedown", "page(1)", "page down", show=False, id="table.page_down"),
        Binding("home", "first", "first", show=False, id="table.first"),
        Binding("end", "last", "last", show=False, id="table.last"),
    ]
    COMPONENT_CLASSES = {
        "record-table--header",
        "record-table--sorted",
        "record-table--cursor",
        "record-table--cursor-blurred",
        "record-table--marked",
        "record-table--changed",
        "record-table--placeholder",
        "record-table--p1",
        "record-table--p2",
        "record-table--p4",
        "record-table--breached",
        "record-table--near",
        "record-table--met",
        "record-table--dim",
        "record-table--good",
        "record-table--warn",
    }
    DEFAULT_CSS = """
    RecordTable {
        overflow-x: hidden;
        overflow-y: scroll;
    }
    """

    moved: Callable[[], None] | None = None  # called in the turn the cursor moves (else CursorMoved)

    class CursorMoved(Message):
        def __init__(self, table: "RecordTable") -> None:
            super().__init__()
            self.table = table

    class HeaderClicked(Message):
        def __init__(self, sort: str) -> None:
            super().__init__()
            self.sort = sort

    class RowActivated(Message):
        def __init__(self, record_id: int) -> None:
            super().__init__()
            self.record_id = record_id
            self.incident_id = record_id  # (its first name)

    def __init__(self, *, source, config, lang: str, now: Callable[[], datetime], spec=None,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.source = source
        self.spec = spec if spec is not None else source.spec
        self.columns = self.spec.table_spec()
        self._env = CellEnv(config, lang)
        self._sort_columns = {c.key: c.sort for c in self.columns.columns if c.sort}
        self._right = frozenset(c.key for c in self.columns.columns if c.right)
        self.config = config
        self.lang = lang
        self._now = now
        self.gen = 0  # generation on screen
        self._wanted_gen = 0
        self._order: array | None = None
        self._sparse: dict[int, int] = {}
        self._total: int | None = None
        self._rows: LRUCache[int, tuple] = LRUCache(ROW_CACHE)
        self._strips: LRUCache[tuple, Strip] = LRUCache(STRIP_CACHE)
        self._asked_rows: set[int] = set()
        self._missing: set[int] = set()  # ids the reader found no row for (not asked again each frame)
        self._asked_windows: set[int] = set()
        self._order_asked = False  # the whole order of this generation was asked for
        self.cursor = 0
        self._cursor_id: int | None = None
        self.marked: dict[int, int] = {}  # marked id -> the version the user saw
        self._changed: dict[int, float] = {}
        self._follow: tuple[int, Callable[[], None]] | None = None  # (a record, if it is not listed)
        self._moved = False
        self._placed = True
        self.sort = "priority"
        self.descending = False
        self.busy = False
        self._id_digits = 4
        self._layout: Layout | None = None
        self._styles: dict[str, Style] | None = None
        self._strip_styles: dict[str, Style] | None = None  # what the cached lines were drawn with
        self._pass_layout: Layout | None = None
        self._prerender_timer = None
        self._prefetch_pending = False
        self._painted: list[Callable[[], None]] = []
        self._focused_callbacks: list[Callable[[], None]] = []
        self._fixed = self._fixed_widths()

    # --- data in --------------------------------------------------------------------------------
    @property
    def total(self) -> int | None:
        if self._order is not None:
            return len(self._order)
        return self._total

    @property
    def known_rows(self) -> int:
        if self._order is not None:
            return len(self._order)
        if self._total is not None:
            return self._total
        return (max(self._sparse) + 1) if self._sparse else 0

    def begin(self, gen: int) -> None:
        """A new view, filter or sort was asked for: keep showing the old rows until its first
        page arrives, then start at the top of the new list. (A live refresh of the same list
        keeps the cursor on its incident instead: apply_order(refresh=True).)"""
        self._wanted_gen = gen
        self.busy = True
        self._moved = False

    def _switch(self, gen: int) -> None:
        self._missing.clear()
        self.gen = gen
        self._order = None
        self._sparse = {}
        self._total = None
        self._asked_windows.clear()
        self._order_asked = False
        self._placed = False  # (the drawn lines stay: a line depends on its row, not on the list)

    def apply_page(self, gen: int, offset: int, ids: list[int], rows: list, complete: bool) -> None:
        """A window of the order (the first page, or one the table asked for as it scrolled). A
        window off screen (read ahead of a scroll) repaints nothing: every prefetched window of a
        long list without its whole order sent the table's lines again."""
        if gen == self._wanted_gen and gen != self.gen:
            self._switch(gen)
        if gen != self.gen:
            return
        self._asked_windows.discard(offset)
        for i, incident_id in enumerate(ids):
            self._sparse[offset + i] = incident_id
        if complete and self._total is None:
            self._total = offset + len(ids)
        digits = self._id_digits
        self._store(rows)
        top = self.scroll_offset.y
        shown = offset < top + self._page_height() and offset + len(ids) > top
        repaint = shown or complete or not self._placed or digits != self._id_digits
        if not self._placed:
            self._placed = True
            if not self._moved:
                self.cursor = 0
                self._cursor_id = self.id_at(0)
                self.scroll_to(y=0, animate=False)
        if self._cursor_id is None:  # the cursor was on a line whose id had not arrived yet
            self._cursor_id = self.id_at(self.cursor)
        self._resize()
        if repaint:
            self.refresh()

    def apply_count(self, gen: int, total: int) -> None:
        """The view's count: the scrollbar takes it (it repaints itself); of the table's lines only
        those it turns from blank into rows still to come change. The whole table was repainted
        here, the same lines sent again a frame after the first page (~8 KB a view change at 120×40).
        The count is the last thing a load reads (the rest of the order comes in windows, as the
        table needs them): the list is no longer loading."""
        if gen == self.gen and self._order is None:
            self.busy = False
            top, height = self.scroll_offset.y, self._page_height()
            shown_before = min(top + height, self.known_rows)
            self._total = total
            self._resize()
            shown = min(top + height, self.known_rows)
            if shown != shown_before:
                low, high = sorted((shown_before, shown))
                self.refresh(Region(0, low - top + 1, self.size.width, high - low))

    def apply_order(self, gen: int, ids: array, refresh: bool, at: tuple[int, int] | None = None) -> None:
        """The whole order. `at`: (an id, its index in `ids`, -1 if absent), found by the reader
        for the row that was under the cursor (no search of a million ids inside a frame)."""
        if gen == self._wanted_gen and gen != self.gen:
            self._switch(gen)
        if gen != self.gen:
            return
        screen_line = self.cursor - self.scroll_offset.y
        keep = self._cursor_id
        before = self._visible_ids()
        top_before = self.scroll_offset.y
        self._order = ids
        self._sparse = {}
        self._total = len(ids)
        self.busy = False
        self._asked_windows.clear()
        self._missing.clear()
        follow = self._follow if refresh else None
        followed = None
        if follow is not None:
            self._follow = None
            followed = self._index_of(follow[0])  # (once, after the user created a record)
            if followed is None:
                follow[1]()  # (not in this list: say so, the cursor stays)
            else:
                keep, self._moved = follow[0], True
        if refresh and keep is not None:
            if followed is not None:
                index = followed
            else:
                index = at[1] if at is not None and at[0] == keep else self._near(keep)
            self._set_cursor_by_id(keep, screen_line, index)  # the same record, on the same screen line
        self._clamp()
        self._resize()
        if self._visible_ids() != before or self.scroll_offset.y != top_before:
            self.refresh()  # (the list behind the first page arrived: nothing to repaint if it matches)
        self._tell_moved()

    def _visible_ids(self) -> list[int | None]:
        top = self.scroll_offset.y
        return [self.id_at(i) for i in range(top, top + self._page_height())]

    def apply_rows(self, rows: list, missing: list[int]) -> None:
        for incident_id in missing:
            self._asked_rows.discard(incident_id)
            self._rows.discard(incident_id)
            self._missing.add(incident_id)
        self._store(rows)
        self._refresh_ids({r.id for r in rows} | set(missing))
        self._schedule_prerender()

    def _refresh_ids(self, ids: set[int]) -> None:
        """Repaint only the lines on screen that show these incidents (prefetched rows cost
        nothing on the wire)."""
        top = self.scroll_offset.y
        for index in range(top, min(top + self._page_height(), self.known_rows)):
            if self.id_at(index) in ids:
                self._refresh_index(index)

    def apply_changes(self, ids: set[int] | None) -> None:
        """Someone changed these incidents (None: many): re-fetch them, mark them a moment."""
        if ids is None:
            self._rows.clear()
            self._strips.clear()
        else:
            self._missing.difference_update(ids)
            until = monotonic() + CHANGED_SECONDS
            for incident_id in ids:
                self._changed[incident_id] = until
            stale = [i for i in ids if i in self._rows]
            if stale:
                self._asked_rows.update(stale)
                self.source.fetch_rows(stale)
            self.set_timer(CHANGED_SECONDS + 0.05, self._expire_changes)
        self.refresh()

    def follow(self, record_id: int, elsewhere: Callable[[], None]) -> None:
        """Put the cursor on this record when the refreshed list comes in (one the user just
        created); `elsewhere()` if the list does not hold it."""
        self._follow = (record_id, elsewhere)

    def read_failed(self) -> None:
        """A read failed: what was asked and not answered is asked again at the next paint (the
        reader waits before it tries again)."""
        self._asked_rows.clear()
        self._asked_windows.clear()
        self.refresh()

    def forget(self, ids) -> None:
        """Drop cached rows (after this user's own action) and fetch them again."""
        self._missing.difference_update(ids)
        ids = [i for i in ids if i in self._rows]
        if ids:
            self._asked_rows.update(ids)
            self.source.fetch_rows(ids)

    def _expire_changes(self) -> None:
        now = monotonic()
        expired = [i for i, until in self._changed.items() if until <= now]
        for incident_id in expired:
            del self._changed[incident_id]
        if expired:
            self.refresh()

    def _store(self, rows: list) -> None:
        digits = self._id_digits
        for row in rows:
            self._rows.discard(row.id)  # (Textual's LRUCache.set keeps an existing value)
            self._rows[row.id] = row
            self._asked_rows.discard(row.id)
            digits = max(digits, len(str(row.id)))
        if digits != self._id_digits:
            self._id_digits = digits
            self._fixed = self._fixed_widths()
            self._layout = None
            self._strips.clear()
