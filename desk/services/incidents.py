"""Incident use cases: the only code that changes incidents.

Each action: resolve the actor, check permission, apply the domain rule, then in one
IMMEDIATE transaction write the change guarded by the version (optimistic lock) and append
the history row. A refused action writes nothing but a refusal record. Reading an incident
(`get`) and the names for ids are in desk/services/incident_reads.py.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from desk.db import write_transaction
from desk.domain import incident_flow as flow
from desk.domain.errors import NotAllowed, NotFound, ValidationError
from desk.domain.permissions import may_assign_within
from desk.models import Agent, Article, Caller, Group, Incident, IncidentArticle, Organisation, Service
from desk.services import actors, catalogue, history, records, sla
# the reading half (desk/services/incident_reads.py), re-exported: incidents.get, .ENTITY, .CLOCK
from desk.services.incident_reads import CLOCK, ENTITY, agent_login, get, group_code, group_info
from desk.services.views import IncidentDetail

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


def _ref(group: Group) -> flow.GroupRef:
    return flow.GroupRef(group.id, group.tier, group.kind)


def _state(desk, inc: Incident) -> flow.IncidentState:
    resolved = group_info(desk, inc.resolved_group_id)
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
        return group_code(desk, value)
    if name == "assignee":
        return agent_login(desk, value)
    return value


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
        if agent is not None and grp is not None and agent.group_id not in (None, grp.id):
            # (the assignee could not then touch it: the group scope reads the incident's group)
            label = desk.config.label
            raise ValidationError("error.assignee_group", login=agent.login, group=label("group", grp.code, desk.lang),
                                  own=label("group", Group.get_by_id(agent.group_id).code, desk.lang))
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
