"""The assign form's guards (issue 19): an agent without a group is offered on any tier, marked
incidents on two tiers offer both tiers' groups, and the note typed goes with an assignment to me."""

from __future__ import annotations

from desk.screens.dialogs.assign import AssignDialog
from desk.services import agents, incidents

from test_actions_host import HostApp, drive, row, screen_text, settle, type_text


def _offered(screen) -> list[str]:
    return [item.value for item in screen.query_one("#target")._items]


def test_an_agent_without_a_group_is_offered_beside_the_tiers_own(desk, data):
    agents.save_agent(desk, "admin", agent_login="float", name="Floater", roles=["l2"], group=None)
    app = HostApp(desk, "assign", [row(data[0])])  # on the service desk (tier 1)

    async def scenario(pilot):
        offered = _offered(app.screen)
        assert "agent:float" in offered and "agent:zhao" in offered
        assert "agent:wang" not in offered and "group:network" not in offered  # tier 2's

    drive(app, scenario, size=(120, 40))


def test_marked_incidents_on_two_tiers_offer_the_groups_of_both(desk, data):
    b = incidents.escalate(desk, "li", data[1].id, to="network", reason="cabling")  # tier 2
    app = HostApp(desk, "assign", [row(data[0]), row(b)])

    async def scenario(pilot):
        offered = _offered(app.screen)
        assert {"group:desk", "group:network", "agent:wang"} <= set(offered)
        assert "group:vendor-net" not in offered  # tier 3: neither incident's

    drive(app, scenario, size=(120, 40))


def test_assigning_to_me_keeps_the_note_typed(desk, data):
    b = data[1]
    app = HostApp(desk, "assign", [row(b)])

    async def scenario(pilot):
        assert app.screen.query_one("#target").value == "me"
        await pilot.press("tab")
        await type_text(pilot, "on my way")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert not isinstance(app.screen, AssignDialog)

    drive(app, scenario)
    after = incidents.get(desk, b.id)
    assert (after.assignee, after.history[-1].action, after.history[-1].note) == ("li", "assign", "on my way")


def test_a_name_from_another_tier_is_answered_with_how_to_reach_it(desk, data):
    # A first-line agent typed an L2 agent's name in Assign and read 'nothing matches', no more.
    app = HostApp(desk, "assign", [row(data[0])])  # on the service desk (tier 1)

    async def scenario(pilot):
        await type_text(pilot, "wang")
        await settle(pilot)
        assert "e escalates to the next tier" in screen_text(app)

    drive(app, scenario, size=(120, 40))
