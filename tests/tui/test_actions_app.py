"""The actions inside the real app shell: from the queue (cursor row or marked rows) and from
the detail opened with enter; the queue shows the change when the dialog is done."""

from __future__ import annotations

from tui_helpers import queue_ready, screen_text, wait_until

from desk.screens.detail import DetailScreen
from desk.screens.dialogs.assign import AssignDialog
from desk.screens.dialogs.resolve import ResolveDialog
from desk.screens.dialogs.result import ResultDialog
from desk.services import incidents


def _ids(queue) -> list[int]:
    table = queue.table
    return [table.id_at(i) for i in range(table.total or 0)]


def _row(queue, incident_id):
    table = queue.table
    for i in range(table.total or 0):
        if table.id_at(i) == incident_id:
            return table.row_at(i)
    return None


async def test_bulk_assign_from_the_queue_on_the_marked_rows(make_app):
    app = make_app(user="admin")
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        for key in ("space", "down", "space", "down", "space"):
            await pilot.press(key)
            await queue_ready(pilot)
        marked = sorted(queue.table.marked)
        assert len(marked) == 3
        await pilot.press("a")
        await wait_until(pilot, lambda: isinstance(app.screen, AssignDialog), what="the assign dialog")
        dialog = app.screen
        assert sorted(i for i, _ in dialog.rows) == sorted(marked)
        await wait_until(pilot, lambda: not dialog.query_one("#ok").disabled, what="the choices")
        await pilot.press("enter")  # "me"
        await wait_until(pilot, lambda: app.screen is not dialog, what="the dialog to close")
        refused = set()
        if isinstance(app.screen, ResultDialog):  # rows of another tier are refused, each named
            text = screen_text(app)
            refused = {i for i in marked if f"#{i} " in text and "refused" in text.split(f"#{i} ", 1)[1][:40]}
            await pilot.press("escape")
        done = [i for i in marked if i not in refused]
        assert done, "at least one marked row is on the desk's tier"
        for i in marked:
            assert (incidents.get(app.desk, i).assignee == "admin") == (i in done)
        await wait_until(pilot, lambda: all(_row(queue, i) is not None and _row(queue, i).assignee == "admin"
                                            for i in done), what="the queue to reload the rows")


async def test_resolve_from_the_detail_then_back_to_the_queue(make_app):
    app = make_app(user="admin")
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        target = queue.table.cursor_id
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.detail is not None,
                         what="the detail")
        detail = app.screen
        await pilot.press("r")
        await wait_until(pilot, lambda: isinstance(app.screen, ResolveDialog), what="the resolve dialog")
        dialog = app.screen
        await wait_until(pilot, lambda: not dialog.query_one("#ok").disabled, what="the dialog to load")
        dialog.query_one("#code").focus()
        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("down", "enter")
        dialog.query_one("#resolution").focus()
        await pilot.press(*"restarted")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is detail and detail.detail.status == "resolved",
                         what="the detail to show the resolution")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is queue, what="the queue")
        await wait_until(pilot, lambda: target not in _ids(queue), what="the resolved row to leave the open view")
    assert incidents.get(app.desk, target).status == "resolved"


async def _act_from_the_queue(pilot, app, queue, key: str, dialog_class, text: str):
    """Press the key on the cursor row, type `text` into the dialog's first field, save."""
    target = queue.table.cursor_id
    await pilot.press(key)
    await wait_until(pilot, lambda: isinstance(app.screen, dialog_class), what=f"the dialog of {key}")
    dialog = app.screen
    assert [i for i, _ in dialog.rows] == [target]
    await wait_until(pilot, lambda: not dialog.query_one("#ok").disabled, what="the dialog to load")
    await pilot.press(*["space" if ch == " " else ch for ch in text])
    await pilot.press("ctrl+s")
    await wait_until(pilot, lambda: app.screen is queue, what="the dialog to close")
    return target


async def test_note_return_and_confirm_from_the_queue(make_app):
    from tui_helpers import press

    from desk.screens.dialogs.confirm import ConfirmDialog
    from desk.screens.dialogs.note import NoteDialog
    from desk.screens.dialogs.return_ import ReturnDialog

    app = make_app(user="admin")
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        noted = await _act_from_the_queue(pilot, app, queue, "m", NoteDialog, "rang the branch")
        last = incidents.get(app.desk, noted).history[-1]
        assert (last.action, last.actor, last.note) == ("note", "admin", "rang the branch")

        await queue_ready(pilot)
        start = incidents.get(app.desk, queue.table.cursor_id)
        assert start.tier == 2  # the first open row was escalated to the network team
        returned = await _act_from_the_queue(pilot, app, queue, "b", ReturnDialog, "a desk matter")
        after = incidents.get(app.desk, returned)
        assert (after.group, after.tier, after.history[-1].note) == ("desk", 1, "a desk matter")
        await wait_until(pilot, lambda: _row(queue, returned) is not None and _row(queue, returned).version
                         == after.version, what="the queue to reload the row")

        await press(pilot, "6")  # recently resolved
        confirmed = await _act_from_the_queue(pilot, app, queue, "y", ConfirmDialog, "caller happy")
        after = incidents.get(app.desk, confirmed)
        assert after.status == "resolved" and after.confirmed_at is not None
        assert after.history[-1].note == "caller happy"


async def test_note_escape_in_the_queue_writes_nothing(make_app):
    from desk.screens.dialogs.note import NoteDialog

    app = make_app(user="admin")
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        target = queue.table.cursor_id
        before = incidents.get(app.desk, target).version
        await pilot.press("m")
        await wait_until(pilot, lambda: isinstance(app.screen, NoteDialog), what="the note dialog")
        await pilot.press("a", "b", "c", "escape")
        await wait_until(pilot, lambda: app.screen is queue, what="the queue")
        assert incidents.get(app.desk, target).version == before


async def test_the_new_keys_are_in_help_and_the_palette_not_the_footer(make_app):
    from desk.screens.help import key_rows

    app = make_app(user="li")  # first line: may note and confirm, may not return
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        rows = {binding_id: (keys, text) for _, entries in key_rows(queue, "en")
                for keys, text, _, binding_id in entries}
        assert rows["note"] == ("m", "Add a note")
        assert rows["return"] == ("b", "Return to previous tier")
        assert rows["confirm"] == ("y", "Confirm the resolution")
        palette = {title: help_text for title, help_text, _ in queue.palette_commands()}
        assert palette["Add a note"] == "m" and palette["Confirm the resolution"] == "y"
        assert palette["Return to previous tier"] != "b"  # marked as not for this role
        footer = screen_text(app).splitlines()[-1]
        assert "Add a note" not in footer and "Confirm" not in footer
        await pilot.press("b")
        await pilot.pause()
        assert app.screen is queue  # refused, with a warning, nothing opened
