"""What a list key sends, frame by frame. A cursor move shows everything it changes in one frame: the rows, the status line's position
("2 of 13") and the keys greyed for the new row's status. The screen used to answer the table's
CursorMoved message after the table's own repaint had gone out in a frame alone, so the position
and the keys came in Textual's next frame, 17-33 ms later (seen on a pty, 2026-12-07: 786 bytes
at 4 ms, then 1,052 at 32 ms)."""

from __future__ import annotations

from tui_helpers import frame_covers, frame_spans, queue_ready, record_frames, steady_cursors, wait_until


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
