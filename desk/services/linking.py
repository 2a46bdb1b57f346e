"""What the problem and change services share: names for ids (agents, groups, services), the
incidents a record links to, and a record's history as plain values. Read-only."""

from __future__ import annotations

import json
from collections.abc import Iterable

from desk.domain.errors import ValidationError
from desk.models import Agent, History, Incident, Service, ServiceVersion
from desk.services import incident_reads, incidents, records
from desk.services.problem_change_views import LinkedIncident
from desk.services.views import HistoryEntry

agent_login = incident_reads.agent_login  # id -> login, cached per handle (logins never change)
group_code = incident_reads.group_code  # id -> code, cached per handle
agent = incidents._agent  # active agent by login, or ValidationError
group = incidents._group  # group by code, or ValidationError


def service_code(desk, service_id) -> str:
    if service_id is None:
        return ""
    codes = desk.cache.setdefault("service_code_by_id", {})  # ("service_codes" is the alert intake's set of codes)
    if service_id not in codes:
        row = Service.select(Service.code).where(Service.id == service_id).first()
        codes[service_id] = row.code if row else str(service_id)
    return codes[service_id]


def version_number(desk, version_id) -> int | None:
    """The number of a catalogue version given by its id (what a ticket stores); versions never
    change, so the answer is kept per handle."""
    if version_id is None:
        return None
    numbers = desk.cache.setdefault("version_number_by_id", {})
    if version_id not in numbers:
        row = ServiceVersion.select(ServiceVersion.number).where(ServiceVersion.id == version_id).first()
        numbers[version_id] = row.number if row else None
    return numbers[version_id]


def service_id(code: str | None) -> int | None:
    if not code:
        return None
    records.text(code, "service", 200)
    found = Service.get_or_none(Service.code == code)
    if found is None:
        raise ValidationError("error.unknown_service", code=code)
    return found.id


def incident_ids(values: Iterable[int]) -> list[int]:
    ids = sorted({int(v) for v in values})
    if any(i < 1 for i in ids):
        raise ValidationError("error.at_least", field="incident", low=1, got=min(ids))
    return ids


def briefs(ids: Iterable[int]) -> list[LinkedIncident]:
    ids = list(ids)
    if not ids:
        return []
    rows = (Incident.select(Incident.id, Incident.title, Incident.status, Incident.priority, Incident.version)
            .where(Incident.id.in_(ids)).order_by(Incident.id))
    return [LinkedIncident(r.id, r.title, r.status, r.priority, r.version) for r in rows]


def history_entries(desk, entity: str, record_id: int) -> list[HistoryEntry]:
    rows = (History.select(History.seq, History.at, History.actor, History.action, History.changes, History.note)
            .where((History.entity == entity) & (History.entity_id == record_id)).order_by(History.seq))
    return [HistoryEntry(h.seq, h.at, agent_login(desk, h.actor_id) or "", h.action, json.loads(h.changes or "{}"),
                         h.note) for h in rows]


def logins_of_role(role: str) -> set[str]:
    return {a.login for a in Agent.select(Agent.login, Agent.roles).where(Agent.active == True)  # noqa: E712
            if role in a.role_set}


def unlink_incidents(desk, model, entity: str, owner_id: int, ids: Iterable[int], versions: dict[int, int],
                     actor, action: str, field: str, now) -> None:
    """Remove each incident's link row (`model`: ProblemIncident, ChangeIncident; its `entity`
    column is the owner) and give the incident its history row (`action`, `field` from the owner to
    none), each version-checked. An incident not linked to this owner refuses it all."""
    for incident_id in ids:
        gone = model.delete().where((getattr(model, entity) == owner_id) & (model.incident == incident_id)).execute()
        if gone != 1:
            raise ValidationError(f"{entity}.error.not_linked", id=incident_id, **{entity: owner_id})
        records.linked(desk, incidents.KIND, incident_id, versions.get(incident_id), actor.id, action,
                       {field: [owner_id, None]}, "", now)
