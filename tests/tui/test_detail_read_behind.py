"""The read behind an open (the incident read again once the detail read ahead is on screen)
draws the detail again only if what the screen shows changed. Its SLA clock's seconds always
differed from the read ahead's, a moment earlier, so every open drew and sent the whole detail
twice (a second frame of ~13 KB at 120×40, 40 ms after the first, seen on a pty 2026-12-07)."""

from __future__ import annotations

import pytest
from tui_helpers import queue_ready, wait_until

from desk.screens.detail import DetailScreen
from desk.widgets.reader import detail_reads


@pytest.mark.parametrize("later, drawn_again", [({"seconds": 20}, False), ({"minutes": 3}, True)])
async def test_the_read_behind_an_open_draws_again_only_what_the_screen_would_show_differently(
        make_app, clock, later, drawn_again):
    app = make_app(user="admin")
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        table = queue.table
        target = table.cursor_id
        version = table.version_of(target)
        await wait_until(pilot, lambda: detail_reads(app).take(target, version) is not None,
                         what="the cursor row's detail to be read ahead")
        ahead = detail_reads(app).take(target, version)[1]
        assert ahead.sla is not None and ahead.sla.state != "met"  # (a running clock: its seconds move)
        clock.advance(**later)  # (the read behind comes later than the read ahead)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.detail is not None,
                         what="the detail")
        await wait_until(pilot, lambda: detail_reads(app).take(target, version)[1] is not ahead,
                         what="the read behind the open")
        await pilot.pause(0.05)
        behind = detail_reads(app).take(target, version)[1]
        assert behind.sla.spent > ahead.sla.spent
        # the screen draws what it reads: it keeps the read ahead when the read behind shows the same
        assert (app.screen.detail is behind) is drawn_again
        assert (app.screen.detail is ahead) is not drawn_again
