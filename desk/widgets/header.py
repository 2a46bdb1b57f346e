"""The one-line header every screen shares: desk, the screen tabs, the user and role, the
database, the clock. Plain Text throughout (the database path and names are shown literally);
the clock redraws when the minute changes, so an idle desk writes nothing to the terminal.

Nine tabs with their full names leave no room at 120 columns for who is signed in and where, so
the tabs give way first, in steps (`TAB_FORMS`): every tab named; the current tab named and the
others by their short names (`tui.tab.*`); the current tab named and the others by their F-keys;
the current tab by its short name; by its F-key alone. Only then does the right side give way: the role's name, then
the database's path (its file name is kept longest), then the database, then the clock's date (the
time stays): the current tab keeps a name as long as the date can give way for it. The F-keys are
always there (the help and the command palette name every screen).

The user's unread notifications ("F9 3 unread", issue 15) sit left of the clock while there are any
and never give way (their highlight takes the place of the spaces around the bars beside them, so
the count costs no more cells than it shows): `unread` is a callable the header asks once a second (the app's notification
poll keeps the count), so a tick that adds one, or marking them read, shows within a second."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import NamedTuple

from rich.cells import cell_len, set_cell_size
from rich.style import Style
from rich.text import Text
from textual import events
from textual.message import Message

from desk.domain.text import one_line
from desk.widgets.one_line import OneLineWidget


class Tab(NamedTuple):
    screen_id: str
    label: str  # the screen's name
    key: str  # the key that opens it, as shown ("F4"), or ""
    short: str = ""  # a short name for a narrow header ("" = the name)


# (how the current tab shows, how the others show): "label", "short" or "key"
TAB_FORMS = (("label", "label"), ("label", "short"), ("label", "key"), ("short", "key"), ("key", "key"))


class Styles(NamedTuple):
    name: Style = Style()
    tab: Style = Style()
    active: Style = Style()
    key: Style = Style()
    dim: Style = Style()


def tab_row(tabs: list[Tab], current: str, form: tuple[str, str], styles: Styles) -> tuple[Text, list]:
    """' desk ' and the tabs in one form: (the text, [(start, end, screen id)] for clicks)."""
    left = Text(" desk ", style=styles.name, end="")
    spans = []
    for tab in tabs:
        start = left.cell_len
        active = tab.screen_id == current
        shown = form[0] if active else form[1]
        label = tab.short or tab.label if shown == "short" else tab.label if shown == "label" else ""
        left.append(" ")
        if active:
            left.append(" " + " ".join(part for part in (tab.key, label) if part) + " ", style=styles.active)
        elif shown == "key" and tab.key:
            left.append(tab.key, style=styles.key)
        else:
            if tab.key:
                left.append(tab.key + " ", style=styles.key)
            left.append(label, style=styles.tab)
        spans.append((start, left.cell_len, tab.screen_id))
    return left, spans


def right_side(user: str, role: str, database: str, clock: str, styles: Styles, unread: str = "") -> Text:
    right = Text(end="")
    right.append(f"{user} ({role})" if role else user)
    if database:
        right.append(" │ ", style=styles.dim)
        right.append(database, style=styles.dim)
    if unread:  # ' │ F9: 3 unread │ ': the highlight's own margins are the bars' spaces
        right.append(" │", style=styles.dim)
        right.append(f" {unread} ", style=styles.active)
        right.append("│ ", style=styles.dim)
    else:
        right.append(" │ ", style=styles.dim)
    right.append(clock)
    right.append(" ")
    return right


def header_line(width: int, tabs: list[Tab], current: str, user: str, role: str, database: str, clock: str,
                styles: Styles = Styles(), unread: str = "") -> tuple[Text, list]:
    """The header at `width` cells: (the line, the tabs' click spans). `unread`: the unread
    notifications as shown ("F9 3 unread"), or ""."""
    rows = [tab_row(tabs, current, form, styles) for form in TAB_FORMS]
    plain = right_side(user, "", "", clock, styles, unread)
    # the tabs give way first (but the current one keeps a name), then the role's name, then the
    # database's path, then the clock's date (a long login with unread notifications at 80
    # columns); only then does the current tab lose its name (and the clock gets its date back)
    tries = [(right_form, row) for right_form in range(4) for row in rows[:-1]] + [(2, rows[-1])]
    time_only = clock.rpartition(" ")[2]
    for right_form, (left, spans) in tries:
        room = width - left.cell_len - 1
        if right_form == 0:
            right = right_side(user, role, database, clock, styles, unread)
        elif right_form == 1:
            right = right_side(user, "", database, clock, styles, unread)
        elif right_form == 2:  # the path trimmed to its end (the file name), or no database at all
            keep = room - plain.cell_len - 3
            right = right_side(user, "", _left_trim(database, keep) if keep >= 8 else "", clock, styles, unread)
        else:
            right = right_side(user, "", "", time_only, styles, unread)
        if right.cell_len <= room:
            return _join(left, right, width), spans
    # very narrow: the clock and the user are what matter; the tabs that do not fit are cut off
    right = Text(f"{user} │ {clock} ", end="")
    if unread:
        right = Text(end="")
        right.append(f"{user} │")
        right.append(f" {unread} ", style=styles.active)
        right.append(f"│ {clock} ")
    left, spans = rows[-1]
    left.truncate(max(width - right.cell_len - 1, 0))
    return _join(left, right, width), [span for span in spans if span[1] <= left.cell_len]


def _join(left: Text, right: Text, width: int) -> Text:
    gap = max(width - left.cell_len - right.cell_len, 1)
    line = left + Text(" " * gap, end="") + right
    line.truncate(width)
    line.no_wrap = True
    return line


class DeskHeader(OneLineWidget):
    """`tabs`: [Tab(screen id, label, key display, short label)]; the current one is highlighted."""

    COMPONENT_CLASSES = {"desk-header--name", "desk-header--tab", "desk-header--tab-active", "desk-header--key",
                         "desk-header--dim"}

    class TabClicked(Message):
        def __init__(self, screen_id: str) -> None:
            super().__init__()
            self.screen_id = screen_id

    def __init__(self, *, tabs: list, current: str, user: str, role: str, database: str,
                 clock: Callable[[], datetime], unread: Callable[[], str] | None = None,
                 id: str | None = None) -> None:
        super().__init__(id=id)
        self.tabs = [Tab(*tab) for tab in tabs]
        self.current = current
        self.user = one_line(user, 60)
        self.role = one_line(role, 80)
        self.database = one_line(database, 400)
        self._clock = clock
        self._minute = self._stamp()
        self._unread = unread
        self.unread = unread() if unread is not None else ""  # as shown: "F9 3 unread", or ""
        self._tab_spans: list[tuple[int, int, str]] = []

    def _stamp(self) -> str:
        return self._clock().strftime("%Y-%m-%d %H:%M")

    def on_mount(self) -> None:
        self.set_interval(1.0, self._tick)

    def _tick(self) -> None:
        stamp = self._stamp()
        unread = self._unread() if self._unread is not None else ""
        if stamp != self._minute or unread != self.unread:
            self._minute, self.unread = stamp, unread
            self.refresh()

    def refresh_unread(self) -> None:
        """Show the unread count now (the notification list marked some read)."""
        self._tick()

    def render(self) -> Text:
        style = self.get_component_rich_style
        styles = Styles(style("desk-header--name", partial=True), style("desk-header--tab", partial=True),
                        style("desk-header--tab-active", partial=True), style("desk-header--key", partial=True),
                        style("desk-header--dim", partial=True))
        line, self._tab_spans = header_line(self.size.width, self.tabs, self.current, self.user, self.role,
                                            self.database, self._minute, styles, self.unread)
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


def shell_header(app, tab: str | None = None) -> tuple:
    """The app shell's header for a screen (a tuple of one widget), or none when the screen runs
    outside the shell (a screen alone in a test app has no `make_header`). Without a tab: the
    shell's current mode (the queue when there is none)."""
    make_header = getattr(app, "make_header", None)
    if make_header is None:
        return ()
    return (make_header(tab or getattr(app, "current_mode", None) or "queue"),)
