"""Agents: who may log in to the desk, with which roles and group."""

from __future__ import annotations

from typing import NamedTuple

from desk.db import write_transaction
from desk.domain.errors import NotAllowed, UnknownUser, ValidationError
from desk.domain.permissions import unknown_roles
from desk.models import Agent, Group
from desk.services import actors


class AgentView(NamedTuple):
    login: str
    name: str
    roles: tuple[str, ...]
    group: str
    active: bool

    def to_json(self) -> dict:
        return {"login": self.login, "name": self.name, "roles": list(self.roles), "group": self.group,
                "active": self.active}


def _view(agent: Agent) -> AgentView:
    group = agent.group.code if agent.group_id else ""
    return AgentView(agent.login, agent.name, tuple(sorted(agent.role_set)), group, agent.active)


def list_agents(desk) -> list[AgentView]:
    return [_view(a) for a in Agent.select().order_by(Agent.login)]


def whoami(desk, login: str | None = None) -> AgentView:
    actor = actors.resolve(desk, login)
    return _view(Agent.get_by_id(actor.id))


def save_agent(desk, login: str | None, *, agent_login: str, name: str | None = None, roles: list[str] | None = None,
               group: str | None = None, active: bool = True) -> AgentView:
    try:
        actor = actors.resolve(desk, login)
        actors.require(actor, "admin.agents")
    except (NotAllowed, UnknownUser) as err:  # recorded for audit, like every refusal
        actors.record_refusal(desk, login or desk.user, "admin.agents", err.key, "agent")
        raise
    if not agent_login or any(c.isspace() for c in agent_login):
        raise ValidationError("error.bad_login", login=agent_login)
    roles = roles or ["l1"]
    bad = unknown_roles(roles)
    if bad:
        raise ValidationError("error.unknown_role", role=bad[0])
    with write_transaction(desk.db):
        grp = None
        if group:
            grp = Group.get_or_none(Group.code == group)
            if grp is None:
                raise ValidationError("error.unknown_group", code=group)
        values = {"name": name or agent_login, "roles": ",".join(roles), "group": grp, "active": active}
        if Agent.update(values).where(Agent.login == agent_login).execute() == 0:
            Agent.create(login=agent_login, **values)
    return _view(Agent.get(Agent.login == agent_login))
