"""A running TUI ticks the SLA escalations and shows the user's new notifications as toasts."""

from __future__ import annotations

from tui_helpers import queue_ready

from desk import sla_poll
from desk.services import incidents


async def _toasts(pilot, poll, count, timeout=10.0):
    waited = 0.0
    while poll.shown < count and waited < timeout:
        await pilot.pause(0.05)
        waited += 0.05
    await pilot.pause()
    return [n.message for n in pilot.app._notifications]


async def test_new_notifications_become_toasts_and_the_tui_ticks(make_app, desk, clock, monkeypatch):
    monkeypatch.setattr(sla_poll, "FIRST", 0.1)
    monkeypatch.setattr(sla_poll, "EVERY", 0.3)
    app = make_app(user="lead")
    async with app.run_test(size=(120, 40)) as pilot:
        await queue_ready(pilot)
        poll = app.sla_poll
        # the seeded desk's priority-1 incidents told the lead: one summary toast, not one each
        messages = await _toasts(pilot, poll, 1)
        assert len(messages) == 1 and "unread notifications" in messages[0]
        made = incidents.create(desk, "li", title="core <b>down</b> [red]x[/red]", impact=1, urgency=1)
        messages = await _toasts(pilot, poll, 2)
        assert messages[-1] == f"priority 1: incident {made.id} raised: core <b>down</b> [red]x[/red]"
        # and it ticks: the seeded priority-1 incidents are long past their warning
        from desk.models import Escalation

        assert Escalation.select().where(Escalation.stage == "breach").count() >= 1
