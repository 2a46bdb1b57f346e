"""Incident use cases: the only code that changes incidents.

Each action: resolve the actor, check permission, apply the domain rule, then in one
IMMEDIATE transaction write the change guarded by the version (optimistic lock) and append
the history row. A refused action writes nothing but a refusal record.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import datetime

from peewee import JOIN

from desk.db import write_transaction
from desk.domain import incident_flow as flow
from desk.domain.checklist import checklist
from desk.domain.errors import NotAllowed, NotFound, ValidationError
from desk.domain.permissions import may_assign_within
from desk.models import (
    Agent, Article, Caller, Group, History, Incident, IncidentArticle, Organisation, Service, ServiceVersion,
)
from desk.services import actors, catalogue, history, records, sla, sla_views
from desk.services.compiled import fetch_all, fetch_one, to_python
from desk.services.request_links import linked_requests
from desk.services.views import ArticleRef, HistoryEntry, IncidentDetail

ENTITY = "incident"
MAX_TITLE = 500
MAX_TEXT = records.MAX_TEXT

# Fields recorded in history as old -> new (timestamps are implied by the action).
TRACKED = ("status", "tier", "group", "assignee", "closure_code", "escalation_level", "reopen_count", "priority",
           "impact", "urgency", "category")


# --- lookups ----------------------------------------------------------------------------------

def _group(code: str) -> Group:
    _text(code, "group", 200)
    group = Group.get_or_none(Group.code == code)
    if group is None:
        raise ValidationError("error.unknown_group", code=code)
    return group


def _agent(login: str) -> Agent:
    _text(login, "to", 200)
    agent = Agent.get_or_none((Agent.login == login) & (Agent.active == True))  # noqa: E712
    if agent is None:
        raise ValidationError("error.unknown_agent", login=login)
    return agent


def _groups(desk, refresh: bool = False) -> dict[int, tuple[str, int, str]]:
    """id -> (code, tier, kind): a handful of rows, read once per handle (again on a miss)."""
    groups = desk.cache.get("groups")
    if groups is None or refresh:
        groups = {g.id: (g.code, g.tier, g.kind) for g in Group.select(Group.id, Group.code, Group.tier, Group.kind)}
        desk.cache["groups"] = groups
    return groups


def _group_info(desk, group_id) -> tuple[str, int, str] | None:
    if group_id is None:
        return None
    info = _groups(desk).get(group_id) or _groups(desk, refresh=True).get(group_id)
    return info


def _group_code(desk, group_id) -> str | None:
    info = _group_info(desk, group_id)
    return info[0] if info else (None if group_id is None else str(group_id))


def _agent_login(desk, agent_id) -> str | None:
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


def _ref(group: Group) -> flow.GroupRef:
    return flow.GroupRef(group.id, group.tier, group.kind)


def _state(desk, inc: Incident) -> flow.IncidentState:
    resolved = _group_info(desk, inc.resolved_group_id)
    resolved_tier = resolved[1] if resolved else None
    return flow.IncidentState(
        status=inc.status,
        tier=inc.tier,
        group_id=inc.group_id,
        assignee_id=inc.assignee_id,
        resolved_by_id=inc.resolved_by_id,
        resolved_group_id=inc.resolved_group_id,
        resolved_tier=resolved_tier,
        resolved_at=inc.resolved_at,
        confirmed_at=inc.confirmed_at,
        closure_code=inc.closure_code,
        first_response_at=inc.first_response_at,
        reopen_count=inc.reopen_count,
        escalation_level=inc.escalation_level,
    )


def _recorded(desk, name: str, value):
    """What history records for a tracked field's value: groups by code, agents by login."""
    if name == "group":
        return _group_code(desk, value)
    if name == "assignee":
        return _agent_login(desk, value)
    return value


# Its targets and service hours: the catalogue version it was raised under (its service's version in
# force when none was stored: an incident from before schema 13 whose service had none then). Its
# clock also stops when it is closed unresolved (turned into a service request).
CLOCK = sla.Clocked(flow.OPEN, version="service_version_id", closed="closed_at")
KIND = records.Kind(ENTITY, Incident, TRACKED, _recorded, clock=CLOCK)
_text = records.text


def due_at(desk, opened_at: datetime, priority: int, service_id: int | None = None,
           version_id: int | None = None) -> datetime | None:
    """The resolution due time of a new incident: business time on its service version's calendar."""
    row = Incident(opened_at=opened_at, priority=priority, service=service_id, service_version=version_id,
                   resolved_at=None)
    return sla.due_for(desk, CLOCK, row)


