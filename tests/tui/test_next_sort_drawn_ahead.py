"""The next sort's first page is read and drawn ahead while the user reads the list (issue 12): the
lines are drawn with the columns of the order they will show in. Sorted by last update, the Age
column shows how long each incident has been idle; lines drawn ahead with the current order's
columns were of no use there, and `s` into or out of that order drew its whole page in the paint."""

from __future__ import annotations

from tui_helpers import press, queue_ready, wait_until

from desk.lists.incident_cells import WHILE_SORTED
from desk.widgets.incident_table import IncidentTable


def _drawn_lines(table) -> list[int]:
    """Count the rows the table draws from now on (a kept line costs nothing)."""
    drawn: list[int] = []
    original = table._row_strip
    table._row_strip = lambda row, *a: (drawn.append(row.id), original(row, *a))[1]
    return drawn


def _ready_ahead(screen, sort: str) -> bool:
    """The next sort's first page was read ahead and its lines drawn with that sort's columns."""
    peeked = screen.source._peeked
    if peeked is None or peeked[0][1] != sort:
        return False
    table = screen.table
    swap = WHILE_SORTED.get(sort)
    shown = peeked[2][:table.size.height - 1]
    kept = {(key[0], key[-1]) for key in table._strips.keys() if isinstance(key[0], int)}
    return all((row.id, swap) in kept for row in shown)


def _header(screen) -> str:
    return "".join(segment.text for segment in screen.table.render_line(0)).replace(" ", "")


async def _sorted_by(pilot, screen, sort: str) -> None:
    while screen.sort != sort:
        await press(pilot, "s")


async def test_s_into_the_last_update_order_shows_the_idle_column_drawn_ahead(make_app):
    app = make_app()
    async with app.run_test(size=app.test_size) as pilot:
        screen = await queue_ready(pilot)
        assert isinstance(screen.table, IncidentTable)
        await _sorted_by(pilot, screen, "age")
        assert screen._next_sort() == "updated"
        await wait_until(pilot, lambda: _ready_ahead(screen, "updated"), what="the next sort drawn ahead")
        drawn = _drawn_lines(screen.table)
        await press(pilot, "s")
        assert screen.sort == "updated" and "Idle▼" in _header(screen)
        assert drawn == []  # every line on screen was drawn ahead, with the Idle column


async def test_s_out_of_the_last_update_order_shows_the_age_column_drawn_ahead(make_app):
    app = make_app()
    async with app.run_test(size=app.test_size) as pilot:
        screen = await queue_ready(pilot)
        await _sorted_by(pilot, screen, "updated")
        assert screen._next_sort() == "priority"
        # (the lines drawn while the list was first sorted by priority are forgotten, as a big list's
        # would be: only what is drawn ahead now can serve the key)
        screen.table._strips.clear()
        screen._read_next_sort()
        await wait_until(pilot, lambda: _ready_ahead(screen, "priority"), what="the next sort drawn ahead")
        drawn = _drawn_lines(screen.table)
        await press(pilot, "s")
        assert screen.sort == "priority" and "Age" in _header(screen) and "Idle" not in _header(screen)
        assert drawn == []
