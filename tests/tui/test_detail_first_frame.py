"""Enter on an incident whose detail was read ahead (the queue's cursor rested on it) shows the
whole detail in the first frame the detail screen writes, not "#id" over a blank body with the
content a frame later: on the kept screen, and on the first open, before the screen was built
ahead. Without a read ahead the first frame is "#id" over a blank body (the content follows in the
turn its read arrives: tests/tui/test_detail_opens_unheld.py)."""

from __future__ import annotations

import re

from tui_helpers import queue_ready, wait_until

from desk.screens.detail import DetailScreen
from desk.services import incidents
from desk.widgets.reader import detail_reads

_ESCAPE = re.compile(r"\x1b\[[0-9;:?]*[ -/]*[@-~]")


def _frames(app) -> list:
    """(screen, text) of every frame written from now on: what a terminal would print, as text."""
    written = []
    original = app._display

    def display(screen, update):
        if update is not None and hasattr(update, "render_segments"):
            written.append((screen, _ESCAPE.sub("", update.render_segments(app.console))))
        return original(screen, update)

    app._display = display
    return written


async def _rested(pilot, app, queue) -> int:
    table = queue.table
    await pilot.press("down")
    await wait_until(pilot, lambda: detail_reads(app).take(table.cursor_id, table.version_of(table.cursor_id))
                     is not None, what="the cursor row's detail to be read ahead")
    return table.cursor_id


async def _first_detail_frame(pilot, app, target: int) -> str:
    written = _frames(app)
    await pilot.press("enter")
    await wait_until(pilot, lambda: any(isinstance(s, DetailScreen) for s, _ in written), what="the detail's first frame")
    first = next(text for screen, text in written if isinstance(screen, DetailScreen))
    assert isinstance(app.screen, DetailScreen) and app.screen.detail.id == target
    return first


async def test_the_first_frame_of_the_kept_detail_has_the_incident_read_ahead(make_app):
    app = make_app(user="admin")
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        await wait_until(pilot, lambda: any(isinstance(s, DetailScreen) and s.is_attached
                                            for s in app._installed_screens.values()),
                         what="the detail screen built ahead")
        target = await _rested(pilot, app, queue)
        detail = incidents.get(app.desk, target)
        first = await _first_detail_frame(pilot, app, target)
        assert f"#{target}  {detail.title}"[:60] in first
        assert "Status" in first and detail.caller[:20] in first  # the fields, not a blank body


async def test_the_first_open_before_the_screen_is_built_ahead_still_shows_the_read_ahead_at_once(make_app,
                                                                                                monkeypatch):
    from desk.screens import queue as queue_screen

    monkeypatch.setattr(queue_screen, "DETAIL_AHEAD_DELAY", 60)  # (enter comes before the screen is built)
    app = make_app(user="admin")
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        target = await _rested(pilot, app, queue)
        detail = incidents.get(app.desk, target)
        asked = []
        reads = detail_reads(app)
        original = reads.read
        reads.read = lambda incident_id, done: (asked.append(incident_id), original(incident_id, done))[1]
        first = await _first_detail_frame(pilot, app, target)
        assert f"#{target}  {detail.title}"[:60] in first
        assert "Status" in first and detail.caller[:20] in first
        # read again once, behind the paint (the queue's row may be a poll behind)
        await wait_until(pilot, lambda: asked == [target], what="the read behind the open")
