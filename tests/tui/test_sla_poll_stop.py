"""The SLA poll's reading thread may outlive its app: a look (a tick, then the unread count) still
running when the user quits. It must then end quietly: nothing it read reaches the app that has
gone (no toast, no count), and nothing is left behind for the event loop that the app ran on (a
callback sent to a closed loop used to leave a coroutine never awaited: a RuntimeWarning at a TUI
test's teardown). Not timed: the look is held at its tick until the app has gone (events)."""

from __future__ import annotations

import asyncio
import gc
import threading
import warnings

from tui_helpers import queue_ready, unread_counted

from desk import sla_poll
from desk.services import sla_tick

WAIT_S = 30  # only a broken test waits this long


def _held_look(monkeypatch):
    """No timed look; the look a test starts waits at its tick for `release`. (entered, release)"""
    monkeypatch.setattr(sla_poll, "FIRST", 3600.0)
    monkeypatch.setattr(sla_poll, "EVERY", 3600.0)
    entered, release = threading.Event(), threading.Event()
    real = sla_tick.tick

    def held(*args, **kwargs):
        entered.set()
        assert release.wait(WAIT_S), "the test never let the look go on"
        return real(*args, **kwargs)

    monkeypatch.setattr(sla_tick, "tick", held)
    return entered, release


async def _quit_during_a_look(app, entered) -> None:
    async with app.run_test(size=(120, 40)) as pilot:
        await queue_ready(pilot)
        await unread_counted(pilot)
        app.sla_poll.poll()  # a look: the lead has unread notifications, so it would toast them
        assert await asyncio.to_thread(entered.wait, WAIT_S), "the look never started"
    # the app has gone; its look has not ended yet


def _ended(poll) -> None:
    """The poll's reading thread has ended (it would hang for good on a callback never run)."""
    for thread in list(poll.reader._pool._threads):
        thread.join(WAIT_S)
        assert not thread.is_alive(), "the poll's reading thread outlived its app for good"


async def test_a_look_that_ends_after_the_app_quit_shows_nothing(make_app, desk, monkeypatch):
    entered, release = _held_look(monkeypatch)
    app = make_app(user="lead")
    assert sla_tick.unread_count(desk, "lead") > 0
    await _quit_during_a_look(app, entered)
    poll = app.sla_poll
    before = (sla_poll.unread(app), poll.shown, poll.last_id, len(app._notifications))
    release.set()
    await asyncio.to_thread(_ended, poll)  # (the loop goes on meanwhile: a callback sent to it would run)
    await asyncio.sleep(0)
    assert (sla_poll.unread(app), poll.shown, poll.last_id, len(app._notifications)) == before


def test_a_look_that_ends_after_the_event_loop_closed_leaves_no_warning(make_app, desk, monkeypatch):
    entered, release = _held_look(monkeypatch)
    app = make_app(user="lead")
    asyncio.run(_quit_during_a_look(app, entered))  # the loop is closed when this returns
    with warnings.catch_warnings(record=True) as seen:
        warnings.simplefilter("always")
        release.set()
        _ended(app.sla_poll)
        gc.collect()
    assert [str(w.message) for w in seen if issubclass(w.category, RuntimeWarning)] == []


async def test_an_answer_on_its_way_when_the_poll_stops_is_dropped(make_app, desk, monkeypatch):
    entered, release = _held_look(monkeypatch)
    release.set()  # the look runs through
    app = make_app(user="lead")
    async with app.run_test(size=(120, 40)) as pilot:
        await queue_ready(pilot)
        await unread_counted(pilot)
        poll = app.sla_poll
        posted, answer = threading.Event(), poll._answer

        def then_say_so(callback, value):
            answer(callback, value)
            posted.set()

        monkeypatch.setattr(poll, "_answer", then_say_so)
        before = (sla_poll.unread(app), poll.shown, poll.last_id, len(app._notifications))
        poll.poll()
        assert posted.wait(WAIT_S)  # (on the UI thread: the answer waits in the app's queue)
        poll.stop()  # as the app's unmount does
        await pilot.pause()
        assert (sla_poll.unread(app), poll.shown, poll.last_id, len(app._notifications)) == before
