"""Read-only lists for pickers and forms: agents, work groups, code tables, catalogue services,
organisations — with labels in the user's language. Nothing here writes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from desk.domain.roles import ADMIN, L1, L2, LEAD, VENDOR
from desk.models import Agent, Group, Incident, Organisation, Service
from desk.services import agents as agent_service
from desk.services.agents import AgentView

# Roles that work incidents: only these agents are offered as assignees.
WORKING_ROLES = frozenset({L1, L2, VENDOR, LEAD, ADMIN})


@dataclass(frozen=True)
class Choice:
    """One entry of a code table or list: `code` is what services take, `label` what users read."""

    code: str
    label: str


@dataclass(frozen=True)
class AgentChoice:
    login: str
    name: str
    group: str
    group_label: str


@dataclass(frozen=True)
class GroupChoice:
    code: str
    label: str
    tier: int
    kind: str  # desk, l2, vendor


@dataclass(frozen=True)
class IncidentBrief:
    """Enough about an incident for a dialog's heading and its choices."""

    id: int
    title: str
    status: str
    tier: int
    group: str
    version: int


def me(desk, login: str | None = None) -> AgentView:
    """The acting agent (raises UnknownUser for someone who is not an agent)."""
    return agent_service.whoami(desk, login)


def _group_label(group: Group, lang: str) -> str:
    return (group.name_zh if lang == "zh" else group.name_en) or group.code


def agents(desk, *, active_only: bool = True) -> list[AgentChoice]:
    """Agents who work incidents, by login."""
    groups = {g.id: g for g in Group.select()}
    query = Agent.select().order_by(Agent.login)
    if active_only:
        query = query.where(Agent.active == True)  # noqa: E712
    out = []
    for agent in query:
        if not (agent.role_set & WORKING_ROLES):
            continue
        group = groups.get(agent.group_id)
        out.append(AgentChoice(agent.login, agent.name, group.code if group else "",
                               _group_label(group, desk.lang) if group else ""))
    return out


def groups(desk, tiers: Iterable[int] | None = None) -> list[GroupChoice]:
    """Work groups by tier, then in the configured order."""
    order = {code: i for i, code in enumerate(desk.config.codes("group"))}
    query = Group.select()
    if tiers is not None:
        query = query.where(Group.tier.in_(sorted(set(tiers))))
    found = [GroupChoice(g.code, _group_label(g, desk.lang), g.tier, g.kind) for g in query]
    return sorted(found, key=lambda g: (g.tier, order.get(g.code, len(order)), g.code))


def codes(desk, table: str) -> list[Choice]:
    """A configured code table (closure_code, category, classification, source, impact, urgency…)."""
    return [Choice(code, desk.config.label(table, code, desk.lang)) for code in desk.config.codes(table)]


def closure_codes(desk) -> list[Choice]:
    """The codes resolve and close offer (not the one only the conversion to a request sets)."""
    from desk.domain.incident_flow import TO_REQUEST

    return [c for c in codes(desk, "closure_code") if c.code != TO_REQUEST]


def categories(desk) -> list[Choice]:
    return codes(desk, "category")


def services(desk) -> list[Choice]:
    """Published catalogue services."""
    query = Service.select().where(Service.status == "published").order_by(Service.code)
    return [Choice(s.code, (s.name_zh if desk.lang == "zh" else s.name_en) or s.code) for s in query]


def organisations(desk, limit: int = 2000) -> list[Choice]:
    query = Organisation.select(Organisation.name).order_by(Organisation.name).limit(limit)
    return [Choice(o.name, o.name) for o in query]


def incidents(desk, ids: Iterable[int]) -> list[IncidentBrief]:
    """Title, status and tier of these incidents, in the order given (missing ids are skipped)."""
    id_list = [int(i) for i in ids]
    if not id_list:
        return []
    groups_by_id = {g.id: g.code for g in Group.select(Group.id, Group.code)}
    query = (Incident.select(Incident.id, Incident.title, Incident.status, Incident.tier, Incident.group,
                             Incident.version)
             .where(Incident.id.in_(id_list)))
    found = {row.id: IncidentBrief(row.id, row.title, row.status, row.tier, groups_by_id.get(row.group_id, ""),
                                   row.version) for row in query}
    return [found[i] for i in id_list if i in found]
