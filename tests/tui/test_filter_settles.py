"""Issue 12: applying a filter never holds the app's paint across turns of the event loop (it held
`batch_update()` until the first page came). The bar and the focus now change in the turn that
puts the filtered rows in (or after FEEDBACK_DELAY), and the keys typed after enter wait for that,
then reach the list, not the bar."""

from __future__ import annotations

from contextlib import contextmanager

from test_key_burst import burst
from tui_helpers import queue_ready, wait_until

from desk.screens import list_views


async def test_a_filter_applied_holds_no_paint_and_the_keys_after_enter_reach_the_list(make_app, monkeypatch):
    monkeypatch.setattr(list_views, "FEEDBACK_DELAY", 30.0)  # the first page decides here, not the clock
    app = make_app()
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        batches = []
        real_batch = app.batch_update

        @contextmanager
        def counted():
            batches.append(1)
            try:
                with real_batch():
                    yield
            finally:
                batches.pop()

        monkeypatch.setattr(app, "batch_update", counted)
        asked = []  # the filter's read, kept from the reader until the test lets it go
        read = queue.source.load
        monkeypatch.setattr(queue.source, "load", asked.append)
        await pilot.press("slash", *"p:1")
        burst(app, "enter", "down", "down")
        await wait_until(pilot, lambda: bool(asked), what="the filter's read asked for")
        await pilot.pause()
        assert not batches  # nothing holds the paint while the rows are awaited
        assert queue.table.cursor == 0  # the keys after enter wait for the list ...
        assert app.focused is queue.bar.input
        read(asked[-1])
        await wait_until(pilot, lambda: queue.table.cursor == 2, what="the keys after enter reach the list")
        assert app.focused is queue.table and queue.bar.input.value == "p:1" and queue.filter_text == "p:1"
        assert not batches
