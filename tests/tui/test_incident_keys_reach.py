"""Where the incident keys that correct a record reach (t changes the service, i the priority):
greyed for a role that may not use them, greyed on a closed row and usable on a resolved or open
one, and a closed incident said to be out of reach in the form. One table for every such key."""

from __future__ import annotations

import pytest
from tui_helpers import press, queue_ready, wait_until

from desk.services import incidents

try:
    from .test_actions_host import HostApp, flat, row, screen_text, settle
except ImportError:
    from test_actions_host import HostApp, flat, row, screen_text, settle

# action, key, its name as the refusal says it, a role without it
KEYS = [("set_service", "t", "Change the service", "vend"), ("set_priority", "i", "Change the priority", "vend")]


@pytest.mark.parametrize("action, key, name, role", KEYS)
async def test_the_key_is_greyed_for_a_role_that_may_not_use_it(make_app, action, key, name, role):
    app = make_app(user=role)
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        assert queue.check_action("act", (action,)) is None
        await pilot.press(key)
        await pilot.pause()
        assert app.screen is queue


@pytest.mark.parametrize("action, key, name, role", KEYS)
async def test_the_key_is_greyed_on_a_closed_row_and_usable_on_a_resolved_one(make_app, action, key, name, role):
    app = make_app(user="admin")
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        await press(pilot, "8")  # every incident: open, resolved and closed rows
        statuses = [queue.table.row_at(i).status for i in range(queue.table.total)]
        for status, expected in (("closed", None), ("resolved", True), ("new", True)):
            queue.table._move_to(statuses.index(status))
            await wait_until(pilot, lambda s=status: queue.table.cursor_row.status == s, what=f"a {status} row")
            assert queue.check_action("act", (action,)) is expected, status


@pytest.mark.parametrize("action, key, name, role", KEYS)
def test_a_closed_incident_is_said_to_be_out_of_reach(data, desk, action, key, name, role):
    from test_actions_host import drive

    closed = incidents.close(desk, "li", data[3].id, confirmed=True)
    app = HostApp(desk, action, [row(closed)])

    async def scenario(pilot):
        await settle(pilot)
        text = flat(screen_text(app))
        assert f"{name} does not apply to incident {closed.id}, which is Closed." in text, text

    drive(app, scenario)
