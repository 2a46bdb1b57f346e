"""A list reads its whole order only when a key needs it. A view, sort or filter key reads the first
page and the count; the rest comes in windows as the table scrolls. Reading every id of the new list
on every such key cost ~5 ms of CPU a key at 20,000 problems, growing with the table (figure 14).
Going deep (the end key, a long scroll) still gets the whole order, read behind the paint, and
marks and bulk actions work on rows from anywhere in the list without it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tui_helpers import queue_ready, wait_until

ROWS = 1_500


@pytest.fixture
def long_queue(desk, clock):
    from desk.models import Incident

    rows = [{"title": f"long {n}", "impact": 2, "urgency": 2, "priority": 1 + n % 4, "status": "assigned",
             "tier": 1, "opened_at": clock.now - timedelta(minutes=n), "updated_at": clock.now,
             "category": "hardware", "version": 1} for n in range(ROWS)]
    with desk.db.atomic():
        for start in range(0, ROWS, 500):
            Incident.insert_many(rows[start:start + 500]).execute()
    return desk


def _status(screen) -> str:
    return str(screen.status.render_line(0).text)


def _expected(desk, screen) -> list[int]:
    from desk.services import queue

    ctx = screen._queue_context()
    return queue.ids(screen.current_filter(), ctx, screen.sort, screen.descending)


async def test_a_view_key_reads_no_whole_order_and_the_end_key_does(make_app, long_queue):
    app = make_app()
    async with app.run_test(size=app.test_size) as pilot:
        screen = await queue_ready(pilot)
        table = screen.table
        orders = []
        real = screen.source.want_order
        screen.source.want_order = lambda gen: (orders.append(gen), real(gen))
        await pilot.press("8")  # all incidents: far more than a first page
        await queue_ready(pilot)
        await pilot.pause(0.2)
        expected = _expected(long_queue, screen)
        assert table.total == len(expected) > ROWS
        assert table._order is None and orders == []  # the first page and the count, no more
        assert "loading" not in _status(screen) and f"1 of {len(expected):,}" in _status(screen)
        await pilot.press("pagedown", "pagedown", "pagedown", "pagedown")  # past the first page: windows
        await queue_ready(pilot)
        assert table._order is None and orders == []
        assert [table.id_at(i) for i in range(table.cursor - 5, table.cursor + 5)] == \
               expected[table.cursor - 5:table.cursor + 5]
        await pilot.press("end")
        await wait_until(pilot, lambda: table._order is not None, what="the whole order, read behind the end key")
        assert orders == [screen._gen] and list(table._order) == expected
        assert table.cursor == len(expected) - 1 and table.cursor_id == expected[-1]
        assert f"{len(expected):,} of {len(expected):,}" in _status(screen)


async def test_marks_from_both_ends_of_a_long_list_go_to_a_bulk_action_with_the_versions_seen(make_app, long_queue):
    app = make_app()
    async with app.run_test(size=app.test_size) as pilot:
        screen = await queue_ready(pilot)
        table = screen.table
        await pilot.press("8")
        await queue_ready(pilot)
        first = table.cursor_id
        await pilot.press("space")  # marked, the cursor moves down
        for _ in range(6):  # well past the first page, through windows only
            await pilot.press("pagedown")
        await queue_ready(pilot)
        assert table._order is None
        deep = table.cursor_id
        await pilot.press("space")
        assert set(table.marked) == {first, deep} and all(v == 1 for v in table.marked.values())
        assert "2 marked" in _status(screen)
        assert screen.selection("assign") == sorted([(first, 1), (deep, 1)])


async def test_a_window_read_ahead_off_screen_draws_no_line_and_one_on_screen_does(make_app, long_queue):
    """Without the whole order, a scroll reads the windows around the screen ahead: each one that
    came in repainted the whole table (the same lines drawn and diffed again, ~1.5 ms of the UI
    thread at 120×40), whether it was on screen or not."""
    app = make_app()
    async with app.run_test(size=app.test_size) as pilot:
        screen = await queue_ready(pilot)
        table = screen.table
        await pilot.press("8")
        await queue_ready(pilot)
        await pilot.pause(0.2)
        expected = _expected(long_queue, screen)
        rows = [table._rows.get(i) for i in expected[:table._page_height()]]
        assert all(rows)
        drawn = []
        original = table.render_line
        table.render_line = lambda y: (drawn.append(y), original(y))[1]
        table.apply_page(table.gen, 600, expected[600:800], [], False)  # read ahead, far below
        for _ in range(3):
            await pilot.pause(0.05)
        assert drawn == [] and table.id_at(650) == expected[650]
        table.apply_page(table.gen, 0, expected[:200], rows, False)  # the screen's own rows
        await wait_until(pilot, lambda: len(drawn) >= table._page_height(), what="the table drawn again")