# --- the shared write path ----------------------------------------------------------------------

def _guarded(desk, login: str | None, action: str, entity_id: int | None, work: Callable):
    return records.guarded(desk, login, action, ENTITY, entity_id, work)


def _transition(desk, login: str | None, incident_id: int, action: str, permission: str,
                expect_version: int | None, plan: Callable, scoped: bool = True):
    """The shared write path (desk.services.records) with the incident's workflow state handed
    to its planner; returns the incident as written."""
    records.transition(desk, KIND, login, incident_id, action, permission, expect_version,
                       lambda actor, inc, now: plan(actor, _state(desk, inc), now, inc), scoped=scoped)
    return get(desk, incident_id, with_history=False)


# --- creation ----------------------------------------------------------------------------------

def create(desk, login: str | None = None, *, title: str, impact: int, urgency: int, caller: str | None = None,
           organisation: str | None = None, category: str | None = None, source: str | None = None,
           service: str | None = None, description: str = "", classification: str = "incident",
           group: str | None = None, started_at: datetime | None = None) -> IncidentDetail:
    config = desk.config
    title = _text(title, "title", MAX_TITLE, required=True)
    description = _text(description, "description", MAX_TEXT)
    caller = _text(caller, "caller", 200)
    _text(organisation, "organisation", 200)
    _text(service, "service", 200)
    category = category or "other"
    source = source or config.data["incident"]["default_source"]
    for table, code in (("category", category), ("source", source), ("classification", classification)):
        if code not in config.codes(table):
            raise ValidationError("error.unknown_code", table=table, code=code)
    priority = config.matrix.priority(impact, urgency)

    def work(actor: actors.Actor):
        actors.require(actor, "incident.create")
        with write_transaction(desk.db):
            inc = insert(desk, actor, desk.now(), title=title, description=description, source=source,
                         classification=classification, caller=caller, organisation=organisation, service=service,
                         category=category, impact=impact, urgency=urgency, priority=priority, group=group,
                         started_at=started_at)
        return get(desk, inc.id)

    return _guarded(desk, login, "incident.create", None, work)


def insert(desk, actor: actors.Actor, now: datetime, *, title: str, description: str, source: str,
           classification: str, caller: str, organisation: str | None, service: str | None, category: str,
           impact: int, urgency: int, priority: int, group: str | None, started_at: datetime | None,
           recorded: dict | None = None, note: str = "") -> Incident:
    """The new incident's row, its SLA clock and its history row, inside the caller's transaction
    (`create`, or a request turned into an incident). Fields are checked by the caller;
    `recorded` adds to the history row (where it came from)."""
    config = desk.config
    org = None
    if organisation:
        org = Organisation.get_or_none(Organisation.name == organisation)
        if org is None:
            raise ValidationError("error.unknown_org", name=organisation)
    person = None
    if caller.strip():
        query = Caller.select().where(Caller.name == caller.strip())
        if org is not None:
            query = query.where(Caller.organisation == org)
        person = query.first()
        if person is None:
            person = Caller.create(name=caller.strip(), organisation=org)
        if org is None:
            org = person.organisation
    svc = None
    if service:
        svc = Service.get_or_none(Service.code == service)
        if svc is None:
            raise ValidationError("error.unknown_service", code=service)
    grp = _group(group or config.data["incident"]["default_group"])
    terms = catalogue.service_version(desk, svc.id, at=now) if svc else None  # the version it keeps
    version_id = terms.version_id if terms else None
    inc = Incident.create(
        title=title, description=description, source=source, classification=classification,
        caller=person, organisation=org, service=svc, service_version=version_id, category=category, impact=impact,
        urgency=urgency, priority=priority, status=flow.NEW, tier=grp.tier, group=grp,
        owner=actor.id, started_at=started_at, opened_at=now,
        first_response_at=None if source == "monitoring" else now,
        updated_at=now, due_at=due_at(desk, now, priority, svc.id if svc else None, version_id), version=1,
    )
    records.created(desk, KIND, inc.id, now)
    history.append(ENTITY, inc.id, actor.id, "create",
                   {"status": [None, flow.NEW], "priority": [None, priority], "group": [None, grp.code],
                    **(recorded or {})}, note, now, desk=desk)
    return inc


# --- transitions -------------------------------------------------------------------------------

