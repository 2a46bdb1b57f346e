"""Where a RecordTable's cursor is and how it moves: positions by id, the cursor kept on its
record, the navigation keys and the mouse, and asking the reader for the rows a paint lacks.
A mixin of desk.widgets.record_table.RecordTable (one idea per module)."""

from __future__ import annotations

from textual import events
from textual.geometry import Region

WINDOW = 200  # ids per window request before the full order is known (and the search around the cursor)
PREFETCH_PAGES = 2  # rows fetched beyond the screen, each way
# A window this deep into the list asks the reader for the whole order too: past it, each window's
# OFFSET walks more of the index than the order costs to read once (a scroll through a long list,
# the end key). Above it, a view, sort or filter key reads no more than its first pages.
ORDER_DEPTH = 1_000


class TableMoves:
    # --- positions ------------------------------------------------------------------------------
    def id_at(self, index: int) -> int | None:
        if index < 0:
            return None
        if self._order is not None:
            return self._order[index] if index < len(self._order) else None
        return self._sparse.get(index)

    def row_at(self, index: int) -> tuple | None:
        incident_id = self.id_at(index)
        return self._rows.get(incident_id) if incident_id is not None else None

    @property
    def cursor_id(self) -> int | None:
        return self._cursor_id

    @property
    def cursor_row(self) -> tuple | None:
        return self._rows.get(self._cursor_id) if self._cursor_id is not None else None

    def version_of(self, incident_id: int) -> int | None:
        row = self._rows.get(incident_id)
        return getattr(row, "version", 0) if row else None

    def _near(self, record_id: int) -> int | None:
        """Where `record_id` went in the new order, looked for around where it was (the reader
        had not been told of it: the cursor moved while the order was read)."""
        order = self._order
        centre = self.cursor
        for index in range(max(0, centre - WINDOW), min(len(order), centre + WINDOW)):
            if order[index] == record_id:
                return index
        return None

    def _set_cursor_by_id(self, incident_id: int, screen_line: int, index: int | None) -> None:
        if index is None or index < 0:
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
        self._tell_moved()

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

    def _tell_moved(self) -> None:
        """The cursor moved (or its row's place did). With a `moved` hook the screen answers in this
        turn, so what it changes (the status line's position, the keys greyed for the row) goes out
        in the frame that moves the cursor: as a message, its answer came after that frame and waited
        for Textual's next one, 17-33 ms later (desk.widgets.same_frame says why)."""
        if self.moved is not None and self.is_mounted:
            self.moved()
        else:
            self.post_message(self.CursorMoved(self))

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
        self._tell_moved()

    def action_first(self) -> None:
        self._move_to(0)

    def action_last(self) -> None:
        self._move_to(self.known_rows - 1)

    def refresh_row(self, index: int) -> None:
        self._refresh_index(index)

    def clear_marks(self) -> None:
        self.marked.clear()
        self.refresh()

    def unmark(self, ids) -> None:
        """These rows are marked no more (a bulk action did what they were marked for)."""
        if any([self.marked.pop(i, None) is not None for i in ids]):
            self.refresh()

    def set_sort(self, sort: str, descending: bool, repaint: bool = True) -> None:
        swapped = self.columns.while_sorted.get(self.sort) != self.columns.while_sorted.get(sort)
        self.sort, self.descending = sort, descending
        if repaint:  # (a column that shows another sort's cells: every line, else the header)
            self.refresh() if swapped else self.refresh(Region(0, 0, self.size.width, 1))

    # --- mouse ----------------------------------------------------------------------------------
    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            column = (self._layout or self._plan()).column_at(event.x)
            if column in self._sort_columns:
                self.post_message(self.HeaderClicked(self._sort_columns[column]))
            return
        index = self.scroll_offset.y + event.y - 1
        if 0 <= index < self.known_rows:
            if index == self.cursor and event.chain >= 2 and self._cursor_id is not None:
                self.post_message(self.RowActivated(self._cursor_id))
            self._move_to(index)

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
                        if block >= ORDER_DEPTH and not self._order_asked:
                            self._order_asked = True
                            self.source.want_order(self.gen)
                continue
            if incident_id not in self._rows and incident_id not in self._asked_rows \
                    and incident_id not in self._missing:
                missing_rows.append(incident_id)
        if missing_rows:
            self._asked_rows.update(missing_rows)
            self.source.fetch_rows(missing_rows)
