"""t on the incident queue and the incident detail: put the incident under another published
catalogue service, picked from a searchable list (desk.screens.dialogs.set_service). A role that
may not reclassify has the key greyed; a closed incident is said to be out of reach before
anything is typed
(tests/tui/test_incident_keys_reach.py for those). Snapshots of the picker at 80×24 and 120×40 in
English and Chinese."""

from __future__ import annotations

import pytest
from tui_helpers import open_form, queue_ready, wait_until

from desk.screens.dialogs.set_service import SetServiceDialog
from desk.services import incidents

try:
    from .test_actions_host import HostApp, flat, root_conftest, row, screen_text, seed, settle, still, type_text
except ImportError:
    from test_actions_host import HostApp, flat, root_conftest, row, screen_text, seed, settle, still, type_text


async def _open(pilot) -> SetServiceDialog:
    return await open_form(pilot, "t", SetServiceDialog)


async def test_t_puts_the_incident_under_the_service_picked(make_app):
    app = make_app(user="li")
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        target = queue.table.cursor_id
        dialog = await _open(pilot)
        assert [i for i, _ in dialog.rows] == [target]
        await type_text(pilot, "core business")
        assert dialog.query_one("#service").value == "core-banking"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is queue, what="the form to close")
        done = incidents.get(app.desk, target)
        assert (done.service, done.service_version, done.history[-1].action) == ("core-banking", 1, "set_service")
        messages = [str(n.message) for n in app._notifications]
        assert f"incident {target} is now under Core business system" in messages, messages


async def test_escape_writes_nothing_and_enter_with_no_match_names_the_field(make_app):
    app = make_app(user="li")
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        target = queue.table.cursor_id
        before = incidents.get(app.desk, target, with_history=False).version
        dialog = await _open(pilot)
        await type_text(pilot, "zzz")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "pick a service from the list" in flat(screen_text(app))
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is queue, what="back on the queue")
        after = incidents.get(app.desk, target, with_history=False)
        assert (after.version, after.service) == (before, "")
        assert dialog.rows == [(target, before)]


async def test_t_on_the_incident_detail_acts_on_that_incident(make_app):
    from desk.screens.detail import DetailScreen

    app = make_app(user="li")
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        shown = queue.table.cursor_id
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.detail is not None,
                         what="the detail")
        detail = app.screen
        dialog = await _open(pilot)
        assert [i for i, _ in dialog.rows] == [shown]
        await type_text(pilot, "email")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is detail and detail.detail.service == "email",
                         what="the detail to show the new service")
        assert "Email and calendar, version 1" in flat(screen_text(app))


# --- snapshots ---------------------------------------------------------------------------------------

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}


@pytest.fixture
def service_snap_desk(tmp_path, clock):
    desk = root_conftest().make_desk(str(tmp_path / "snap.db"), clock)
    desk.user = "li"
    data = seed(desk, clock)
    yield desk, data
    desk.close()


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("state", ["open", "search"])
def test_snapshot(snap_compare, service_snap_desk, state, lang, size):
    desk, data = service_snap_desk
    desk.lang = lang
    app = HostApp(desk, "set_service", [row(data[0])])  # under network, version 1: not offered again

    async def run_before(pilot):
        await settle(pilot)
        if state == "search":
            await type_text(pilot, "bank")
            await pilot.pause()
        still(app)

    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)