def assign(desk, login, incident_id: int, *, to: str | None = None, group: str | None = None,
           expect_version: int | None = None, note: str = ""):
    """Assign to an agent (login, or 'me'), to a group, or both."""
    _text(note, "note", MAX_TEXT)

    def plan(actor, state, now, inc):
        agent = _agent(actor.login if to == "me" else to) if to else None
        grp = _group(group) if group else None
        if state.assignee_id not in (None, actor.id) and (agent is None or agent.id != state.assignee_id):
            actors.require(actor, "incident.reassign")  # taking a ticket from another agent
        target_group = grp.id if grp else (agent.group_id if agent else None)
        if not may_assign_within(actor.roles, actor.group_id, target_group):
            raise NotAllowed("error.not_your_group", login=actor.login, action="incident.assign")
        if agent is not None and grp is None and agent.group_id and agent.group_id != state.group_id:
            grp = Group.get_by_id(agent.group_id)
        changes = flow.plan_assign(state, now, agent.id if agent else None, _ref(grp) if grp else None)
        if note:
            changes["_note"] = note
        return changes

    return _transition(desk, login, incident_id, "assign", "incident.assign", expect_version, plan)


def start(desk, login, incident_id: int, *, expect_version: int | None = None):
    return _transition(desk, login, incident_id, "start", "incident.start", expect_version,
                       lambda actor, state, now, inc: flow.plan_start(state, now, actor.id))


def escalate(desk, login, incident_id: int, *, to: str | None = None, reason: str | None = None,
             hierarchical: bool = False, expect_version: int | None = None):
    """Functional escalation to a group of the next tier; hierarchical raises it to the managers."""
    _text(reason, "reason", MAX_TEXT)
    if hierarchical:
        return _transition(desk, login, incident_id, "escalate_hierarchical", "incident.escalate_hierarchical",
                           expect_version, lambda actor, state, now, inc: flow.plan_escalate_hierarchical(state, now, reason),
                           scoped=False)

    def plan(actor, state, now, inc):
        if not to:
            raise ValidationError("error.required", field="to")
        return flow.plan_escalate(state, now, _ref(_group(to)), reason)

    return _transition(desk, login, incident_id, "escalate", "incident.escalate", expect_version, plan)


def return_(desk, login, incident_id: int, *, to: str | None = None, reason: str | None = None,
            expect_version: int | None = None):
    """Second line or vendor hands it back a tier (default: the service desk group)."""
    _text(reason, "reason", MAX_TEXT)

    def plan(actor, state, now, inc):
        target = to or desk.config.data["incident"]["default_group"]
        return flow.plan_return(state, now, _ref(_group(target)), reason)

    return _transition(desk, login, incident_id, "return", "incident.return", expect_version, plan)


def resolve(desk, login, incident_id: int, *, code: str | None, note: str | None,
            expect_version: int | None = None):
    _text(note, "note", MAX_TEXT)
    return _transition(desk, login, incident_id, "resolve", "incident.resolve", expect_version,
                       lambda actor, state, now, inc: flow.plan_resolve(state, now, actor.id, code, note,
                                                                        desk.config.closure_codes))


def confirm(desk, login, incident_id: int, *, note: str = "", expect_version: int | None = None):
    _text(note, "note", MAX_TEXT)
    def plan(actor, state, now, inc):
        changes = flow.plan_confirm(state, now)
        if note:
            changes["_note"] = note
        return changes

    return _transition(desk, login, incident_id, "confirm", "incident.confirm", expect_version, plan, scoped=False)


def reopen(desk, login, incident_id: int, *, reason: str | None, expect_version: int | None = None):
    _text(reason, "reason", MAX_TEXT)
    return _transition(desk, login, incident_id, "reopen", "incident.reopen", expect_version,
                       lambda actor, state, now, inc: flow.plan_reopen(state, now, reason), scoped=False)


def close(desk, login, incident_id: int, *, code: str | None = None, confirmed: bool = False,
          expect_version: int | None = None):
    """Close a resolved incident. `confirmed`: the agent records the caller's confirmation (200.9)
    first, unless it is already recorded: both steps are one transaction, so a failure in either
    leaves the incident as it was."""
    def plan_confirm(actor, inc, now):
        state = _state(desk, inc)
        return None if state.confirmed_at is not None and state.status == flow.RESOLVED else flow.plan_confirm(state, now)

    def plan_close(actor, inc, now):
        return flow.plan_close(_state(desk, inc), now, code, desk.config.closure_codes, desk.config.auto_confirm_days)

    steps = [records.Step("close", "incident.close", plan_close, scoped=False)]
    if confirmed:
        steps.insert(0, records.Step("confirm", "incident.confirm", plan_confirm, scoped=False))
    records.steps(desk, KIND, login, incident_id, expect_version, steps)
    return get(desk, incident_id, with_history=False)


