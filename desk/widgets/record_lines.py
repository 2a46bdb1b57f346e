"""How a RecordTable draws its lines: the header, placeholders, rows from the kind's cells, the
lines drawn ahead. A mixin of desk.widgets.record_table.RecordTable (one idea per module)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.segment import Segment
from rich.style import Style
from textual import events
from textual.app import ScreenStackError
from textual.geometry import Size
from textual.strip import Strip

from desk.i18n import t
from desk.lists.layout import Layout, fit, plan_layout
from desk.widgets.scrollbar import set_virtual_size

PRERENDER_DELAY = 0.04  # seconds of quiet after a paint before the next pages are drawn ahead
PRERENDER_STEP = 8  # lines drawn ahead per turn of the event loop
# the table's own styles (component classes record-table--NAME); a kind's cells add theirs
_OWN = ("header", "sorted", "cursor", "cursor-blurred", "marked", "changed", "placeholder")


class TableDrawing:
    def watch_has_focus(self, has_focus: bool) -> None:
        # (Replaces Textual's watcher, which only restyles the node: tests/tui/test_textual_private_api.py checks that.)
        # Widget restyles itself and its scrollbar on every focus change (~1.5 ms, on the enter
        # that applies a filter). No rule in the CSS depends on this table's focus: the cursor's
        # focused and blurred colours are two component classes, swapped here.
        if self._styles is not None:
            self._styles = self._with_cursor(dict(self._styles))
        self._refresh_index(self.cursor)

    def _with_cursor(self, styles: dict[str, Style]) -> dict[str, Style]:
        # (the app's focus is set at once; has_focus follows with the Focus event, a turn later)
        try:
            focused = self.has_focus or (self.is_attached and self.app.focused is self)
        except ScreenStackError:  # (between two modes: no screen on the stack)
            focused = self.has_focus
        cursor = styles["cursor-focused" if focused else "cursor-blurred"]
        if self.app.no_color:
            cursor = cursor + Style(reverse=True)
        styles["cursor"] = cursor
        return styles

    def show_focus(self) -> None:
        """Just given the focus (Screen.set_focus): draw the cursor focused now, in the frame of
        whatever else changed in this turn, not in one of its own after the Focus event."""
        self.watch_has_focus(True)

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._styles = None  # recomputed at the next paint; the lines only if a colour changed

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

    # --- size -----------------------------------------------------------------------------------
    def _resize(self) -> None:
        # (no repaint of every line: each caller repaints the lines a new length changes; the count
        # that follows a first page changes none of those shown, and repainted all of them)
        set_virtual_size(self, Size(self.scrollable_content_region.width, self.known_rows + 1), repaint=False)

    def on_resize(self, event: events.Resize) -> None:
        if self._layout is not None and self._layout.width != self.scrollable_content_region.width:
            self._layout = None
            self._strips.clear()  # (a change of height alone keeps every rendered line)
        self._resize()
        if self.known_rows:
            self._scroll_into_view(self.cursor)  # (a smaller terminal: the cursor's row stays on screen)

    # --- rendering ------------------------------------------------------------------------------
    def _fixed_widths(self) -> dict[str, int]:
        widths = {c.key: c.width for c in self.columns.columns if c.width is not None}
        if self.columns.widths is not None:
            widths.update(self.columns.widths(self._env, self._id_digits))
        return widths

    def _plan(self) -> Layout:
        width = self.scrollable_content_region.width or self.size.width
        if self._layout is None or self._layout.width != width:
            self._layout = plan_layout(width, self._fixed, self.columns)
        return self._layout

    def _style_table(self) -> dict[str, Style]:
        if self._styles is None:
            base = self.rich_style
            names = [*_OWN, *self.columns.styles]
            styles = {"base": base}
            for name in names:
                styles[name] = self.get_component_rich_style(f"record-table--{name}", partial=True)
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

    _drawn: tuple | None = None  # (what the last paint was drawn for, its lines)

    def refresh(self, *regions, **kwargs):
        self._drawn = None  # (any change, of any line: the next paint draws them all again)
        return super().refresh(*regions, **kwargs)

    def _drawn_for(self, crop) -> tuple:
        # (the minute too: lines show ages and SLA times, drawn to the minute as each line's Strip is kept)
        return (crop, self.scroll_offset, self.size, id(self._styles), id(self._layout), self.gen,
                self._now().replace(second=0, microsecond=0))

    def render_lines(self, crop):
        # Textual asks every widget whose clip overlaps a change for all its lines, and keeps only
        # the changed lines: a status line's new text had the table draw its 37 lines again (the
        # frame in which a big list's whole order comes in, after its count: ~1.5 ms of the UI
        # thread per view, sort or filter key). Textual's own widgets answer from its styles cache;
        # a table not refreshed since its last paint hands back the lines it drew then.
        drawn = self._drawn
        if drawn is not None and drawn[0] == self._drawn_for(crop) and not self._painted:
            return drawn[1]
        self._request_visible()
        self._pass_layout = self._plan()  # once per pass, not per line
        try:
            lines = super().render_lines(crop)
            self._drawn = (self._drawn_for(crop), lines)
            return lines
        finally:
            self._pass_layout = None
            self._schedule_prerender()
            if self._painted and self.gen == self._wanted_gen:
                callbacks, self._painted = self._painted, []
                for callback in callbacks:
                    self.call_later(callback)  # (after this frame has been written)

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

    def _line(self, row: tuple, is_cursor: bool, layout: Layout, styles, now: datetime,
              sort: str | None = None) -> Strip:
        """The row's line, drawn or kept; `sort`: the order it is drawn for (a line drawn ahead for
        the next sort shows that sort's columns: the Age column shows idle time by last update)."""
        incident_id = row.id
        changed = incident_id in self._changed
        marked = incident_id in self.marked
        swap = self.columns.while_sorted.get(self.sort if sort is None else sort)
        key = (incident_id, getattr(row, "version", row), styles["cursor"] if is_cursor else None, marked, changed,
               now.replace(second=0, microsecond=0), layout, swap)
        strip = self._strips.get(key)
        if strip is None:
            strip = self._row_strip(row, layout, styles, now, is_cursor, marked, changed, swap)
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

    def prerender_rows(self, rows: list[tuple], sort: str | None = None, descending: bool = False) -> None:
        """Draw the lines of rows that a likely next key (the next sort, a filter being typed)
        will put on screen, the first one also under the cursor, a few per turn of the loop, and
        the header they come under; `sort`: the order they will be shown in (None: this one)."""
        layout, styles = self._layout, self._styles
        if layout is None or styles is None or not self.is_mounted:
            return
        now = self._now()
        if sort is not None:
            self._header(layout, styles, sort, descending)
        todo = [(row, False) for row in rows[:self._page_height()]]
        if rows:
            todo.insert(0, (rows[0], True))

        def draw(start: int = 0) -> None:
            if self._layout is not layout or self._styles is not styles:
                return
            for row, is_cursor in todo[start:start + PRERENDER_STEP]:
                self._line(row, is_cursor, layout, styles, now, sort)
            if start + PRERENDER_STEP < len(todo):
                self.call_later(draw, start + PRERENDER_STEP)

        draw()

    def _header(self, layout: Layout, styles: dict[str, Style], sort: str | None = None,
                descending: bool | None = None) -> Strip:
        sort = self.sort if sort is None else sort
        descending = self.descending if descending is None else descending
        key = ("header", layout, sort, descending)
        strip = self._strips.get(key)
        if strip is not None:
            return strip
        header = styles["base"] + styles["header"]
        segments = []
        sorted_column = next((k for k, v in self._sort_columns.items() if v == sort), None)
        labels = {c.key: c.label for c in self.columns.columns}
        swap = self.columns.while_sorted.get(sort)
        if swap is not None:  # (a sort no column shows: the column showing it in its place is marked)
            sorted_column, labels[swap[0]] = swap[0], swap[2]
        right = self._right
        for i, (column, width) in enumerate(layout.cells):
            label = t(labels[column], self.lang) if labels.get(column) else ""
            style = header
            if column == sorted_column:
                label = label + ("▲" if descending else "▼")
                style = header + styles["sorted"]
            segments.append(Segment(fit(label, width, column in right), style))
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
        return Strip([Segment(fit(text, layout.width, False), style)], layout.width)

    def _row_strip(self, row: tuple, layout: Layout, styles, now: datetime, is_cursor: bool,
                   is_marked: bool, changed: bool, swap: tuple | None) -> Strip:
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
        cell, env, right = self.columns.cell, self._env, self._right
        last = len(layout.cells) - 1
        for i, (column, width) in enumerate(layout.cells):
            if column == "mark":
                text, extra = ("*" if is_marked else " "), None
            else:
                shown = swap[1] if swap is not None and column == swap[0] else column
                text, name = cell(env, row, shown, width, now)
                extra = styles.get(name) if name else None
            style = base if extra is None else (base + extra + cursor if is_cursor else base + extra)
            if style is not run_style:  # (Style.__add__ is cached: equal sums are the same object)
                if run:
                    segments.append(Segment("".join(run), run_style))
                run, run_style = [], style
            run.append(fit(text, width, column in right))
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
