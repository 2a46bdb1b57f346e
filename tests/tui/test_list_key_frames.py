"""What a list key sends, frame by frame. A cursor move shows everything it changes in one frame: the rows, the status line's position
("2 of 13") and the keys greyed for the new row's status. The screen used to answer the table's
CursorMoved message after the table's own repaint had gone out in a frame alone, so the position
and the keys came in Textual's next frame, 17-33 ms later (seen on a pty, 2026-12-07: 786 bytes
at 4 ms, then 1,052 at 32 ms)."""

from __future__ import annotations

from tui_helpers import frame_covers, frame_spans, queue_ready, record_frames, screen_lines, steady_cursors, wait_until


def _keys_shown(screen) -> tuple:
    bar = screen.query_one("#keys")
    return bar._signature(*bar._items())


async def test_each_cursor_move_sends_its_position_and_any_change_of_keys_in_its_one_frame(make_app):
    """Down through the whole queue: every move's first frame has the new cursor row and the
    position; the key bar goes out in that frame when the new row's status greys other keys, and
    is not sent at all when the keys stay the same."""
    app = make_app()
    async with app.run_test(size=app.test_size) as pilot:
        screen = await queue_ready(pilot)
        steady_cursors(app)
        table = screen.table
        await pilot.press("8")  # all incidents: resolved and closed rows grey other keys than open ones
        await wait_until(pilot, lambda: screen.view == "all" and table.gen == screen._gen and table.total,
                         what="all incidents")
        await queue_ready(pilot)
        keys = screen.query_one("#keys")
        changed = same = 0
        recorded = record_frames(app)
        for target in range(1, table.known_rows):
            await pilot.pause(0.05)
            before = _keys_shown(screen)
            n = len(recorded)
            await pilot.press("down")
            await wait_until(pilot, lambda: any(f is not None for f in recorded[n:]), what="a frame")
            await pilot.pause(0.05)
            frames = recorded[n:]
            first = frame_spans(next(f for f in frames if f is not None))
            assert table.cursor == target
            assert frame_covers(first, table.region, line=target + 1)  # the new cursor row ...
            assert frame_covers(first, screen.status.region)  # ... and its position, in one frame
            assert f"{target + 1} of" in str(screen.status.render_line(0).text)
            spans = [frame_spans(f) for f in frames if f is not None]
            if _keys_shown(screen) != before:
                changed += 1
                assert frame_covers(first, keys.region)  # the keys greyed for the new row, with it
            else:
                same += 1
                assert not any(frame_covers(frame, keys.region) for frame in spans)  # nothing to send
        assert changed and same  # (the seeded queue has both kinds of move)


async def test_a_view_change_sends_its_rows_once(make_app):
    """The count that follows a view's first page changes the scrollbar and the status line, not
    the rows: the whole table used to be repainted for it, the same rows sent a second time a
    frame later (~8 KB at 120×40)."""
    app = make_app()
    async with app.run_test(size=app.test_size) as pilot:
        screen = await queue_ready(pilot)
        steady_cursors(app)
        table = screen.table
        frames = record_frames(app)
        gen = screen._gen
        await pilot.press("7")  # all incidents
        await queue_ready(pilot)
        assert screen._gen > gen and table.total is not None
        await pilot.pause(0.1)
        spans = [frame_spans(f) for f in frames if f is not None]
        rows = table.region
        bar = table.scrollbar_size_vertical
        def on_rows(frame):
            return any(rows.y < y < rows.bottom and start < rows.right - bar and end > rows.x for y, start, end in frame)
        assert on_rows(spans[0])  # the new view's rows, in its first frame ...
        assert not any(on_rows(frame) for frame in spans[1:])  # ... and never again


async def test_back_from_the_detail_the_queue_comes_in_one_frame(make_app):
    """Escape shows the queue again in one frame: the key bar's line was sent a second time, a
    frame of its own ~20 ms later, for the keys-changed signal that follows the screen's return
    (the keys it had drawn were the same)."""
    from desk.screens.detail import DetailScreen

    app = make_app()
    async with app.run_test(size=app.test_size) as pilot:
        screen = await queue_ready(pilot)
        steady_cursors(app)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.detail is not None,
                         what="the detail")
        await pilot.pause(0.2)
        frames = record_frames(app)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, what="the queue")
        await pilot.pause(0.2)
        keys = screen.query_one("#keys").region
        drawn = [frame_spans(f) for f in frames if f is not None]
        assert drawn and frame_covers(drawn[0], keys)
        assert not any(frame_covers(spans, keys) for spans in drawn[1:])


async def test_a_view_longer_than_its_first_page_sends_its_rows_once(make_app, desk, clock):
    """A list longer than its first page (120 rows) takes its count and then its whole order in
    later frames: they change the scrollbar and the status line, not the rows. The count repainted
    the whole table (~8 KB at 120×40 for each view, sort or filter key on a big desk)."""
    from datetime import timedelta

    from desk.models import Incident

    rows = [{"title": f"printer {n}", "impact": 2, "urgency": 2, "priority": 1 + n % 4, "status": "assigned",
             "tier": 1, "opened_at": clock.now - timedelta(minutes=n), "updated_at": clock.now,
             "category": "hardware", "version": 1} for n in range(300)]
    with desk.db.atomic():
        Incident.insert_many(rows).execute()
    app = make_app()
    async with app.run_test(size=app.test_size) as pilot:
        screen = await queue_ready(pilot)
        steady_cursors(app)
        table = screen.table
        frames = record_frames(app)
        await pilot.press("8")  # all incidents: more than a first page
        await queue_ready(pilot)
        await pilot.pause(0.1)
        assert table.total > 300
        spans = [frame_spans(f) for f in frames if f is not None]
        region = table.region
        bar = table.scrollbar_size_vertical
        def on_rows(frame):
            return any(region.y < y < region.bottom and start < region.right - bar and end > region.x
                       for y, start, end in frame)
        drawn = [n for n, frame in enumerate(spans) if on_rows(frame)]
        assert drawn == [0], f"frames that wrote the rows: {drawn} of {len(spans)}"


async def test_a_frame_of_the_status_line_alone_draws_no_table_line(make_app):
    """Textual asks every widget whose clip overlaps a change for all its lines; a status line's
    new text (a big list's whole order coming in after its count) had the table draw its lines
    again, 37 at 120×40, ~1.5 ms of the UI thread, for a frame that sends none of them. A table
    refreshed draws them again."""
    app = make_app()
    async with app.run_test(size=app.test_size) as pilot:
        screen = await queue_ready(pilot)
        table = screen.table
        await pilot.pause(0.1)
        drawn = []
        original = table.render_line
        table.render_line = lambda y: (drawn.append(y), original(y))[1]
        before = screen_lines(app)
        frames = record_frames(app)
        screen.status.show("status alone", "1 of 14")
        await wait_until(pilot, lambda: any(f is not None for f in frames), what="the status line's frame")
        await pilot.pause(0.05)
        assert drawn == []
        after = screen_lines(app)
        status_y = screen.status.region.y
        assert [line for y, line in enumerate(after) if y != status_y] == \
               [line for y, line in enumerate(before) if y != status_y]
        table.refresh()
        await wait_until(pilot, lambda: len(drawn) >= table.size.height, what="the table drawn again")
