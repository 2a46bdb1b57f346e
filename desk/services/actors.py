"""Who is acting, and may they: the permission check every use case starts with."""

from __future__ import annotations

from typing import NamedTuple

from desk.db import write_transaction
from desk.domain.errors import NotAllowed, UnknownUser
from desk.domain.permissions import can, may_touch
from desk.models import Agent, Refusal
from desk.services.compiled import fetch_one


class Actor(NamedTuple):
    id: int
    login: str
    name: str
    roles: frozenset[str]
    group_id: int | None

    def can(self, action: str) -> bool:
        return can(self.roles, action)


_FIELDS = (Agent.id, Agent.login, Agent.name, Agent.roles, Agent.group)


def resolve(desk, login: str | None = None) -> Actor:
    """Read on every action (never cached): a role taken away takes effect at the next key press."""
    given = login
    login = login or desk.user
    row = fetch_one(desk, "agent.active_by_login", lambda: (
        Agent.select(*_FIELDS).where((Agent.login == "") & (Agent.active == True))), (login, True))  # noqa: E712
    if row is None:
        via = getattr(desk, "user_from", "given") if given in (None, desk.user) else "given"
        raise UnknownUser(login=login, via=via)
    agent_id, agent_login, name, roles, group_id = row
    return Actor(agent_id, agent_login, name, frozenset(r.strip() for r in roles.split(",") if r.strip()), group_id)


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
