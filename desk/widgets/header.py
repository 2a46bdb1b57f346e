"""The one-line header every screen shares: desk, the screen tabs, the user and role, the
database, the clock. Plain Text throughout (the database path and names are shown literally);
the clock redraws when the minute changes, so an idle desk writes nothing to the terminal."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from rich.cells import cell_len, set_cell_size
from rich.text import Text
from textual import events
from textual.message import Message

from desk.domain.text import one_line
from desk.widgets.one_line import OneLineWidget


class DeskHeader(OneLineWidget):
    """`tabs`: [(screen id, label, key display)]; the current one is highlighted."""

    COMPONENT_CLASSES = {"desk-header--name", "desk-header--tab", "desk-header--tab-active", "desk-header--dim"}

    class TabClicked(Message):
        def __init__(self, screen_id: str) -> None:
            super().__init__()
            self.screen_id = screen_id

    def __init__(self, *, tabs: list[tuple[str, str, str]], current: str, user: str, role: str, database: str,
                 clock: Callable[[], datetime], id: str | None = None) -> None:
        super().__init__(id=id)
        self.tabs = tabs
        self.current = current
        self.user = one_line(user, 60)
        self.role = one_line(role, 80)
        self.database = one_line(database, 400)
        self._clock = clock
        self._minute = self._stamp()
        self._tab_spans: list[tuple[int, int, str]] = []

    def _stamp(self) -> str:
        return self._clock().strftime("%Y-%m-%d %H:%M")

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick)

    def _tick(self) -> None:
        stamp = self._stamp()
        if stamp != self._minute:
            self._minute = stamp
            self.refresh()

    def render(self) -> Text:
        width = self.size.width
        name_style = self.get_component_rich_style("desk-header--name", partial=True)
        tab_style = self.get_component_rich_style("desk-header--tab", partial=True)
        active_style = self.get_component_rich_style("desk-header--tab-active", partial=True)
        dim = self.get_component_rich_style("desk-header--dim", partial=True)

        left = Text(" desk ", style=name_style, end="")
        spans = []
        for screen_id, label, key in self.tabs:
            start = left.cell_len
            left.append(" ")
            left.append(f" {key} {label} " if key else f" {label} ",
                        style=active_style if screen_id == self.current else tab_style)
            spans.append((start, left.cell_len, screen_id))
        self._tab_spans = spans

        clock = self._minute
        user = f"{self.user} ({self.role})" if self.role else self.user
        room = width - left.cell_len - cell_len(clock) - 6
        # give way in this order: the role, then the database path (keep its file name)
        if cell_len(user) + cell_len(self.database) + 3 > room:
            user = self.user
        database = self.database
        if cell_len(user) + cell_len(database) + 3 > room:
            keep = max(room - cell_len(user) - 3, 0)
            database = _left_trim(database, keep)
        right = Text(end="")
        right.append(user)
        if database:
            right.append(" │ ", style=dim)
            right.append(database, style=dim)
        right.append(" │ ", style=dim)
        right.append(clock)
        right.append(" ")
        gap = width - left.cell_len - right.cell_len
        if gap < 1:
            # very narrow: the clock and the user are what matter
            right = Text(f"{self.user} │ {clock} ", end="")
            gap = max(width - left.cell_len - right.cell_len, 1)
        line = left + Text(" " * gap, end="") + right
        line.truncate(width)
        line.no_wrap = True
        return line

    def on_click(self, event: events.Click) -> None:
        for start, end, screen_id in self._tab_spans:
            if start <= event.x < end:
                self.post_message(self.TabClicked(screen_id))


def _left_trim(text: str, width: int) -> str:
    """Keep the end of `text` (a path's file name) in `width` cells."""
    if cell_len(text) <= width:
        return text
    if width <= 1:
        return ""
    out = text[::-1]
    out = set_cell_size(out, width - 1)[::-1]
    return "…" + out.lstrip()
