"""Who may log in (desk/services/agents.py) through the real database, each guard a removed or
inverted line would let pass (issue 19; tools/mutants/services_agents.toml): administrators only,
the refusal kept for audit, a bad login, role or group refused with nothing written, the defaults
an agent is saved with, and what the agent list and whoami show."""

from __future__ import annotations

import pytest

from desk.domain.errors import NotAllowed, UnknownUser, ValidationError
from desk.models import Agent, Refusal
from desk.services import agents, incidents


def count() -> int:
    return Agent.select().count()


def test_only_an_administrator_saves_agents_and_a_refusal_is_kept(desk):
    before = count()
    with pytest.raises(NotAllowed):
        agents.save_agent(desk, "lead", agent_login="newbie", roles=["admin"])
    assert count() == before and Agent.get_or_none(Agent.login == "newbie") is None
    assert [(r.actor, r.action, r.entity) for r in Refusal.select()] == [("lead", "admin.agents", "agent")]


@pytest.mark.parametrize("kw, key", [
    ({"agent_login": ""}, "error.bad_login"),
    ({"agent_login": "li ming"}, "error.bad_login"),
    ({"agent_login": "newbie", "roles": ["l1", "wizard"]}, "error.unknown_role"),
    ({"agent_login": "newbie", "group": "nowhere"}, "error.unknown_group"),
])
def test_a_bad_login_role_or_group_is_refused_and_nothing_is_written(desk, kw, key):
    before = [(a.login, a.roles, a.group_id) for a in Agent.select().order_by(Agent.id)]
    with pytest.raises(ValidationError) as err:
        agents.save_agent(desk, "admin", **kw)
    assert err.value.key == key
    assert [(a.login, a.roles, a.group_id) for a in Agent.select().order_by(Agent.id)] == before


def test_an_agent_saved_with_nothing_more_is_first_line_named_by_their_login_in_no_group(desk):
    view = agents.save_agent(desk, "admin", agent_login="newbie")
    assert (view.login, view.name, view.roles, view.group, view.active) == ("newbie", "newbie", ("l1",), "", True)


def test_an_agent_saved_inactive_may_no_longer_act(desk):
    inc = incidents.create(desk, "li", title="Printer jams", impact=3, urgency=3)
    view = agents.save_agent(desk, "admin", agent_login="li", name="Li", roles=["l1"], group="desk", active=False)
    assert view.active is False
    with pytest.raises(UnknownUser):
        incidents.note(desk, "li", inc.id, text="still here?")


def test_the_list_is_by_login_with_each_agents_group_and_whoami_is_the_agent_asking(desk):
    agents.save_agent(desk, "admin", agent_login="aaron", name="Aaron", roles=["l2"], group="network")
    listed = agents.list_agents(desk)
    assert [a.login for a in listed] == sorted(a.login for a in listed) and listed[0].login == "aaron"
    assert listed[0].group == "network" and listed[0].roles == ("l2",)
    me = agents.whoami(desk, "wang")
    assert (me.login, me.group) == ("wang", "network")
