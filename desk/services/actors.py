"""Who is acting, and may they: the permission check every use case starts with."""

from __future__ import annotations

from dataclasses import dataclass

from desk.db import write_transaction
from desk.domain.errors import NotAllowed, UnknownUser
from desk.domain.permissions import can, may_touch
from desk.models import Agent, Refusal


@dataclass(frozen=True)
class Actor:
    id: int
    login: str
    name: str
    roles: frozenset[str]
    group_id: int | None

    def can(self, action: str) -> bool:
        return can(self.roles, action)


def resolve(desk, login: str | None = None) -> Actor:
    login = login or desk.user
    agent = Agent.get_or_none((Agent.login == login) & (Agent.active == True))  # noqa: E712
    if agent is None:
        raise UnknownUser(login=login)
    return Actor(agent.id, agent.login, agent.name, agent.role_set, agent.group_id)


def record_refusal(desk, login: str, action: str, reason: str, entity: str = "", entity_id: int | None = None) -> None:
    """Refusals are kept for audit, in their own transaction (the refused one rolled back)."""
    try:
        with write_transaction(desk.db):
            Refusal.create(at=desk.now(), actor=login or "?", action=action, entity=entity,
                           entity_id=entity_id, reason=reason[:250])
    except Exception:
        # Auditing a refusal must never turn the refusal into a crash (e.g. a locked database).
        pass


def require(actor: Actor, action: str, group_id=None, check_scope: bool = False) -> None:
    if not actor.can(action):
        raise NotAllowed(login=actor.login, action=action)
    if check_scope and not may_touch(actor.roles, action, actor.group_id, group_id):
        raise NotAllowed("error.not_your_group", login=actor.login, action=action)
