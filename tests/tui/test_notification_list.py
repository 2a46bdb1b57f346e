"""The notification list (issue 15): F9 from any screen, the unread count in the header, enter opens
what a notification is about, `r` marks one read, `A` marks all read, escape goes back; a poll that
brings a new one updates the header and the open list."""

from __future__ import annotations

from tui_helpers import queue_ready, screen_lines, screen_text, unread_counted, wait_until

from desk import sla_poll
from desk.models import Agent, Notification
from desk.services import incidents, requests


def _unread(login: str) -> int:
    agent = Agent.get(Agent.login == login)
    return Notification.select().where((Notification.agent == agent) & Notification.read_at.is_null()).count()


async def _open_list(pilot):
    from desk.screens.notifications import NotificationsScreen

    await pilot.press("f9")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, NotificationsScreen) and pilot.app.screen.reads,
                     what="the notification list")
    await pilot.pause()
    return pilot.app.screen


async def test_f9_lists_the_users_notifications_newest_first_with_the_unread_count_in_the_header(make_app, desk):
    app = make_app(user="lead")
    raised = incidents.create(desk, "li", title="Core <b>switch</b> [red]down[/red]", impact=1, urgency=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await queue_ready(pilot)
        await unread_counted(pilot)  # read at start-up: the header counts them from the first frames
        assert f"F9: {_unread('lead')} unread" in screen_lines(app)[0]
        screen = await _open_list(pilot)
        count = _unread("lead")
        assert count >= 2 and screen.unread == count
        lines = screen_lines(app)
        assert f"F9: {count} unread" in lines[0]
        assert f"Notifications: {count} unread" in screen_text(app)
        # newest first, the title shown literally (no markup parsed)
        assert screen.rows[0].entity_id == raised.id
        assert f"priority 1: incident {raised.id} raised: Core <b>switch</b> [red]down[/red]" in screen_text(app)
        # the count stays in the header of the other screens
        await pilot.press("escape")
        await pilot.press("f3")
        await wait_until(pilot, lambda: f"F9: {count} unread" in screen_lines(app)[0], what="the header's count")


async def test_f9_opens_the_list_from_another_screen_and_escape_goes_back_there(make_app):
    from desk.screens.requests import RequestsScreen

    app = make_app(user="lead")
    async with app.run_test(size=(120, 40)) as pilot:
        await queue_ready(pilot)
        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(app.screen, RequestsScreen), what="the requests screen")
        await _open_list(pilot)
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, RequestsScreen), what="back on the requests screen")


async def test_r_marks_the_one_under_the_cursor_read_and_the_header_counts_one_less(make_app):
    app = make_app(user="lead")
    async with app.run_test(size=(120, 40)) as pilot:
        await queue_ready(pilot)
        screen = await _open_list(pilot)
        before = screen.unread
        first = screen.rows[0]
        assert not first.read
        reads = screen.reads
        await pilot.press("r")
        await wait_until(pilot, lambda: screen.reads > reads, what="the list read again")
        assert _unread("lead") == before - 1
        assert screen.rows[0].id == first.id and screen.rows[0].read
        await wait_until(pilot, lambda: f"F9: {before - 1} unread" in screen_lines(app)[0], what="the header's count")
        reads = screen.reads
        await pilot.press("r")  # already read: nothing changes, nothing is written
        await pilot.pause()
        assert screen.reads == reads and _unread("lead") == before - 1


async def test_capital_a_marks_every_notification_read_and_the_header_count_goes(make_app):
    app = make_app(user="lead")
    async with app.run_test(size=(120, 40)) as pilot:
        await queue_ready(pilot)
        screen = await _open_list(pilot)
        assert screen.unread and "unread" in screen_lines(app)[0]
        reads = screen.reads
        await pilot.press("A")
        await wait_until(pilot, lambda: screen.reads > reads, what="the list read again")
        assert _unread("lead") == 0 and all(n.read for n in screen.rows)
        await wait_until(pilot, lambda: "unread" not in screen_lines(app)[0], what="the header's count gone")
        assert "Notifications: 0 unread" in screen_text(app)


async def test_marking_read_touches_only_the_users_own_notifications(make_app, desk):
    app = make_app(user="lead")
    incidents.create(desk, "li", title="Core switch down", impact=1, urgency=1)  # tells admin and lead
    async with app.run_test(size=(120, 40)) as pilot:
        await queue_ready(pilot)
        admin_before = _unread("admin")
        assert admin_before
        screen = await _open_list(pilot)
        reads = screen.reads
        await pilot.press("A")
        await wait_until(pilot, lambda: screen.reads > reads, what="the list read again")
        assert _unread("admin") == admin_before


