"""Marks after a bulk action, on every list of the general machinery (desk/screens/list_screen.py):
the marked rows the action changed are unmarked (they may have left the view: a mark left on them
would make the next key act on rows the agent no longer sees); the rows it refused (changed
meanwhile, not allowed) stay marked so the agent sees them and can try again, and the result says
so. A key outside the bulk set, on the cursor row, leaves the marks as they were."""

from __future__ import annotations

import pytest
from tui_helpers import queue_ready, screen_text, wait_until

from desk.screens.dialogs.assign import AssignDialog
from desk.screens.dialogs.result import ResultDialog
from desk.services import incidents, requests

try:
    from .test_request_bulk import _all_view, _mark, _resolved
    from .test_request_keys import form, keys_app, open_form  # noqa: F401 (keys_app: a fixture)
except ImportError:
    from test_request_bulk import _all_view, _mark, _resolved
    from test_request_keys import form, keys_app, open_form  # noqa: F401

STAY = "The refused ones stay marked"


async def test_a_bulk_assign_unmarks_the_incidents_it_changed_and_keeps_the_refused_one_marked(make_app):
    app = make_app(user="admin")
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        for key in ("down", "space", "down", "down", "space", "space"):  # three new ones of the service desk
            await pilot.press(key)
            await queue_ready(pilot)
        marked = sorted(queue.table.marked)
        assert len(marked) == 3 and {incidents.get(app.desk, i).status for i in marked} == {"new"}
        stale = marked[1]
        incidents.note(app.desk, "li", stale, text="the caller rang again")  # after the agent marked it
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, AssignDialog), what="the assign dialog")
        dialog = app.screen
        await wait_until(pilot, lambda: not dialog.query_one("#ok").disabled, what="the choices")
        await pilot.press("enter")  # "me"
        await wait_until(pilot, lambda: isinstance(app.screen, ResultDialog), what="the result")
        assert STAY in screen_text(app)
        refused = {i for i in marked if incidents.get(app.desk, i).assignee != "admin"}
        assert refused == {stale}
        await pilot.press("escape")
        await wait_until(pilot, lambda: set(queue.table.marked) == refused, what="the done ones unmarked")
        assert f"{len(refused)} marked" in screen_text(app)


async def test_a_bulk_action_all_done_leaves_nothing_marked(make_app):
    app = make_app(user="admin")
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        await pilot.press("down", "space", "up")  # one incident of the service desk, the cursor back on it
        await queue_ready(pilot)
        assert len(queue.table.marked) == 1 and queue.table.cursor_id in queue.table.marked
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, AssignDialog), what="the assign dialog")
        dialog = app.screen
        await wait_until(pilot, lambda: not dialog.query_one("#ok").disabled, what="the choices")
        await pilot.press("enter", "ctrl+s")  # "me"
        await wait_until(pilot, lambda: app.screen is queue, what="back on the queue")
        await wait_until(pilot, lambda: not queue.table.marked, what="the mark gone")
        assert "marked" not in screen_text(app)


async def test_a_key_outside_the_bulk_set_leaves_the_marks(make_app):
    app = make_app(user="admin")
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        await pilot.press("down", "space", "up")
        await queue_ready(pilot)
        target = queue.table.cursor_id
        assert set(queue.table.marked) == {target}
        queue.start("note", [(target, queue.table.version_of(target))])
        await wait_until(pilot, lambda: app.screen is not queue, what="the note form")
        await pilot.press(*"called back")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is queue, what="back on the queue")
        await wait_until(pilot, lambda: incidents.get(app.desk, target).history[-1].action == "note", what="the note")
        await queue_ready(pilot)
        assert set(queue.table.marked) == {target}


async def test_a_bulk_close_on_requests_unmarks_the_closed_and_keeps_the_stale_one(keys_app, desk, clock):
    first, stale, third = (_resolved(desk, clock, title) for title in ("Toner, floor 3", "VPN token", "Desk lamp"))
    app = keys_app(user="li")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await _all_view(pilot)
        await _mark(pilot, screen, [first, stale, third])
        requests.note(desk, "zhao", stale, text="the requester called again")  # after the agent saw it
        await open_form(pilot, "c")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ResultDialog), what="the result")
        assert STAY in screen_text(app)
        await pilot.press("escape")
        await wait_until(pilot, lambda: set(screen.table.marked) == {stale}, what="the closed ones unmarked")
        assert "1 marked" in screen_text(app)


@pytest.mark.parametrize("how_many", [1, 2])  # (one marked request takes the form's single path)
async def test_a_bulk_accept_of_requests_all_done_leaves_nothing_marked(keys_app, desk, clock, how_many):
    pending = [desk.made["pending"], requests.create(desk, "li", title="Keyboard", checked=["all"]).id][:how_many]
    app = keys_app(user="li")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await _all_view(pilot)
        await _mark(pilot, screen, pending)
        await open_form(pilot, "a")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: form(app) is None, what="the form to close")
        await wait_until(pilot, lambda: not screen.table.marked, what="the marks gone")
        assert "marked" not in screen_text(app)


async def test_a_bulk_key_on_the_cursor_row_alone_refused_as_stale_says_nothing_of_marks(make_app):
    app = make_app(user="admin")
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        await pilot.press("down")  # a new incident of the service desk, nothing marked
        await queue_ready(pilot)
        target = queue.table.cursor_id
        incidents.note(app.desk, "li", target, text="the caller rang again")  # after the agent saw it
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, AssignDialog), what="the assign dialog")
        dialog = app.screen
        await wait_until(pilot, lambda: not dialog.query_one("#ok").disabled, what="the choices")
        await pilot.press("enter", "ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ResultDialog), what="the result")
        assert "changed meanwhile" in screen_text(app) and STAY not in screen_text(app)
