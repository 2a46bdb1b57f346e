"""`n` from the queue (issue 11, item 1): the toast names the incident just created — not the
row under the cursor — and the cursor lands on it."""

from __future__ import annotations

from textual.widgets import Input
from tui_helpers import queue_ready, wait_until

from desk.screens.dialogs.new_incident import NewIncidentDialog
from desk.services import incidents


async def _create(pilot, app, title: str, impact_keys=("down",)) -> None:
    await pilot.press("n")
    await wait_until(pilot, lambda: isinstance(app.screen, NewIncidentDialog), what="the new incident dialog")
    dialog = app.screen
    await wait_until(pilot, lambda: not dialog.query_one("#ok").disabled, what="the dialog to load")
    dialog.query_one("#title", Input).value = title
    for name in ("impact", "urgency"):
        dialog.query_one(f"#{name}").focus()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press(*impact_keys, "enter")
        await pilot.pause()
    await pilot.press("ctrl+s")
    await wait_until(pilot, lambda: not isinstance(app.screen, NewIncidentDialog), what="the dialog to close")


async def test_new_reports_the_new_incidents_id_and_the_cursor_lands_on_it(make_app):
    app = make_app(user="admin")
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        await pilot.press("down", "down")
        under_cursor = queue.table.cursor_id
        await _create(pilot, app, "Scanner on floor 4 offline")
        created = max(app.desk.seeded_ids) + 1
        assert incidents.get(app.desk, created).title == "Scanner on floor 4 offline"
        assert created != under_cursor
        messages = [str(n.message) for n in app._notifications]
        assert any(f"{created}" in m and "created" in m for m in messages), messages
        assert not any(f"{under_cursor} " in m or m.endswith(f"{under_cursor} created.") for m in messages)
        await wait_until(pilot, lambda: queue.table.cursor_id == created, what="the cursor on the new incident")


async def test_a_new_incident_outside_the_view_is_said_to_be_elsewhere(make_app):
    app = make_app(user="admin")
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        await pilot.press("7")  # closed today: a new incident is not in it
        queue = await queue_ready(pilot)
        before = queue.table.cursor_id
        await _create(pilot, app, "Kiosk frozen")
        await wait_until(pilot, lambda: any("not in this view" in str(n.message) for n in app._notifications),
                         what="a notice that the new incident is in another view")
        assert queue.table.cursor_id == before

