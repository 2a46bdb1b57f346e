"""What a list key sends, frame by frame. A cursor move shows everything it changes in one frame: the rows, the status line's position
("2 of 13") and the keys greyed for the new row's status. The screen used to answer the table's
CursorMoved message after the table's own repaint had gone out in a frame alone, so the position
and the keys came in Textual's next frame, 17-33 ms later (seen on a pty, 2026-12-07: 786 bytes
at 4 ms, then 1,052 at 32 ms)."""

from __future__ import annotations

from tui_helpers import first_frame, frame_covers, frame_spans, queue_ready, record_frames, steady_cursors


def _status_of(screen, index: int) -> str:
    return screen.table.row_at(index).status


async def test_the_position_and_the_greyed_keys_go_out_in_the_frame_that_moves_the_cursor(make_app):
    app = make_app()
    async with app.run_test(size=app.test_size) as pilot:
        screen = await queue_ready(pilot)
        steady_cursors(app)
        table = screen.table
        # the first move down to a row of another status than the one the cursor is on
        target = next(i for i in range(1, table.known_rows) if _status_of(screen, i) != _status_of(screen, i - 1))
        for _ in range(target - 1):
            await pilot.press("down")
        await pilot.pause(0.1)
        position = screen.status.render_line(0).text
        frames = record_frames(app)
        await pilot.press("down")
        first = await first_frame(pilot, frames)
        assert table.cursor == target
        assert frame_covers(first, table.region, line=target + 1)  # the new cursor row ...
        assert frame_covers(first, screen.status.region)  # ... its position ...
        assert frame_covers(first, screen.query_one("#keys").region)  # ... and the keys of its status
        assert f"{target + 1} of" in str(screen.status.render_line(0).text) != str(position)


async def test_a_move_within_rows_of_one_status_leaves_the_keys_alone(make_app):
    app = make_app()
    async with app.run_test(size=app.test_size) as pilot:
        screen = await queue_ready(pilot)
        steady_cursors(app)
        table = screen.table
        target = next(i for i in range(1, table.known_rows) if _status_of(screen, i) == _status_of(screen, i - 1))
        for _ in range(target - 1):
            await pilot.press("down")
        await pilot.pause(0.1)
        frames = record_frames(app)
        await pilot.press("down")
        first = await first_frame(pilot, frames)
        assert frame_covers(first, screen.status.region)
        assert not frame_covers(first, screen.query_one("#keys").region)


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
