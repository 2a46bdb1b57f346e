"""Issue 12: a filter read ahead while it was typed shows its rows in the very frame that answers
enter. The bar used to repaint on its own first (its line dims to 'filter active'), so that frame
went out with the old rows, and the rows waited for Textual's next frame, 17-33 ms later: the
quiet bench measured 40 ms for a filter key whose rows were already read (figure 2, 2026-12-07)."""

from __future__ import annotations

from textual._compositor import ChopsUpdate, LayoutUpdate
from tui_helpers import press, queue_ready, steady_cursors, wait_until


def _lines(update) -> set[int]:
    """The screen lines a frame writes. (Textual's compositor updates: the frame's span list, or a
    whole region; a change in either breaks this test by name rather than passing it.)"""
    if isinstance(update, ChopsUpdate):
        return {y for y, _start, _end in update.spans}
    if isinstance(update, LayoutUpdate):
        return set(range(update.region.y, update.region.bottom))
    raise AssertionError(f"a frame of an unknown kind: {type(update).__name__}")


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
        frames = []
        original = app._display
        app._display = lambda target, update: (frames.append(update), original(target, update))[1]
        await pilot.press("enter")
        await wait_until(pilot, lambda: any(f is not None for f in frames), what="a frame after enter")
        first = _lines(next(f for f in frames if f is not None))
        table = screen.table.region
        assert table.y + 1 in first  # the first row (under the header) is in it ...
        assert screen.bar.region.y + 1 in first  # ... with the bar's dimmed line
        assert "Printer on floor 2 jams" in str(screen.table.render_line(1).text)
