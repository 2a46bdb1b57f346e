"""The body of the incident detail as one line-API widget: the field grid and the text sections
(description, checklist, history, knowledge) are laid out into lines here, at the widget's width,
and kept until the content or the width changes. One widget instead of a tree of them keeps
opening the detail cheap (no stylesheet work per field, no rich Table measured per paint).

Content is a list of sections, each either a `Grid` (label/value rows, two pairs a line when the
screen is wide), a rich `Text` that wraps, or a `Packed` (desk/widgets/packed.py: pieces a line
break never splits, such as the checklist's items); a grid's value may be a `Packed` too. Everything shown is rich Text built by the caller from
neutralised strings: nothing here parses markup.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.geometry import Size
from textual.scroll_view import ScrollView
from textual.strip import Strip

from desk.widgets.kept_lines import KeptLines
from desk.widgets.key_bar import KeyBar
from desk.widgets.packed import Packed, pack

GAP = 2  # cells between the grid's columns


@dataclass(frozen=True)
class Grid:
    """Rows of (label, value, label, value). At or above `wide_from` screen cells the two pairs
    share a line; below, each pair has a line of its own."""

    rows: Sequence[tuple[Text, Text, Text, Text]]
    wide_from: int = 110


class DetailBody(KeptLines, ScrollView, can_focus=True):
    DEFAULT_CSS = """
    DetailBody {
        height: 1fr;
        overflow-x: hidden;
        overflow-y: auto;
        scrollbar-gutter: stable;
        scrollbar-size-vertical: 1;
    }
    """

    def __init__(self, sections: Sequence[Grid | Text | Packed] = (), *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._sections: list[Grid | Text | Packed] = list(sections)
        self._lines: list[Strip] = []
        self._built_for: tuple[int, int] | None = None  # (width, screen width) the lines are for
        self._plain: list[str] = []
        self._base_style: Style | None = None
        self._pass: tuple[int, int, Style] | None = None

    # --- content ---------------------------------------------------------------------------------
    def update(self, sections: Sequence[Grid | Text | Packed], *, keep_scroll: bool = False) -> None:
        """Show these sections (from the top, unless `keep_scroll`)."""
        self._sections = list(sections)
        self._built_for = None
        if not keep_scroll:
            self.scroll_to(0, 0, animate=False, immediate=True)
        before = self.virtual_size
        self._build()
        if self.virtual_size != before and self.is_mounted:
            # a new length: the scrollbar's thumb follows in this same paint, not a frame later
            # (Textual's private Widget._scroll_update, checked by tests/tui/test_textual_private_api.py)
            self._scroll_update(self.virtual_size)
        self.refresh()

    @property
    def text(self) -> str:
        """What the body shows, as plain lines (for tests and for copying)."""
        self._build()
        return "\n".join(self._plain)

    def _size_updated(self, size: Size, virtual_size: Size, container_size: Size, layout: bool = True) -> bool:
        # Lay the lines out for the new width before the scrollbars are worked out, so that the
        # frame that first shows the body at this size is already the right one (setting
        # virtual_size later would cost another layout pass, a frame later). Textual's private
        # Widget._size_updated is the one hook between the new size and the scrollbars (its
        # signature is checked by tests/tui/test_textual_private_api.py).
        width = size.width - self.styles.gutter.width - self.styles.scrollbar_size_vertical
        if width > 0:
            self._build(width, self.app.size.width)
        return super()._size_updated(size, virtual_size, container_size, layout)

    # --- layout ----------------------------------------------------------------------------------
    def _build(self, width: int | None = None, screen_width: int | None = None) -> None:
        if width is None:
            width = self.scrollable_content_region.width
        if screen_width is None:
            screen_width = self.app.size.width
        if width <= 0:
            return
        if self._built_for == (width, screen_width):
            return
        console = self.app.console
        texts: list[Text] = []
        for section in self._sections:
            if isinstance(section, Grid):
                texts.extend(self._grid_lines(section, width, screen_width >= section.wide_from))
            elif isinstance(section, Packed):
                texts.extend(line for out in pack(section, width) for line in out.wrap(console, width, overflow="fold"))
            else:
                texts.extend(section.wrap(console, width, overflow="fold"))
        self._plain = [line.plain.rstrip() for line in texts]
        # Painted once here, at this width and in this widget's colours: a paint then only copies
        # the lines (the detail opens in one paint, and Textual caches what it derives per line).
        style = self._base_style = self.rich_style
        self._lines = [Strip(list(line.render(console)), line.cell_len).apply_style(style)
                       .crop_extend(0, width, style) for line in texts]
        self._built_for = (width, screen_width)
        self.set_reactive(DetailBody.virtual_size, Size(width, len(self._lines)))

    def _grid_lines(self, grid: Grid, width: int, wide: bool) -> list[Text]:
        console = self.app.console
        if wide:
            rows = [tuple(row) for row in grid.rows]
        else:
            rows = [pair for row in grid.rows for pair in (tuple(row[:2]), tuple(row[2:]))]
        columns = len(rows[0]) if rows else 0
        if not columns:
            return []
        labels = [max(row[i].cell_len for row in rows) for i in range(0, columns, 2)]
        room = max(width - sum(labels) - GAP * (columns - 1), columns // 2)
        values = [room // (columns // 2)] * (columns // 2)
        values[0] += room - sum(values)  # the first value column takes what does not divide
        out: list[Text] = []
        for row in rows:
            cells = []
            for i in range(0, columns, 2):
                label_width, value_width = labels[i // 2], values[i // 2]
                label = row[i].copy()
                label.truncate(label_width, pad=True)
                value = row[i + 1]
                if isinstance(value, Packed):  # (broken between its pieces; one wider than the column folds)
                    value = Text("\n").join(pack(value, value_width))
                wrapped = value.wrap(console, value_width, overflow="fold") or [Text()]
                cells.append((label, label_width, list(wrapped), value_width))
            height = max(len(c[2]) for c in cells)
            for n in range(height):
                line = Text(end="", no_wrap=True)
                for index, (label, label_width, wrapped, value_width) in enumerate(cells):
                    if index:
                        line.append(" " * GAP)
                    line.append_text(label if n == 0 else Text(" " * label_width))
                    line.append(" " * GAP)
                    value = wrapped[n] if n < len(wrapped) else Text()
                    if index < len(cells) - 1:
                        value = value.copy()
                        value.truncate(value_width, pad=True)
                    line.append_text(value)
                out.append(line)
        return out

    # --- painting --------------------------------------------------------------------------------
    def render_lines(self, crop):
        # (what each line needs is worked out once a paint: Textual computes these on each call)
        self._pass = self._paint_state()
        try:
            return super().render_lines(crop)
        finally:
            self._pass = None

    def _paint_state(self) -> tuple[int, int, Style]:
        style: Style = self.rich_style
        if style != self._base_style:  # (a theme or focus change since the lines were painted)
            self._built_for = None
        self._build()
        return int(self.scroll_offset.y), self.scrollable_content_region.width, style

    def render_line(self, y: int) -> Strip:
        top, width, style = self._pass or self._paint_state()
        index = top + y
        if 0 <= index < len(self._lines):
            return self._lines[index]
        return Strip([Segment(" " * width, style)], width)


class DetailKeys(KeyBar):
    """The key bar, styled as in desk.tcss also where that sheet is not loaded (the dialog tests'
    host app): docked at the bottom, one line."""

    DEFAULT_CSS = """
    DetailKeys {
        dock: bottom;
        height: 1;
        width: 1fr;
        background: $panel;
        color: $foreground;
    }
    DetailKeys > .key-bar--key {
        color: $accent;
        text-style: bold;
    }
    DetailKeys > .key-bar--description {
        color: $foreground;
    }
    DetailKeys > .key-bar--disabled {
        color: $foreground-disabled;
        text-style: dim;
    }
    """
