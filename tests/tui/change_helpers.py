"""What the change tests of the TUI share (imported like tui_helpers): a change whose work began,
made through the services, and the form of a change queue's key opened on a given change."""

from __future__ import annotations

from datetime import datetime, timedelta

from tui_helpers import wait_until

from desk.services import changes

MONDAY = datetime(2026, 12, 7, 22, 0)


def implementing(desk, title: str, *, start: datetime = MONDAY, hours: int = 1, reason: str = "r",
                 services: str = "network", implementation_plan: str = "do it", backout_plan: str = "undo it"):
    """An emergency change requested by wang, approved by a shift lead, scheduled from `start`
    for `hours`, its work begun (what incidents can be recorded as caused by)."""
    c = changes.create(desk, "wang", title=title, type="emergency", reason=reason, services=services,
                       implementation_plan=implementation_plan, backout_plan=backout_plan)
    changes.approve(desk, "lead", changes.submit(desk, "wang", c.id).id)
    changes.schedule(desk, "wang", c.id, start=start, end=start + timedelta(hours=hours))
    return changes.start(desk, "wang", c.id)


async def change_form(pilot, screen, change_id: int, key: str):
    """Move the list's cursor to the change, press the key and wait for its form to have read the
    change (RecordActionDialog.checked set)."""
    from desk.screens.record_action import RecordActionDialog

    app = pilot.app
    ids = [screen.table.id_at(i) for i in range(screen.table.total or 0)]
    screen.table._move_to(ids.index(change_id))
    await wait_until(pilot, lambda: screen.table.cursor_id == change_id, what="the cursor")
    await pilot.press(key)
    await wait_until(pilot, lambda: isinstance(app.screen, RecordActionDialog) and app.screen.checked is not None,
                     what=f"the form of {key}")
    await pilot.pause()
    return app.screen
