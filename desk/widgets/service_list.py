"""The catalogue screen's list of services: a virtual list (only the rows on screen are drawn), so
that a search keystroke over thousands of services costs the rows shown, not the rows found.

Rows are (code, name) pairs given by the screen; the cursor row is highlighted. Untrusted text
is drawn literally (neutralised, never parsed as markup).
"""

from __future__ import annotations

from collections.abc import Callable

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from textual.binding import Binding
from textual.geometry import Size
from textual.message import Message
from textual.reactive import reactive
from textual.scroll_view import ScrollView
from textual.strip import Strip

from desk.domain.text import one_line
from desk.widgets.scrollbar import QuickBars, set_virtual_size


class ServiceList(QuickBars, ScrollView, can_focus=True):
    COMPONENT_CLASSES = {"service-list--cursor", "service-list--code", "service-list--retired"}
    BINDINGS = [
        Binding("up", "move(-1)", show=False, id="catalogue.up"),
        Binding("down", "move(1)", show=False, id="catalogue.down"),
        Binding("pageup", "page(-1)", show=False, id="catalogue.pageup"),
        Binding("pagedown", "page(1)", show=False, id="catalogue.pagedown"),
        Binding("home", "edge(0)", show=False, id="catalogue.home"),
        Binding("end", "edge(1)", show=False, id="catalogue.end"),
    ]
    cursor = reactive(0, layout=False, repaint=False)

    class Moved(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[tuple[str, str, bool]] = []  # (code, name, retired)
        # Called at once with the new cursor row (the screen shows its entry in the same frame as
        # the move); without it a Moved message is posted, and a frame may show the list moved alone.
        self.moved: Callable[[int], None] | None = None

    def _moved(self, index: int) -> None:
        if self.moved is not None:
            self.moved(index)
        else:
            self.post_message(self.Moved(index))

    def show(self, rows: list[tuple[str, str, bool]], keep: str | None = None) -> None:
        """New rows; the cursor stays on the service `keep` when it is among them, else the top."""
        self.rows = rows
        index = next((i for i, r in enumerate(rows) if r[0] == keep), 0) if keep else 0
        set_virtual_size(self, Size(self.size.width, len(rows)))  # (no layout pass for a new length)
        self.set_reactive(ServiceList.cursor, index)
        self._scroll_to_cursor()
        self.refresh()
        self._moved(index)

    @property
    def current(self) -> str | None:
        return self.rows[self.cursor][0] if 0 <= self.cursor < len(self.rows) else None

    def _scroll_to_cursor(self) -> None:
        height = max(self.size.height, 1)
        top = int(self.scroll_offset.y)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False, immediate=True)
        elif self.cursor >= top + height:
            self.scroll_to(y=self.cursor - height + 1, animate=False, immediate=True)

    def _go(self, index: int) -> None:
        if not self.rows:
            return
        index = max(0, min(len(self.rows) - 1, index))
        if index != self.cursor:
            self.cursor = index
            self._scroll_to_cursor()
            self.refresh()
            self._moved(index)

    def action_move(self, step: int) -> None:
        self._go(self.cursor + step)

    def action_page(self, direction: int) -> None:
        self._go(self.cursor + direction * max(self.size.height - 1, 1))

    def action_edge(self, end: int) -> None:
        self._go(len(self.rows) - 1 if end else 0)

    def on_click(self, event) -> None:
        self._go(int(self.scroll_offset.y) + event.y)

    def on_resize(self) -> None:
        set_virtual_size(self, Size(self.size.width, len(self.rows)))

    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width  # (beside the scrollbar, when it shows)
        index = y + int(self.scroll_offset.y)
        base = self.rich_style
        if index >= len(self.rows):
            return Strip.blank(width, base)
        code, name, retired = self.rows[index]
        style = base
        if index == self.cursor:
            style = base + self.get_component_rich_style("service-list--cursor")
        elif retired:
            style = base + self.get_component_rich_style("service-list--retired")
        text = " " + one_line(name, 200)
        text = set_cell_size(text, width - 1) + " " if cell_len(text) >= width else text + " " * (width - cell_len(text))
        return Strip([Segment(text, style)], width)
