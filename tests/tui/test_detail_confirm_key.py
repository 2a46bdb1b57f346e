"""A resolved incident's next step is the caller's confirmation (`y`), so the detail's key bar offers
it then, beside close and reopen (walkD, in tmux: the bar offered assign, escalate and resolve, greyed,
and not confirm); before it is resolved, confirm is not on the bar at all."""

from __future__ import annotations

from tui_helpers import open_detail_of, queue_ready, screen_lines, wait_until

from desk.services import incidents


def _bar(app) -> str:
    return screen_lines(app)[-1]


async def test_the_detail_offers_confirm_on_a_resolved_incident_only(make_app):
    app = make_app(user="admin")
    desk = app.desk
    open_one = incidents.create(desk, "li", title="Scanner offline", impact=2, urgency=2).id
    resolved = incidents.create(desk, "li", title="Kiosk frozen", impact=2, urgency=2).id
    incidents.resolve(desk, "li", resolved, code="fixed", note="restarted it")
    async with app.run_test(size=(120, 40)) as pilot:
        await open_detail_of(pilot, open_one)
        assert "Confirm" not in _bar(app) and "Resolve" in _bar(app)
        await pilot.press("escape")
        await queue_ready(pilot)
        await pilot.press("6")  # recently resolved
        await open_detail_of(pilot, resolved)
        await wait_until(pilot, lambda: "y Confirm" in _bar(app), what="confirm on the key bar")
        assert "Close" in _bar(app)
