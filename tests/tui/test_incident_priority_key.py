"""i on the incident queue and the incident detail: correct the incident's impact and urgency,
saying why (desk.screens.dialogs.set_priority). The form shows the priority now and the one the
choice gives, live; a role that may not change it has the key greyed; a closed incident is said to
be out of reach
(tests/tui/test_incident_keys_reach.py for those). Snapshots of the form at 80×24 and 120×40 in
English and Chinese."""

from __future__ import annotations

import pytest
from textual.widgets import Select
from tui_helpers import open_form, queue_ready, wait_until

from desk.screens.dialogs.set_priority import SetPriorityDialog
from desk.services import incidents

try:
    from .test_actions_host import HostApp, flat, root_conftest, row, screen_text, seed, settle, still, type_text
except ImportError:
    from test_actions_host import HostApp, flat, root_conftest, row, screen_text, seed, settle, still, type_text


async def _open(pilot) -> SetPriorityDialog:
    return await open_form(pilot, "i", SetPriorityDialog)


async def _choose(pilot, dialog, impact: int, urgency: int, reason: str) -> None:
    dialog.query_one("#impact", Select).value = str(impact)
    dialog.query_one("#urgency", Select).value = str(urgency)
    dialog.query_one("#reason").focus()
    await type_text(pilot, reason)
    await pilot.pause()


async def test_i_sets_the_impact_and_urgency_chosen_and_says_the_priority(make_app):
    app = make_app(user="li")
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        target = queue.table.cursor_id
        before = incidents.get(app.desk, target, with_history=False)
        dialog = await _open(pilot)
        assert [i for i, _ in dialog.rows] == [target]
        impact, urgency = (3, 3) if (before.impact, before.urgency) != (3, 3) else (1, 1)
        await _choose(pilot, dialog, impact, urgency, "we learnt more")
        priority = app.desk.config.matrix.priority(impact, urgency)
        label = app.desk.config.label("priority", priority, "en")
        assert f"Becomes: priority {priority} {label}" in flat(screen_text(app))  # live, before it is saved
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is queue, what="the form to close")
        done = incidents.get(app.desk, target)
        assert (done.impact, done.urgency, done.priority) == (impact, urgency, priority)
        assert done.history[-1].action == "set_priority" and done.history[-1].note == "we learnt more"
        messages = [str(n.message) for n in app._notifications]
        assert f"incident {target} now has priority {priority} {label}" in messages, messages


async def test_escape_writes_nothing_and_a_missing_reason_is_named(make_app):
    app = make_app(user="li")
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        target = queue.table.cursor_id
        before = incidents.get(app.desk, target, with_history=False)
        dialog = await _open(pilot)
        await _choose(pilot, dialog, 1, 1 if before.urgency != 1 else 2, "")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert "Reason is required" in flat(screen_text(app))
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is queue, what="back on the queue")
        after = incidents.get(app.desk, target, with_history=False)
        assert (after.version, after.priority) == (before.version, before.priority)


async def test_the_same_impact_and_urgency_are_refused_in_the_form(make_app):
    app = make_app(user="li")
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        target = queue.table.cursor_id
        before = incidents.get(app.desk, target, with_history=False)
        dialog = await _open(pilot)
        await _choose(pilot, dialog, before.impact, before.urgency, "no change really")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "already" in flat(screen_text(app)), what="the refusal")
        assert f"impact {before.impact} and urgency {before.urgency} already" in flat(screen_text(app))
        assert incidents.get(app.desk, target, with_history=False).version == before.version


async def test_i_on_the_incident_detail_acts_on_that_incident(make_app):
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
        before = detail.detail
        impact, urgency = (3, 3) if (before.impact, before.urgency) != (3, 3) else (1, 1)
        await _choose(pilot, dialog, impact, urgency, "seen from the detail")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is detail and detail.detail.impact == impact,
                         what="the detail to show the new priority")
        assert "priority changed" in flat(screen_text(app))


# --- snapshots ---------------------------------------------------------------------------------------

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}


@pytest.fixture
def priority_snap_desk(tmp_path, clock):
    desk = root_conftest().make_desk(str(tmp_path / "snap.db"), clock)
    desk.user = "li"
    data = seed(desk, clock)
    yield desk, data
    desk.close()


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("state", ["open", "chosen"])
def test_snapshot(snap_compare, priority_snap_desk, state, lang, size):
    desk, data = priority_snap_desk
    desk.lang = lang
    app = HostApp(desk, "set_priority", [row(data[0])])

    async def run_before(pilot):
        await settle(pilot)
        if state == "chosen":
            dialog = app.screen
            dialog.query_one("#impact", Select).value = "1"
            dialog.query_one("#urgency", Select).value = "1"
            dialog.query_one("#reason").focus()
            await type_text(pilot, "whole branch down")
            await pilot.pause()
        still(app)

    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)
