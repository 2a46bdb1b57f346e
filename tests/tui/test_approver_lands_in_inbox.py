"""An approver who works no incidents opens `desk` on their approval inbox (F3, view "approvals"),
as issue 14 asks ("approvers land there"). Before, they opened on the incident queue's "my group"
view: empty (an approver has no group and no incident work), with nothing saying where their
approvals were. Everyone who works incidents still lands on the queue."""

from __future__ import annotations

import pytest
from tui_helpers import wait_until

from desk.app import landing_screen


def test_only_an_agent_without_incident_work_lands_elsewhere():
    assert landing_screen(frozenset({"approver"})) == "requests"
    for roles in ({"l1"}, {"l2"}, {"lead"}, {"admin"}, {"vendor"}, {"approver", "l1"}, {"approver", "lead"},
                  {"request_manager"}, {"report_manager"}, {"catalogue_maintainer"}, set()):
        assert landing_screen(frozenset(roles)) == "queue", roles


@pytest.mark.parametrize(("user", "screen_id"), [("appr", "requests"), ("li", "queue"), ("lead", "queue")])
async def test_desk_opens_where_the_agents_work_is(make_app, user, screen_id):
    app = make_app(user=user)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: getattr(app.screen, "id", None) == screen_id, what=screen_id)
        if screen_id == "requests":
            await wait_until(pilot, lambda: app.screen.view == "approvals", what="the approval inbox")
        assert app.current_mode == screen_id
