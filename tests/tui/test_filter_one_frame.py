"""Issue 12: a filter read ahead while it was typed shows its rows in the very frame that answers
enter. The bar used to repaint on its own first (its line dims to 'filter active'), so that frame
went out with the old rows, and the rows waited for Textual's next frame, 17-33 ms later: the
quiet bench measured 40 ms for a filter key whose rows were already read (figure 2, 2026-12-07)."""

from __future__ import annotations

from tui_helpers import first_frame, frame_covers, press, queue_ready, record_frames, steady_cursors, wait_until


async def test_a_filter_read_ahead_shows_its_rows_in_the_frame_that_answers_enter(make_app):
    app = make_app()
    async with app.run_test(size=app.test_size) as pilot:
        screen = await queue_ready(pilot)
        await press(pilot, "slash", settle=False)
        steady_cursors(app)  # (a blinking cursor would paint frames of its own)
        for ch in "printer":
            await pilot.press(ch)
        await wait_until(pilot, lambda: screen.source._peeked is not None
                         and screen.source._peeked[0][0].text == "printer", what="the filter read ahead")
        await pilot.pause(0.1)
        message = screen.bar.query_one("#filter-message")
        repainted = []  # for each change of the bar's line after enter: were the filtered rows in?
        update = message.update
        message.update = lambda *a, **k: (repainted.append(screen.table.gen), update(*a, **k))[1]
        frames = record_frames(app)
        await pilot.press("enter")
        first = await first_frame(pilot, frames)
        assert frame_covers(first, screen.table.region, line=1)  # the first row (under the header) is in it ...
        assert frame_covers(first, screen.bar.region, line=1)  # ... with the bar's dimmed line
        assert "Printer on floor 2 jams" in str(screen.table.render_line(1).text)
        # (which of two repaints reaches a frame first is a race; this is not: the bar changes in
        # the turn the rows go in, never before, so both are asked for together)
        assert repainted and set(repainted) == {screen._gen}
