"""Reading incidents: one incident with everything its detail shows (`get`), and the names the
incident services give ids (groups by code, agents by login), cached per desk handle.

desk.services.incidents (the writes) takes its names, its clock and `get` from here, and
re-exports them: `incidents.get`, `incidents.ENTITY`, `incidents.CLOCK` stay where callers look.
Read-only."""

from __future__ import annotations

import json

from peewee import JOIN

from desk.domain import incident_flow as flow
from desk.domain.checklist import checklist
from desk.domain.errors import NotFound
from desk.models import (
    Agent, Article, Caller, Change, ChangeIncident, Group, History, Incident, IncidentArticle, Organisation, Problem,
    ProblemIncident, Service, ServiceVersion,
)
from desk.services import sla, sla_terms, sla_views
from desk.services.compiled import fetch_all, fetch_one, to_python
from desk.services.request_links import linked_requests
from desk.services.views import ArticleRef, HistoryEntry, IncidentDetail

ENTITY = "incident"

# Its targets and service hours: the catalogue version it was raised under (its service's version in
# force when none was stored: an incident from before schema 13 whose service had none then). Its
# clock also stops when it is closed unresolved (turned into a service request).
CLOCK = sla.Clocked(flow.OPEN, version="service_version_id", closed="closed_at")


# --- names for ids ----------------------------------------------------------------------------

def groups(desk, refresh: bool = False) -> dict[int, tuple[str, int, str]]:
    """id -> (code, tier, kind): a handful of rows, read once per handle (again on a miss)."""
    found = desk.cache.get("groups")
    if found is None or refresh:
        found = {g.id: (g.code, g.tier, g.kind) for g in Group.select(Group.id, Group.code, Group.tier, Group.kind)}
        desk.cache["groups"] = found
    return found


def group_info(desk, group_id) -> tuple[str, int, str] | None:
    if group_id is None:
        return None
    return groups(desk).get(group_id) or groups(desk, refresh=True).get(group_id)


def group_code(desk, group_id) -> str | None:
    info = group_info(desk, group_id)
    return info[0] if info else (None if group_id is None else str(group_id))


def agent_login(desk, agent_id) -> str | None:
    """Logins never change, so an id -> login map only grows."""
    if agent_id is None:
        return None
    logins = desk.cache.setdefault("logins", {})
    login = logins.get(agent_id)
    if login is None:
        agent = Agent.select(Agent.login).where(Agent.id == agent_id).first()
        login = agent.login if agent else str(agent_id)
        logins[agent_id] = login
    return login


# --- one incident -----------------------------------------------------------------------------

_INCIDENT_FIELDS = tuple(Incident._meta.sorted_fields)
# what the joins add: its caller, organisation, service and version, the change that caused it and
# the problem it is linked to (one of each at most: change_incident.incident and
# problem_incident.incident are unique)
_DETAIL_EXTRA = (Caller.name, Caller.phone, Organisation.name, Service.code, ServiceVersion.number, Change.id,
                 Change.title, Problem.id, Problem.title, Problem.status)
_HISTORY_FIELDS = (History.seq, History.at, History.actor, History.action, History.changes, History.note)