async def test_enter_opens_the_incident_and_marks_the_notification_read(make_app, desk):
    from desk.screens.detail import DetailScreen

    app = make_app(user="lead")
    raised = incidents.create(desk, "li", title="Core switch down", impact=1, urgency=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await queue_ready(pilot)
        screen = await _open_list(pilot)
        before = screen.unread
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.detail is not None,
                         what="the incident's detail")
        assert app.screen.incident_id == raised.id
        await wait_until(pilot, lambda: _unread("lead") == before - 1, what="the notification marked read")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, what="back on the list")


async def test_enter_on_a_request_notification_opens_the_request(make_app, desk):
    from desk.screens.request_detail import RequestDetailScreen

    app = make_app(user="lead")
    made = requests.create(desk, "li", title="Urgent access", checked=["all"], priority=1)
    async with app.run_test(size=(120, 40)) as pilot:
        await queue_ready(pilot)
        screen = await _open_list(pilot)
        assert screen.rows[0].entity == "request" and screen.rows[0].entity_id == made.id
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, RequestDetailScreen) and app.screen.loaded,
                         what="the request's detail")
        assert app.screen.request_id == made.id


async def test_a_poll_that_brings_a_new_one_updates_the_header_and_the_open_list(make_app, desk, monkeypatch):
    monkeypatch.setattr(sla_poll, "FIRST", 0.1)
    monkeypatch.setattr(sla_poll, "EVERY", 0.3)
    app = make_app(user="lead")
    async with app.run_test(size=(120, 40)) as pilot:
        await queue_ready(pilot)
        poll = app.sla_poll
        await wait_until(pilot, lambda: poll.shown >= 1, what="the first look")
        count = _unread("lead")
        await wait_until(pilot, lambda: f"F9: {count} unread" in screen_lines(app)[0], what="the header's count")
        screen = await _open_list(pilot)
        made = incidents.create(desk, "li", title="Another outage", impact=1, urgency=1)
        await wait_until(pilot, lambda: screen.rows and screen.rows[0].entity_id == made.id, what="the list read again")
        await wait_until(pilot, lambda: f"F9: {count + 1} unread" in screen_lines(app)[0], what="the header's count")


async def test_a_keymap_moves_the_lists_keys_by_their_ids(make_app):
    app = make_app(user="lead", keymap={"notifications.read": "m"})
    async with app.run_test(size=(120, 40)) as pilot:
        await queue_ready(pilot)
        assert not app._notifications  # the id is known: no "unknown keymap id" notice
        screen = await _open_list(pilot)
        before, reads = screen.unread, screen.reads
        await pilot.press("m")
        await wait_until(pilot, lambda: screen.reads > reads, what="the list read again")
        assert _unread("lead") == before - 1


async def test_enter_on_a_substitution_opens_the_request_queue_where_the_inbox_is(make_app, desk, clock):
    from desk.screens.requests import RequestsScreen
    from desk.services import agents, request_approval

    agents.save_agent(desk, "admin", agent_login="boss", name="Boss", roles=["approver"], group=None)
    request_approval.delegate(desk, "boss", substitute="appr", starts=clock.now.date(), ends=clock.now.date())
    app = make_app(user="appr")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await _open_list(pilot)
        assert screen.rows[0].kind == "request.substitute"
        assert "boss is away from" in screen_text(app)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, RequestsScreen), what="the request queue")
        # (marked read in the list's thread: the queue may open before that write is in)
        await wait_until(pilot, lambda: _unread("appr") == 0, what="the notification marked read")


async def test_at_80_columns_the_title_keeps_the_zone_of_the_times_on_a_line_of_its_own(make_app, desk):
    """'Notifications: 117 unread in all; showing the newest 117  Times in' was cut at 80 columns."""
    app = make_app(user="lead")
    for n in range(12):  # priority 1: each tells the shift lead
        incidents.create(desk, "li", title=f"Core switch {n} down", impact=1, urgency=1)
    async with app.run_test(size=(80, 24)) as pilot:
        await queue_ready(pilot)
        await _open_list(pilot)
        title = " ".join(str(pilot.app.screen.query_one("#notifications-title").render()).split())
        assert "showing the newest" in title  # long enough to need a second line at 80 columns
        shown = " ".join(screen_text(app).split())
        assert "Times in Asia/Shanghai" in shown
