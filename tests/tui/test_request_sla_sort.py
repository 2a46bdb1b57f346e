"""The request queue's `s` cycles through the SLA order too (issue 15), as the incident queue's does:
priority, SLA (nearest due first, held clocks last), age, last update. The SLA column carries the
sort marker and the status line names the order."""

from __future__ import annotations

import time

from tui_helpers import screen_lines, wait_until

from desk.services import requests


async def _ready(pilot, timeout: float = 8.0):
    from desk.screens.requests import RequestsScreen

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await pilot.pause(0.02)
        screen = pilot.app.screen
        if not isinstance(screen, RequestsScreen) or not screen.is_mounted:
            continue
        table = screen.table
        if table.busy or table.gen != screen._gen or table.total is None:
            continue
        if all(table.row_at(i) is not None for i in range(table.total)):
            await pilot.pause()
            return screen
    raise AssertionError("the request queue did not finish loading")


def _ids(screen) -> list[int]:
    return [screen.table.row_at(i).id for i in range(screen.table.total)]


async def test_s_sorts_the_request_queue_by_sla_nearest_due_first_held_last(make_app, desk, clock):
    def made(title, priority, minutes_later):
        clock.advance(minutes=minutes_later)
        return requests.create(desk, "li", title=title, requester="Zhang Wei", checked=["all"], priority=priority).id

    held = made("Waiting for the requester", 1, 0)
    requests.accept(desk, "li", held)
    requests.dispatch(desk, "li", held, to="chen")
    requests.wait(desk, "chen", held, reason="on leave")  # its clock held: no due time
    slow = made("Low priority, raised first", 4, 5)
    soon = made("Urgent, raised last", 1, 30)
    middle = made("Normal", 3, 5)
    app = make_app(seed=False)
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3")
        screen = await _ready(pilot)
        await pilot.press(str(screen.SPEC.views.index("all") + 1))
        screen = await _ready(pilot)
        assert screen.sort == "priority"
        await pilot.press("s")
        await wait_until(pilot, lambda: screen.sort == "sla", what="the SLA order")
        screen = await _ready(pilot)
        assert _ids(screen) == [soon, middle, slow, held]  # by due time; the held clock last
        header = screen_lines(app)[1]
        assert "SLA▼" in header and header.count("▼") == 1
        assert "by SLA" in screen_text_status(app)
        await pilot.press("s")
        await wait_until(pilot, lambda: screen.sort == "age", what="the next order")


def screen_text_status(app) -> str:
    return "\n".join(screen_lines(app)[-3:])