def get(desk, incident_id: int, with_history: bool = True) -> IncidentDetail:
    """One incident with everything a detail view shows. `with_history=False` (what the
    transitions return) skips the history and the linked articles: one joined query."""
    row = fetch_one(desk, "incident.detail", lambda: (
        Incident.select(*_INCIDENT_FIELDS, *_DETAIL_EXTRA)
        .join(Caller, JOIN.LEFT_OUTER, on=(Incident.caller == Caller.id))
        .switch(Incident).join(Organisation, JOIN.LEFT_OUTER, on=(Incident.organisation == Organisation.id))
        .switch(Incident).join(Service, JOIN.LEFT_OUTER, on=(Incident.service == Service.id))
        .switch(Incident).join(ServiceVersion, JOIN.LEFT_OUTER, on=(Incident.service_version == ServiceVersion.id))
        .switch(Incident).join(ChangeIncident, JOIN.LEFT_OUTER, on=(ChangeIncident.incident == Incident.id))
        .join(Change, JOIN.LEFT_OUTER, on=(ChangeIncident.change == Change.id))
        .switch(Incident).join(ProblemIncident, JOIN.LEFT_OUTER, on=(ProblemIncident.incident == Incident.id))
        .join(Problem, JOIN.LEFT_OUTER, on=(ProblemIncident.problem == Problem.id))
        .where(Incident.id == 0)), (incident_id,))
    if row is None:
        raise NotFound(kind=ENTITY, id=incident_id)
    inc = Incident(**to_python(_INCIDENT_FIELDS, row))
    (caller_name, caller_phone, org_name, service_code, version_number, change_id, change_title, problem_id,
     problem_title, problem_status) = row[len(_INCIDENT_FIELDS):]
    entries: list[HistoryEntry] = []
    articles: list[ArticleRef] = []
    if with_history:
        rows = fetch_all(desk, "incident.history", lambda: (
            History.select(*_HISTORY_FIELDS)
            .where((History.entity == ENTITY) & (History.entity_id == 0)).order_by(History.seq)),
            (ENTITY, incident_id))
        for r in rows:
            h = to_python(_HISTORY_FIELDS, r)
            entries.append(HistoryEntry(h["seq"], h["at"], agent_login(desk, h["actor"]) or "", h["action"],
                                        json.loads(h["changes"] or "{}"), h["note"]))
        articles = [ArticleRef(a.id, a.title, a.faq_category, a.status) for a in
                    Article.select().join(IncidentArticle).where(IncidentArticle.incident == incident_id)]
    return IncidentDetail(
        id=inc.id, title=inc.title, description=inc.description, source=inc.source,
        classification=inc.classification, caller=caller_name or "", caller_phone=caller_phone or "",
        organisation=org_name or "", service=service_code or "", category=inc.category, impact=inc.impact,
        urgency=inc.urgency, priority=inc.priority, status=inc.status, tier=inc.tier,
        group=group_code(desk, inc.group_id) or "",
        assignee=agent_login(desk, inc.assignee_id) or "", owner=agent_login(desk, inc.owner_id) or "",
        vendor_ref=inc.vendor_ref, escalation_level=inc.escalation_level, reopen_count=inc.reopen_count,
        started_at=inc.started_at, opened_at=inc.opened_at, first_response_at=inc.first_response_at,
        resolved_at=inc.resolved_at, confirmed_at=inc.confirmed_at, closed_at=inc.closed_at,
        updated_at=inc.updated_at, due_at=inc.due_at, closure_code=inc.closure_code, resolution=inc.resolution,
        resolved_by=agent_login(desk, inc.resolved_by_id) or "", version=inc.version,
        checklist=[(item.key, item.done) for item in checklist(
            caller=caller_name, organisation=org_name, service=service_code, description=inc.description,
            impact=inc.impact, urgency=inc.urgency, started_at=inc.started_at)],
        history=entries, articles=articles, external_ref=inc.external_ref or "", service_version=version_number,
        sla=sla_views.incident_sla(desk, incident_id) if with_history else None,
        response_minutes=getattr(desk.config.sla.targets(inc.priority, sla_terms.terms_of(desk, CLOCK, inc).sla),
                                 "response_minutes", None) if with_history else None,  # its version's target
        requests=linked_requests(incident_id) if with_history else (),
        caused_by_change=(change_id, change_title) if change_id is not None else None,
        problem=(problem_id, problem_title, problem_status) if problem_id is not None else None,
        alerts=_alerts(desk, incident_id, inc.source) if with_history else (),
    )


def _alerts(desk, incident_id: int, source: str) -> tuple:
    """Its monitoring alerts. Only an alert opens an incident of the monitoring source and repeats
    join only the incident their fingerprint opened, so any other incident has none: no query."""
    from desk.services import alerts  # (it imports the incident services, which import this module)

    return tuple(alerts.for_incident(desk, incident_id)) if source == alerts.SOURCE else ()
