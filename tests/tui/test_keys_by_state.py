"""The queue checks the transition before opening a form (issue 11, item 5): `o` (reopen) and `y`
(confirm) on an open incident are greyed out for the cursor row and, pressed anyway, say why
without opening a form; on a resolved one they open it. A dialog opened on an incident whose state
does not allow the action (the row on screen was out of date) says so before anything is typed."""

from __future__ import annotations

from tui_helpers import press, queue_ready, wait_until

from desk.screens.dialogs.reopen import ReopenDialog
from desk.services import incidents

try:
    from .test_actions_host import HostApp, flat, row, screen_text, seed, settle
except ImportError:
    from test_actions_host import HostApp, flat, row, screen_text, seed, settle


async def test_reopen_and_confirm_are_greyed_and_refused_on_an_open_row(make_app):
    app = make_app(user="admin")
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)  # all open
        assert queue.table.cursor_row.status in ("new", "assigned", "in_progress")
        assert queue.check_action("act", ("reopen",)) is None
        assert queue.check_action("act", ("confirm",)) is None
        assert queue.check_action("act", ("note",)) is True
        for key in ("o", "y"):
            await pilot.press(key)
            await pilot.pause()
            assert app.screen is queue, f"{key} opened a form on an open incident"
        messages = [str(n.message) for n in app._notifications]
        assert any("Reopen does not apply to incident" in m for m in messages), messages
        assert any("Confirm the resolution does not apply to incident" in m for m in messages), messages

        await press(pilot, "6")  # recently resolved: both apply
        assert queue.table.cursor_row.status == "resolved"
        assert queue.check_action("act", ("reopen",)) is True
        assert queue.check_action("act", ("confirm",)) is True
        assert queue.check_action("act", ("resolve",)) is None
        await pilot.press("o")
        await wait_until(pilot, lambda: isinstance(app.screen, ReopenDialog), what="the reopen form")


async def test_the_key_bar_follows_the_cursor_row(make_app):
    app = make_app(user="admin")
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        await press(pilot, "8")  # every incident: open, resolved and closed rows
        statuses = [queue.table.row_at(i).status for i in range(queue.table.total)]
        resolved = statuses.index("resolved")
        for _ in range(resolved):
            await pilot.press("down")
        await wait_until(pilot, lambda: queue.check_action("act", ("confirm",)) is True, what="confirm to apply")
        await pilot.press("up" if resolved else "down")
        other = queue.table.cursor_row.status
        assert other != "resolved"
        assert queue.check_action("act", ("confirm",)) is None


def test_a_form_opened_on_an_incident_that_moved_on_says_so_at_once(desk, clock):
    desk.user = "li"
    data = seed(desk, clock)
    resolved = data[3]
    seen = row(resolved)
    incidents.confirm(desk, "li", resolved.id)
    incidents.close(desk, "li", resolved.id)  # closed meanwhile: the row on screen still said resolved
    app = HostApp(desk, "reopen", [seen])

    async def scenario(pilot):
        await settle(pilot)  # no form to fill: the reason is said first
        assert isinstance(app.screen, ReopenDialog)
        assert "Reopen does not apply to incident" in flat(screen_text(app))
        assert app.screen.query_one("#ok").disabled

    import asyncio

    async def main():
        async with app.run_test(size=(100, 30)) as pilot:
            await scenario(pilot)

    asyncio.run(main())
