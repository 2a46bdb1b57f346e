"""Issue 12: opening the incident detail never holds the app's paint across turns of the event
loop (it held `batch_update()` for up to 0.1 s while the incident was read). The content goes in
within the turn that receives the read; a slow read shows "loading…"; the keys typed meanwhile
wait for the content and then act on it."""

from __future__ import annotations

from contextlib import contextmanager

from tui_helpers import queue_ready, screen_text, wait_until

from desk.screens.detail import DetailScreen
from desk.services import incidents
from desk.widgets.reader import detail_reads


async def test_the_detail_opens_without_holding_the_paint_and_shows_the_read_in_its_turn(make_app, monkeypatch):
    app = make_app(user="admin")
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        target = queue.table.cursor_id
        title = incidents.get(app.desk, target).title
        batches = []  # the batches open now
        held_across = []  # for each batch begun: whether a batch was still open a turn later
        real_batch = app.batch_update

        @contextmanager
        def counted():
            batches.append(1)
            app.call_later(lambda: held_across.append(bool(batches)))  # (runs in a later turn)
            try:
                with real_batch():
                    yield
            finally:
                batches.pop()

        monkeypatch.setattr(app, "batch_update", counted)
        reads = detail_reads(app)
        monkeypatch.setattr(reads, "take", lambda incident_id, version: None)  # nothing read ahead
        asked = []  # the reads asked for, kept from the reader until the test lets them go
        read = reads.read
        monkeypatch.setattr(reads, "read", lambda incident_id, done: asked.append((incident_id, done)) or True)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, DetailScreen) and target in [a[0] for a in asked],
                         what="the detail open and its read asked for")
        await pilot.pause()
        assert not batches and not any(held_across)  # nothing holds the paint while the incident is read
        await wait_until(pilot, lambda: "loading…" in screen_text(app), what="a slow read to say loading…")
        assert f"#{target}" in screen_text(app) and title[:30] not in screen_text(app)
        await pilot.press("escape")  # typed meanwhile: waits for the content, then goes back
        await pilot.pause()
        detail = app.screen
        assert isinstance(detail, DetailScreen)
        for incident_id, done in asked:  # (the reads ahead of the queue's cursor too)
            read(incident_id, done)
        await wait_until(pilot, lambda: app.screen is queue, what="the key typed meanwhile to act after the content")
        assert detail.detail is not None and detail.detail.id == target  # (shown, then left)
        assert not batches and not any(held_across)
