"""The header counts the user's unread notifications from start-up (issue 15): the count is read
at once in the poll's thread, not first at the poll's first look (45 s) or when F9's list opens."""

from __future__ import annotations

from tui_helpers import queue_ready, screen_lines, unread_counted

from desk import sla_poll
from desk.i18n import t
from desk.services import sla_tick


def _no_look(monkeypatch):
    """No look of the poll during the test: only the start-up read can set the count."""
    monkeypatch.setattr(sla_poll, "FIRST", 3600.0)
    monkeypatch.setattr(sla_poll, "EVERY", 3600.0)


async def test_the_header_counts_unread_from_start(make_app, desk, monkeypatch):
    _no_look(monkeypatch)
    app = make_app(user="lead")  # the seeded priority-1 incidents told the lead
    count = sla_tick.unread_count(desk, "lead")
    assert count > 0
    async with app.run_test(size=(120, 40)) as pilot:
        await queue_ready(pilot)
        await unread_counted(pilot)
        await pilot.pause()
        assert t("sla.notes.header", "en", key="F9", count=count) in screen_lines(app)[0]
        assert app.sla_poll.shown == 0  # no look has run: no toast yet


async def test_no_count_for_a_user_with_nothing_unread(make_app, desk, monkeypatch):
    _no_look(monkeypatch)
    app = make_app(user="li")
    assert sla_tick.unread_count(desk, "li") == 0
    async with app.run_test(size=(120, 40)) as pilot:
        await queue_ready(pilot)
        await unread_counted(pilot)
        await pilot.pause()
        assert sla_poll.unread(app) == 0
        assert "unread" not in screen_lines(app)[0]


async def test_a_newer_count_is_not_replaced_by_the_start_read(make_app, monkeypatch):
    """The notification list reads in a thread of its own: if it set the count first, the
    start-up read (older) leaves it."""
    _no_look(monkeypatch)
    app = make_app(user="lead")
    async with app.run_test(size=(120, 40)) as pilot:
        await queue_ready(pilot)
        await unread_counted(pilot)
        sla_poll.set_unread(app, 7)
        app.sla_poll._set_count(2)
        assert sla_poll.unread(app) == 7


async def test_a_failed_start_read_shows_nothing_and_the_app_goes_on(make_app, monkeypatch):
    _no_look(monkeypatch)

    def broken(*args, **kwargs):
        raise RuntimeError("database away")

    monkeypatch.setattr(sla_tick, "unread_count", broken)
    app = make_app(user="lead")
    async with app.run_test(size=(120, 40)) as pilot:
        await queue_ready(pilot)
        await unread_counted(pilot)
        await pilot.pause()
        assert sla_poll.unread(app) is None
        assert "unread" not in screen_lines(app)[0]
        assert app.is_running