def note(desk, login, incident_id: int, *, text: str | None, expect_version: int | None = None):
    _text(text, "text", MAX_TEXT)
    return _transition(desk, login, incident_id, "note", "incident.note", expect_version,
                       lambda actor, state, now, inc: flow.plan_note(state, now, text))


# --- reading -----------------------------------------------------------------------------------

_INCIDENT_FIELDS = tuple(Incident._meta.sorted_fields)
_DETAIL_EXTRA = (Caller.name, Caller.phone, Organisation.name, Service.code, ServiceVersion.number)
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
        .where(Incident.id == 0)), (incident_id,))
    if row is None:
        raise NotFound(kind=ENTITY, id=incident_id)
    inc = Incident(**to_python(_INCIDENT_FIELDS, row))
    caller_name, caller_phone, org_name, service_code, version_number = row[len(_INCIDENT_FIELDS):]
    entries: list[HistoryEntry] = []
    articles: list[ArticleRef] = []
    if with_history:
        rows = fetch_all(desk, "incident.history", lambda: (
            History.select(*_HISTORY_FIELDS)
            .where((History.entity == ENTITY) & (History.entity_id == 0)).order_by(History.seq)),
            (ENTITY, incident_id))
        for r in rows:
            h = to_python(_HISTORY_FIELDS, r)
            entries.append(HistoryEntry(h["seq"], h["at"], _agent_login(desk, h["actor"]) or "", h["action"],
                                        json.loads(h["changes"] or "{}"), h["note"]))
        articles = [ArticleRef(a.id, a.title, a.faq_category, a.status) for a in
                    Article.select().join(IncidentArticle).where(IncidentArticle.incident == incident_id)]
    return IncidentDetail(
        id=inc.id, title=inc.title, description=inc.description, source=inc.source,
        classification=inc.classification, caller=caller_name or "", caller_phone=caller_phone or "",
        organisation=org_name or "", service=service_code or "", category=inc.category, impact=inc.impact,
        urgency=inc.urgency, priority=inc.priority, status=inc.status, tier=inc.tier,
        group=_group_code(desk, inc.group_id) or "",
        assignee=_agent_login(desk, inc.assignee_id) or "", owner=_agent_login(desk, inc.owner_id) or "",
        vendor_ref=inc.vendor_ref, escalation_level=inc.escalation_level, reopen_count=inc.reopen_count,
        started_at=inc.started_at, opened_at=inc.opened_at, first_response_at=inc.first_response_at,
        resolved_at=inc.resolved_at, confirmed_at=inc.confirmed_at, closed_at=inc.closed_at,
        updated_at=inc.updated_at, due_at=inc.due_at, closure_code=inc.closure_code, resolution=inc.resolution,
        resolved_by=_agent_login(desk, inc.resolved_by_id) or "", version=inc.version,
        checklist=[(item.key, item.done) for item in checklist(
            caller=caller_name, organisation=org_name, service=service_code, description=inc.description,
            impact=inc.impact, urgency=inc.urgency, started_at=inc.started_at)],
        history=entries, articles=articles, external_ref=inc.external_ref or "", service_version=version_number,
        sla=sla_views.incident_sla(desk, incident_id) if with_history else None,
        response_minutes=getattr(desk.config.sla.targets(inc.priority, sla.terms_of(desk, CLOCK, inc).sla),
                                 "response_minutes", None) if with_history else None,  # its version's target
        requests=linked_requests(incident_id) if with_history else (),
    )


def link_article(desk, login, incident_id: int, article_id: int) -> None:
    def work(actor):
        actors.require(actor, "incident.note")
        with write_transaction(desk.db):
            if Incident.get_or_none(Incident.id == incident_id) is None:
                raise NotFound(kind=ENTITY, id=incident_id)
            if Article.get_or_none(Article.id == article_id) is None:
                raise NotFound(kind="article", id=article_id)
            IncidentArticle.insert(incident=incident_id, article=article_id).on_conflict_ignore().execute()

    return _guarded(desk, login, "incident.link_article", incident_id, work)
