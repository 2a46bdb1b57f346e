"""A virtual incident table on Textual's line API: it draws only the lines on screen.

The table holds the ordered ids of the current filter (an `array('i')`, 4 bytes a row; before
the full list arrives, the windows fetched so far), an LRU of rows by id and an LRU of
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
from datetime import datetime, timedelta
from time import monotonic
from typing import NamedTuple

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.binding import Binding
from textual.cache import LRUCache
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from desk.domain.sla import format_duration, sla_state
from desk.domain.text import one_line
from desk.i18n import t
from desk.services.views import IncidentRow
from desk.widgets.kept_lines import KeptLines

WINDOW = 200  # ids per window request before the full order is known
PREFETCH_PAGES = 2  # rows fetched beyond the screen, each way
ROW_CACHE = 800
STRIP_CACHE = 600
CHANGED_SECONDS = 4.0
PRERENDER_DELAY = 0.04  # seconds of quiet after a paint before the next pages are drawn ahead
PRERENDER_STEP = 8  # lines drawn ahead per turn of the event loop

# Columns in display order, and the order they give way in a narrow terminal.
COLUMNS = ("mark", "id", "priority", "status", "sla", "title", "caller", "group", "assignee", "age")
DROP_ORDER = ("caller", "group", "age", "assignee", "status")
RIGHT = frozenset({"id", "sla", "age"})
SORT_COLUMNS = {"priority": "priority", "sla": "sla", "age": "age"}
TITLE_MIN, CALLER_MIN, CALLER_MAX = 24, 14, 40


class Layout(NamedTuple):
    width: int
    cells: tuple[tuple[str, int], ...]  # (column, width), a space between each

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(k for k, _ in self.cells)

    def column_at(self, x: int) -> str | None:
        pos = 0
        for key, width in self.cells:
            if pos <= x < pos + width + 1:
                return key
            pos += width + 1
        return None


def plan_layout(width: int, fixed: dict[str, int]) -> Layout:
    """Fit the columns to `width` cells: fixed columns keep their width, title and caller share
    the rest; when the title would get narrower than TITLE_MIN, columns give way in DROP_ORDER."""
    columns = list(COLUMNS)
    for drop in (None, *DROP_ORDER):
        if drop is not None:
            columns.remove(drop)
        used = sum(fixed[c] for c in columns if c in fixed) + len(columns) - 1
        free = width - used
        need = TITLE_MIN + (CALLER_MIN if "caller" in columns else 0)
        if free >= need:
            break
    free = max(free, 4)
    widths = dict(fixed)
    if "caller" in columns:
        widths["caller"] = max(CALLER_MIN, min(CALLER_MAX, free * 2 // 5))
        widths["title"] = free - widths["caller"]
    else:
        widths["title"] = free
    return Layout(width, tuple((c, widths[c]) for c in columns))


class IncidentTable(KeptLines, ScrollView, can_focus=True, inherit_bindings=False):
    BINDINGS = [
        Binding("up", "cursor(-1)", "up", show=False, id="table.up"),
        Binding("down", "cursor(1)", "down", show=False, id="table.down"),
        Binding("pageup", "page(-1)", "page up", show=False, id="table.page_up"),
        Binding("pagedown", "page(1)", "page down", show=False, id="table.page_down"),
        Binding("home", "first", "first", show=False, id="table.first"),
        Binding("end", "last", "last", show=False, id="table.last"),
    ]
    COMPONENT_CLASSES = {
        "incident-table--header",
        "incident-table--sorted",
        "incident-table--cursor",
        "incident-table--cursor-blurred",
        "incident-table--marked",
        "incident-table--changed",
        "incident-table--placeholder",
        "incident-table--p1",
        "incident-table--p2",
        "incident-table--p4",
        "incident-table--breached",
        "incident-table--near",
        "incident-table--met",
        "incident-table--dim",
    }
    DEFAULT_CSS = """
    IncidentTable {
        overflow-x: hidden;
        overflow-y: scroll;
    }
    """

    class CursorMoved(Message):
        def __init__(self, table: "IncidentTable") -> None:
            super().__init__()
            self.table = table

    class HeaderClicked(Message):
        def __init__(self, sort: str) -> None:
            super().__init__()
            self.sort = sort

    class RowActivated(Message):
        def __init__(self, incident_id: int) -> None:
            super().__init__()
            self.incident_id = incident_id

    def __init__(self, *, source, config, lang: str, now: Callable[[], datetime], id: str | None = None) -> None:
        super().__init__(id=id)
        self.source = source
        self.config = config
        self.lang = lang
        self._now = now
        self.gen = 0  # generation on screen
        self._wanted_gen = 0
        self._order: array | None = None
        self._sparse: dict[int, int] = {}
        self._total: int | None = None
        self._rows: LRUCache[int, IncidentRow] = LRUCache(ROW_CACHE)
        self._strips: LRUCache[tuple, Strip] = LRUCache(STRIP_CACHE)
        self._asked_rows: set[int] = set()
        self._asked_windows: set[int] = set()
        self.cursor = 0
        self._cursor_id: int | None = None
        self.marked: dict[int, int] = {}  # marked incident id -> the version the user saw
        self._changed: dict[int, float] = {}
        self._follow: tuple[int, Callable[[], None]] | None = None  # (incident, if it is not listed)
        self._moved = False
        self._placed = True
        self.sort = "priority"
        self.descending = False
        self.busy = False
        self._id_digits = 4
        self._layout: Layout | None = None
        self._styles: dict[str, Style] | None = None
        self._strip_styles: dict[str, Style] | None = None  # what the cached lines were drawn with
        self._label_cache: dict[tuple, str] = {}
        self._pass_layout: Layout | None = None
        self._target_cache: dict = {}
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
        self.gen = gen
        self._order = None
        self._sparse = {}
        self._total = None
        self._asked_windows.clear()
        self._placed = False  # (the drawn lines stay: a line depends on its row, not on the list)

    def apply_page(self, gen: int, offset: int, ids: list[int], rows: list[IncidentRow], complete: bool) -> None:
        if gen == self._wanted_gen and gen != self.gen:
            self._switch(gen)
        if gen != self.gen:
            return
        self._asked_windows.discard(offset)
        for i, incident_id in enumerate(ids):
            self._sparse[offset + i] = incident_id
        if complete and self._total is None:
            self._total = offset + len(ids)
        self._store(rows)
        if not self._placed:
            self._placed = True
            if not self._moved:
                self.cursor = 0
                self._cursor_id = self.id_at(0)
                self.scroll_to(y=0, animate=False)
        if self._cursor_id is None:  # the cursor was on a line whose id had not arrived yet
            self._cursor_id = self.id_at(self.cursor)
        self._resize()
        self.refresh()

    def apply_count(self, gen: int, total: int) -> None:
        if gen == self.gen and self._order is None:
            self._total = total
            self._resize()
            self.refresh()

    def apply_order(self, gen: int, ids: array, refresh: bool) -> None:
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
        follow = self._follow if refresh else None
        if follow is not None:
            self._follow = None
            if self._index_of(follow[0]) is None:
                follow[1]()  # (not in this list: say so, the cursor stays)
            else:
                keep, self._moved = follow[0], True
        if refresh and keep is not None:
            self._set_cursor_by_id(keep, screen_line)  # the same incident, on the same screen line
        self._clamp()
        self._resize()
        if self._visible_ids() != before or self.scroll_offset.y != top_before:
            self.refresh()  # (the list behind the first page arrived: nothing to repaint if it matches)
        self.post_message(self.CursorMoved(self))

    def _visible_ids(self) -> list[int | None]:
        top = self.scroll_offset.y
        return [self.id_at(i) for i in range(top, top + self._page_height())]

    def apply_rows(self, rows: list[IncidentRow], missing: list[int]) -> None:
        for incident_id in missing:
            self._asked_rows.discard(incident_id)
            self._rows.discard(incident_id)
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
            until = monotonic() + CHANGED_SECONDS
            for incident_id in ids:
                self._changed[incident_id] = until
            stale = [i for i in ids if i in self._rows]
            if stale:
                self._asked_rows.update(stale)
                self.source.fetch_rows(stale)
            self.set_timer(CHANGED_SECONDS + 0.05, self._expire_changes)
        self.refresh()

    def follow(self, incident_id: int, elsewhere: Callable[[], None]) -> None:
        """Put the cursor on this incident when the refreshed list comes in (one the user just
        created); `elsewhere()` if the list does not hold it."""
        self._follow = (incident_id, elsewhere)

    def forget(self, ids) -> None:
        """Drop cached rows (after this user's own action) and fetch them again."""
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

    def _store(self, rows: list[IncidentRow]) -> None:
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

    # --- positions ------------------------------------------------------------------------------
    def id_at(self, index: int) -> int | None:
        if index < 0:
            return None
        if self._order is not None:
            return self._order[index] if index < len(self._order) else None
        return self._sparse.get(index)

    def row_at(self, index: int) -> IncidentRow | None:
        incident_id = self.id_at(index)
        return self._rows.get(incident_id) if incident_id is not None else None

    @property
    def cursor_id(self) -> int | None:
        return self._cursor_id

    @property
    def cursor_row(self) -> IncidentRow | None:
        return self._rows.get(self._cursor_id) if self._cursor_id is not None else None

    def version_of(self, incident_id: int) -> int | None:
        row = self._rows.get(incident_id)
        return row.version if row else None

    def _set_cursor_by_id(self, incident_id: int, screen_line: int) -> None:
        index = self._index_of(incident_id)
        if index is None:
            self._clamp()
            return
        self.cursor = index
        self._cursor_id = incident_id
        height = self._page_height()
        screen_line = max(0, min(screen_line, height - 1))
        self.scroll_to(y=max(0, index - screen_line), animate=False)

    def _index_of(self, incident_id: int) -> int | None:
        if self._order is not None:
            try:
                return self._order.index(incident_id)
            except ValueError:
                return None
        for index, value in self._sparse.items():
            if value == incident_id:
                return index
        return None

    def _clamp(self) -> None:
        count = self.known_rows
        self.cursor = max(0, min(self.cursor, count - 1)) if count else 0
        self._cursor_id = self.id_at(self.cursor)

    def _page_height(self) -> int:
        return max(1, self.scrollable_content_region.height - 1)

    def _move_to(self, index: int, quiet: bool = False) -> None:
        count = self.known_rows
        index = max(0, min(index, count - 1)) if count else 0
        old = self.cursor
        self.cursor = index
        self._cursor_id = self.id_at(index)
        if not quiet:
            self._moved = True
        if not self._scroll_into_view(index):
            self._refresh_index(old)
            self._refresh_index(index)
        self.post_message(self.CursorMoved(self))

    def _scroll_into_view(self, index: int) -> bool:
        """Scroll so that row `index` is on screen (on the first or the last line); False if it
        already was."""
        top = self.scroll_offset.y
        height = self._page_height()
        if index < top:
            self.scroll_to(y=index, animate=False)
        elif index >= top + height:
            self.scroll_to(y=index - height + 1, animate=False)
        else:
            return False
        return True

    def _refresh_index(self, index: int) -> None:
        line = index - self.scroll_offset.y + 1
        if 1 <= line < self.size.height:
            self.refresh(Region(0, line, self.size.width, 1))

    # --- actions --------------------------------------------------------------------------------
    def action_cursor(self, delta: int) -> None:
        self._move_to(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        height = self._page_height()
        count = self.known_rows
        if not count:
            return
        top = self.scroll_offset.y
        target = max(0, min(self.cursor + direction * height, count - 1))
        new_top = max(0, min(top + direction * height, max(0, count - height)))
        self.cursor = target
        self._cursor_id = self.id_at(target)
        self._moved = True
        if new_top != top:
            self.scroll_to(y=new_top, animate=False)
        else:
            self.refresh()
        self.post_message(self.CursorMoved(self))

    def action_first(self) -> None:
        self._move_to(0)

    def action_last(self) -> None:
        self._move_to(self.known_rows - 1)

    def refresh_row(self, index: int) -> None:
        self._refresh_index(index)

    def clear_marks(self) -> None:
        self.marked.clear()
        self.refresh()

    def set_sort(self, sort: str, descending: bool, repaint: bool = True) -> None:
        self.sort, self.descending = sort, descending
        if repaint:
            self.refresh(Region(0, 0, self.size.width, 1))

    # --- mouse ----------------------------------------------------------------------------------
    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            column = (self._layout or self._plan()).column_at(event.x)
            if column in SORT_COLUMNS:
                self.post_message(self.HeaderClicked(SORT_COLUMNS[column]))
            return
        index = self.scroll_offset.y + event.y - 1
        if 0 <= index < self.known_rows:
            if index == self.cursor and event.chain >= 2 and self._cursor_id is not None:
                self.post_message(self.RowActivated(self._cursor_id))
            self._move_to(index)

    # --- size -----------------------------------------------------------------------------------
    def _resize(self) -> None:
        size = Size(self.scrollable_content_region.width, self.known_rows + 1)
        before = self.virtual_size
        if size == before:
            return
        height = self.container_size.height
        bar_stays = self.styles.overflow_y != "auto" or (size.height > height) == (before.height > height)
        if self.is_mounted and height and size.width == before.width and bar_stays:
            # Only the length changed and the scrollbar stays (or stays away): move its thumb and
            # repaint, without the whole-screen layout pass a new virtual size asks for (that
            # pass re-renders every widget on the screen for each new list and each count).
            self.set_reactive(IncidentTable.virtual_size, size)
            self._scroll_update(size)
            self.refresh()
        else:
            self.virtual_size = size
            if self.is_mounted:
                self._scroll_update(size)  # (the layout pass alone would leave the bar as it was)

    def on_resize(self, event: events.Resize) -> None:
        if self._layout is not None and self._layout.width != self.scrollable_content_region.width:
            self._layout = None
            self._strips.clear()  # (a change of height alone keeps every rendered line)
        self._resize()
        if self.known_rows:
            self._scroll_into_view(self.cursor)  # (a smaller terminal: the cursor's row stays on screen)

    def watch_has_focus(self, has_focus: bool) -> None:
        # Widget restyles itself and its scrollbar on every focus change (~1.5 ms, on the enter
        # that applies a filter). No rule in the CSS depends on this table's focus: the cursor's
        # focused and blurred colours are two component classes, swapped here.
        if self._styles is not None:
            self._styles = self._with_cursor(dict(self._styles))
        self._refresh_index(self.cursor)

    def _with_cursor(self, styles: dict[str, Style]) -> dict[str, Style]:
        cursor = styles["cursor-focused" if self.has_focus else "cursor-blurred"]
        if self.app.no_color:
            cursor = cursor + Style(reverse=True)
        styles["cursor"] = cursor
        return styles

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None  # recomputed at the next paint; the lines only if a colour changed

    # --- rendering ------------------------------------------------------------------------------
    def _fixed_widths(self) -> dict[str, int]:
        status = max([cell_len(self.config.label("status", c, self.lang)) for c in self.config.codes("status")]
                     + [cell_len(t("col.status", self.lang))])
        group = max([cell_len(self._group_label(c)) for c in self.config.codes("group")]
                    + [cell_len(t("col.group", self.lang))])
        widths = {
            "mark": 1,
            "id": max(self._id_digits, cell_len(t("col.id", self.lang))),
            "priority": 1,
            "status": min(status, 12),
            "sla": 6,
            "group": min(group, 14),
            "assignee": 10,
            "age": 5,
        }
        for column in SORT_COLUMNS:  # room for the label and the sort arrow
            widths[column] = max(widths[column], cell_len(t(f"col.{column}", self.lang)) + 1)
        return widths

    def _group_label(self, code: str) -> str:
        return self._labels("group", code) if code else ""

    def _labels(self, table: str, code) -> str:
        key = (table, code)
        label = self._label_cache.get(key)
        if label is None:
            label = self._label_cache[key] = self.config.label(table, code, self.lang)
        return label

    def _targets(self, priority):
        if priority not in self._target_cache:
            self._target_cache[priority] = self.config.targets(priority)
        return self._target_cache[priority]

    def _plan(self) -> Layout:
        width = self.scrollable_content_region.width or self.size.width
        if self._layout is None or self._layout.width != width:
            self._layout = plan_layout(width, self._fixed)
        return self._layout

    def _style_table(self) -> dict[str, Style]:
        if self._styles is None:
            base = self.rich_style
            names = ["header", "sorted", "cursor", "cursor-blurred", "marked", "changed", "placeholder",
                     "p1", "p2", "p4", "breached", "near", "met", "dim"]
            styles = {"base": base}
            for name in names:
                styles[name] = self.get_component_rich_style(f"incident-table--{name}", partial=True)
            styles["cursor-focused"] = styles["cursor"]
            self._with_cursor(styles)
            if styles != self._strip_styles:
                # The cursor's colour changes with the focus; the cursor line's key holds it, so
                # only a change of another colour has to drop the lines drawn ahead.
                old = self._strip_styles
                if old is None or any(styles[k] != old.get(k) for k in styles if k != "cursor"):
                    self._strips.clear()
                self._strip_styles = styles
            self._styles = styles
        return self._styles

    def render_lines(self, crop):
        self._request_visible()
        self._pass_layout = self._plan()  # once per pass, not per line
        try:
            return super().render_lines(crop)
        finally:
            self._pass_layout = None
            self._schedule_prerender()
            if self._painted and self.gen == self._wanted_gen:
                callbacks, self._painted = self._painted, []
                for callback in callbacks:
                    self.call_later(callback)  # (after this frame has been written)

    def when_focused(self, callback: Callable[[], None]) -> None:
        """Call back once this table has taken the focus and restyled for it (now, if it has)."""
        if self.has_focus:
            callback()
        else:
            self._focused_callbacks.append(callback)

    def on_focus(self, event: events.Focus) -> None:
        callbacks, self._focused_callbacks = self._focused_callbacks, []
        for callback in callbacks:
            self.call_later(callback)  # (after Textual's own focus handling has restyled)

    def when_painted(self, callback: Callable[[], None]) -> None:
        """Call back once the rows now in the table have been painted (Textual's call_after_refresh
        may run before the paint it is meant to follow)."""
        self._painted.append(callback)
        self.refresh()

    def _request_visible(self) -> None:
        """Ask the reader for what this paint lacks now, and for the pages around it once the
        paint is out (so the reader's work never competes with the paint for the interpreter)."""
        height = self._page_height()
        top = self.scroll_offset.y
        self._request(top, top + height)
        if not self._prefetch_pending:
            self._prefetch_pending = True
            self.call_after_refresh(self._prefetch)

    def _prefetch(self) -> None:
        self._prefetch_pending = False
        height = self._page_height()
        top = self.scroll_offset.y
        self._request(max(0, top - height * PREFETCH_PAGES), top + height * (PREFETCH_PAGES + 1))

    def _request(self, start: int, end: int) -> None:
        if self._order is not None or self._total is not None:
            end = min(end, self.known_rows)
        missing_rows: list[int] = []
        for index in range(start, end):
            incident_id = self.id_at(index)
            if incident_id is None:
                if self._order is None:
                    block = index - index % WINDOW
                    if block not in self._asked_windows and (self._total is None or block < self._total):
                        self._asked_windows.add(block)
                        self.source.fetch_window(self.gen, block, WINDOW)
                continue
            if incident_id not in self._rows and incident_id not in self._asked_rows:
                missing_rows.append(incident_id)
        if missing_rows:
            self._asked_rows.update(missing_rows)
            self.source.fetch_rows(missing_rows)

    def render_line(self, y: int) -> Strip:
        layout = self._pass_layout or self._plan()
        styles = self._style_table()
        if y == 0:
            return self._header(layout, styles)
        index = self.scroll_offset.y + y - 1
        if index >= self.known_rows:
            return Strip.blank(layout.width, styles["base"])
        incident_id = self.id_at(index)
        row = self._rows.get(incident_id) if incident_id is not None else None
        if row is None:
            return self._placeholder(layout, styles, incident_id, index == self.cursor)
        return self._line(row, index == self.cursor, layout, styles, self._now())

    def _line(self, row: IncidentRow, is_cursor: bool, layout: Layout, styles, now: datetime) -> Strip:
        incident_id = row.id
        changed = incident_id in self._changed
        marked = incident_id in self.marked
        key = (incident_id, row.version, styles["cursor"] if is_cursor else None, marked, changed,
               now.replace(second=0, microsecond=0), layout)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._row_strip(row, layout, styles, now, is_cursor, marked, changed)
            self._strips[key] = strip
        return strip

    def _schedule_prerender(self) -> None:
        if self._prerender_timer is None:
            self._prerender_timer = self.set_timer(PRERENDER_DELAY, self._prerender)

    def _prerender(self) -> None:
        """While the user reads, draw the page above and the page below (rows the reader has
        already fetched), a few lines per turn of the event loop, so that a page up or down only
        has to copy lines that are ready."""
        self._prerender_timer = None
        layout = self._layout
        if layout is None or self._styles is None or not self.is_mounted:
            return
        styles, now = self._styles, self._now()
        height = self._page_height()
        top = self.scroll_offset.y
        wanted = [*range(top + height, top + 2 * height), *range(top - 1, top - height - 1, -1)]
        todo = []
        for index in wanted:
            if 0 <= index < self.known_rows and index != self.cursor:
                row = self.row_at(index)
                if row is not None:
                    todo.append(row)

        def draw(start: int = 0) -> None:
            if self._layout is not layout or self._styles is not styles or self.scroll_offset.y != top:
                return  # (something moved: the next paint schedules a fresh pass)
            for row in todo[start:start + PRERENDER_STEP]:
                self._line(row, False, layout, styles, now)
            if start + PRERENDER_STEP < len(todo):
                self.call_later(draw, start + PRERENDER_STEP)

        draw()

    def prerender_rows(self, rows: list[IncidentRow]) -> None:
        """Draw the lines of rows that a likely next key (the next sort, a filter being typed)
        will put on screen, the first one also under the cursor, a few per turn of the loop."""
        layout, styles = self._layout, self._styles
        if layout is None or styles is None or not self.is_mounted:
            return
        now = self._now()
        todo = [(row, False) for row in rows[:self._page_height()]]
        if rows:
            todo.insert(0, (rows[0], True))

        def draw(start: int = 0) -> None:
            if self._layout is not layout or self._styles is not styles:
                return
            for row, is_cursor in todo[start:start + PRERENDER_STEP]:
                self._line(row, is_cursor, layout, styles, now)
            if start + PRERENDER_STEP < len(todo):
                self.call_later(draw, start + PRERENDER_STEP)

        draw()

    def _header(self, layout: Layout, styles: dict[str, Style]) -> Strip:
        key = ("header", layout, self.sort, self.descending)
        strip = self._strips.get(key)
        if strip is not None:
            return strip
        header = styles["base"] + styles["header"]
        segments = []
        sorted_column = {v: k for k, v in SORT_COLUMNS.items()}.get(self.sort)
        for i, (column, width) in enumerate(layout.cells):
            label = "" if column == "mark" else t(f"col.{column}", self.lang)
            style = header
            if column == sorted_column:
                label = label + ("▲" if self.descending else "▼")
                style = header + styles["sorted"]
            segments.append(Segment(_fit(label, width, column in RIGHT), style))
            if i < len(layout.cells) - 1:
                segments.append(Segment(" ", header))
        strip = Strip(segments, layout.width).extend_cell_length(layout.width, header).simplify()
        self._strips[key] = strip
        return strip

    def _placeholder(self, layout, styles, incident_id, is_cursor) -> Strip:
        style = styles["base"] + styles["placeholder"]
        if is_cursor:
            style = style + styles["cursor"]
        text = "  " + (str(incident_id) if incident_id is not None else "") + " …"
        return Strip([Segment(_fit(text, layout.width, False), style)], layout.width)

    def _row_strip(self, row: IncidentRow, layout: Layout, styles, now: datetime, is_cursor: bool,
                   is_marked: bool, changed: bool) -> Strip:
        base = styles["base"]
        if is_marked:
            base = base + styles["marked"]
        if changed:
            base = base + styles["changed"]
        if is_cursor:
            base = base + styles["cursor"]
        # One run of text per style, built directly: fewer escape sequences on the wire (SSH)
        # and one Strip per row (this runs for every new line a page down brings).
        segments: list[Segment] = []
        run: list[str] = []
        run_style = base
        cursor = styles["cursor"]
        last = len(layout.cells) - 1
        for i, (column, width) in enumerate(layout.cells):
            text, extra = self._cell(row, column, width, now, is_marked, styles)
            style = base if extra is None else (base + extra + cursor if is_cursor else base + extra)
            if style is not run_style:  # (Style.__add__ is cached: equal sums are the same object)
                if run:
                    segments.append(Segment("".join(run), run_style))
                run, run_style = [], style
            run.append(_fit(text, width, column in RIGHT))
            if i < last:
                if run_style is not base:
                    segments.append(Segment("".join(run), run_style))
                    run, run_style = [], base
                run.append(" ")
        if run:
            segments.append(Segment("".join(run), run_style))
        strip = Strip(segments, layout.width)
        if sum(w for _, w in layout.cells) + last != layout.width:  # (a terminal too narrow to fit)
            strip = strip.crop_extend(0, layout.width, base)
        return strip

    def _cell(self, row: IncidentRow, column: str, width: int, now: datetime, is_marked: bool, styles):
        if column == "mark":
            return ("*" if is_marked else " "), None
        if column == "id":
            return str(row.id), None
        if column == "priority":
            return str(row.priority), styles.get(f"p{row.priority}")
        if column == "status":
            return self._labels("status", row.status), None
        if column == "sla":
            state = sla_state(row.opened_at, now, self._targets(row.priority), row.resolved_at,
                              self.config.near_breach_fraction)
            text = compact(state.remaining) if state.state != "none" else ""
            return text, styles.get({"breached": "breached", "near": "near", "met": "met"}.get(state.state, ""))
        if column == "title":
            return one_line(row.title[: width * 2 + 2], width * 2 + 1), None
        if column == "caller":
            caller, org = one_line(row.caller, 80), one_line(row.organisation, 80)
            return (f"{caller} · {org}" if caller and org else caller or org), None
        if column == "group":
            return one_line(self._group_label(row.group), 40), None
        if column == "assignee":
            return one_line(row.assignee, 40), (None if row.assignee else styles["dim"])
        if column == "age":
            return compact(max(now - row.opened_at, timedelta(0))), styles["dim"]
        return "", None


def compact(delta: timedelta | None) -> str:
    """At most six cells: '45m', '5h07', '3d04', '-111d' (days alone from ten days on)."""
    if delta is None:
        return ""
    sign = "-" if delta < timedelta(0) else ""
    delta = abs(delta)
    if delta >= timedelta(days=10):
        return f"{sign}{delta.days}d"
    return sign + format_duration(delta)


def _fit(text: str, width: int, right: bool) -> str:
    """Exactly `width` cells (double-width characters count two), truncated with an ellipsis."""
    if width <= 0:
        return ""
    length = len(text) if text.isascii() else cell_len(text)
    if length > width:
        return set_cell_size(text, width - 1) + "…" if width > 1 else set_cell_size(text, width)
    if right:
        return " " * (width - length) + text
    return text + " " * (width - length)
