"""A one-line status bar: what is shown on the left, where the cursor is on the right.

Redrawn only when its text changes, and without a layout pass (its size never changes), so a
cursor move costs one short line of terminal output.
"""

from __future__ import annotations

from rich.cells import cell_len, set_cell_size
from rich.text import Text

from desk.widgets.one_line import OneLineWidget


class StatusLine(OneLineWidget):
    COMPONENT_CLASSES = {"status-line--right", "status-line--busy"}

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self._left = ""
        self._right = ""
        self._busy = ""

    def show(self, left: str, right: str, busy: str = "") -> None:
        if (left, right, busy) != (self._left, self._right, self._busy):
            self._left, self._right, self._busy = left, right, busy
            self.refresh()

    def line_key(self):
        return (self._left, self._right, self._busy)

    def render(self) -> Text:
        width = self.size.width
        right = self._right + " "
        busy = (self._busy + "  ") if self._busy else ""
        room = max(width - cell_len(right) - cell_len(busy) - 2, 0)
        left = " " + self._left
        if cell_len(left) > room:
            left = set_cell_size(left, max(room - 1, 0)) + "…"
        gap = max(width - cell_len(left) - cell_len(busy) - cell_len(right), 1)
        line = Text(left, end="", no_wrap=True)
        line.append(" " * gap)
        if busy:
            line.append(busy, style=self.get_component_rich_style("status-line--busy", partial=True))
        line.append(right, style=self.get_component_rich_style("status-line--right", partial=True))
        line.truncate(width)
        return line
