"""Change (RFC) use cases: the only code that changes changes (seed 004 §4.1).

Every change goes through desk.services.records (actor → permission → the rule in
desk.domain.change_flow → one IMMEDIATE transaction with the version check → the history row).
An approver's decision is a history row of the change plus a ChangeApproval row, in the same
transaction; the change advisory board (CAB) and its rule come from config ([change] in
config/changes.toml). The calendar and the catalogue's check are in change_calendar.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime

from desk.db import write_transaction
from desk.domain import change_flow as flow
from desk.domain import change_freeze
from desk.domain.errors import NotFound, ValidationError
from desk.domain.roles import APPROVER, LEAD
from desk.models import Agent, Change, ChangeApproval, ChangeIncident, Problem
from desk.services import actors, history, incidents, linking, records
from desk.services.problem_change_views import ChangeDetail, ChangeRow, Decision
from desk.timefmt import local, zone

ENTITY = "change"
MAX_TITLE = 500
TRACKED = ("status", "type", "risk", "outcome", "planned_start", "planned_end", "approved_via", "implementer")


def _recorded(desk, name: str, value):
    if name == "implementer":
        return linking.agent_login(desk, value)
    if isinstance(value, datetime):
        return value.isoformat(timespec="minutes")
    return value


KIND = records.Kind(ENTITY, Change, TRACKED, _recorded, scope=None)


def _state(row: Change) -> flow.ChangeState:
    return flow.ChangeState(row.status, row.type, row.requester_id, row.template, row.reason, row.risk, row.impact,
                            row.implementation_plan, row.backout_plan, row.planned_start, row.planned_end,
                            row.approved_via)


def _transition(desk, login, change_id: int, action: str, permission: str, expect_version, plan, after=None):
    records.transition(desk, KIND, login, change_id, action, permission, expect_version,
                       lambda actor, row, now: plan(actor, _state(row), now, row), scoped=False, after=after)
    return get(desk, change_id)


# --- the change advisory board -----------------------------------------------------------------------

def board(desk) -> flow.Board:
    """The CAB's members (agent ids) and rule: the logins config names, else every active
    agent with the approver role."""
    logins = [str(x) for x in desk.config.change_setting("cab", [])] or sorted(linking.logins_of_role(APPROVER))
    members = frozenset(a.id for a in Agent.select(Agent.id).where(Agent.login.in_(logins) & (Agent.active == True)))  # noqa: E712
    return flow.Board(members, desk.config.change_setting("approval", "any"))


# --- creation -----------------------------------------------------------------------------------------

def create(desk, login: str | None = None, *, title: str, type: str = flow.NORMAL, description: str = "",
           reason: str = "", template: str = "", services: str = "", items: str = "", risk: str = "",
           impact: str = "", implementation_plan: str = "", backout_plan: str = "", test_plan: str = "",
           planned_start: datetime | None = None, planned_end: datetime | None = None) -> ChangeDetail:
    """A new change in draft. A standard change names its template (its title, services and
    plan come from the template where not given)."""
    title_given = records.text(title, "title", MAX_TITLE)
    texts = {name: records.text(value, name) for name, value in (
        ("description", description), ("reason", reason), ("services", services), ("items", items),
        ("impact", impact), ("implementation_plan", implementation_plan), ("backout_plan", backout_plan),
        ("test_plan", test_plan))}
    records.text(template, "template", 200)
    if type not in flow.TYPES:
        raise ValidationError("change.error.unknown_type", code=type)
    if risk and risk not in flow.RISKS:
        raise ValidationError("change.error.unknown_risk", code=risk)
    if type == flow.STANDARD:
        found = desk.config.change_templates.get(template)
        if found is None:
            raise ValidationError("change.error.unknown_template", code=template or "—")
        title_given = title_given if title_given.strip() else found.get(desk.lang) or found["en"]
        texts["services"] = texts["services"] or found.get("service", "")
        risk = risk or "low"
    elif template:
        raise ValidationError("change.error.template_not_standard")
    if not title_given.strip():
        raise ValidationError("error.required", field="title")

    def work(actor: actors.Actor):
        actors.require(actor, "change.create")
        flow.check_window(planned_start, planned_end)  # (inside `guarded`: its times said in the desk's zone)
        with write_transaction(desk.db):
            now = desk.now()
            row = Change.create(title=title_given, type=type, template=template, risk=risk, status=flow.DRAFT,
                                planned_start=planned_start, planned_end=planned_end, requester=actor.id,
                                created_at=now, updated_at=now, version=1, **texts)
            recorded = {"status": [None, flow.DRAFT], "type": [None, type]}
            if template:
                recorded["template"] = [None, template]
            history.append(ENTITY, row.id, actor.id, "create", recorded, "", now, desk=desk)
        return get(desk, row.id)

    return records.guarded(desk, login, "change.create", ENTITY, None, work)


# --- the workflow ---------------------------------------------------------------------------------------

def submit(desk, login, change_id: int, *, expect_version: int | None = None) -> ChangeDetail:
    """Draft → assessment (normal), → awaiting approval (emergency), → approved (standard)."""
    templates = frozenset(desk.config.change_templates)
    return _transition(desk, login, change_id, "submit", "change.create", expect_version,
                       lambda actor, state, now, row: flow.plan_submit(state, now, templates))


def assess(desk, login, change_id: int, *, risk: str | None = None, impact: str | None = None,
           implementation_plan: str | None = None, backout_plan: str | None = None, test_plan: str | None = None,
           expect_version: int | None = None) -> ChangeDetail:
    for name, value in (("impact", impact), ("implementation_plan", implementation_plan),
                        ("backout_plan", backout_plan), ("test_plan", test_plan)):
        records.text(value, name)
    return _transition(desk, login, change_id, "assess", "change.assess", expect_version,
                       lambda actor, state, now, row: flow.plan_assess(state, now, risk, impact, implementation_plan,
                                                                       backout_plan, test_plan))


def _decide(desk, login, change_id: int, decision: str, note: str, expect_version):
    records.text(note, "note")
    cab = board(desk)

    def plan(actor, state, now, row):
        decided = {d.agent_id: d.decision for d in ChangeApproval.select().where(ChangeApproval.change == row.id)}
        changes = flow.plan_decide(state, now, actor.id, LEAD in actor.roles, decision, cab, decided)
        if decision == "approve" and state.type != flow.STANDARD:  # a freeze refuses it (an emergency: recorded)
            _merge(changes, _freeze(desk, state.type, state.planned_start, state.planned_end))
        if note:
            changes["_note"] = note
        return changes

    def after(actor, row, changes, now):
        ChangeApproval.create(change=row.id, agent=actor.id, decision=decision, at=now, note=note or "")

    return _transition(desk, login, change_id, decision, "change.approve", expect_version, plan, after=after)


def approve(desk, login, change_id: int, *, note: str = "", expect_version: int | None = None) -> ChangeDetail:
    """One approver's approval; the change is approved once the CAB's rule is met (see
    desk.domain.change_flow.plan_decide). Approving one's own change is refused (and recorded)."""
    return _decide(desk, login, change_id, "approve", note, expect_version)


def reject(desk, login, change_id: int, *, note: str = "", expect_version: int | None = None) -> ChangeDetail:
    if not (note or "").strip():
        raise ValidationError("error.required", field="note")
    return _decide(desk, login, change_id, "reject", note, expect_version)


def _freeze(desk, change_type: str, start, end) -> dict:
    """change_freeze.check on a stored (UTC) window: freezes are written in the desk's wall time
    ([sla] timezone, as every time a user types), so the window is compared in that time."""
    tz = zone(desk.config)
    return change_freeze.check(desk.config.change_freezes, change_type, local(start, tz), local(end, tz))


def _merge(changes: dict, more: dict) -> dict:
    for name, value in more.items():
        if name == "_recorded":
            changes.setdefault("_recorded", {}).update(value)
        else:
            changes[name] = value
    return changes


def schedule(desk, login, change_id: int, *, start: datetime | None = None, end: datetime | None = None,
             expect_version: int | None = None) -> ChangeDetail:
    """Fix the planned window. One that overlaps a change freeze is refused, naming the freeze;
    an emergency change goes ahead and its history records the freeze."""
    def plan(actor, state, now, row):
        changes = flow.plan_schedule(state, now, start, end)
        return _merge(changes, _freeze(desk, state.type, changes["planned_start"], changes["planned_end"]))

    return _transition(desk, login, change_id, "schedule", "change.implement", expect_version, plan)


def start(desk, login, change_id: int, *, expect_version: int | None = None) -> ChangeDetail:
    return _transition(desk, login, change_id, "start", "change.implement", expect_version,
                       lambda actor, state, now, row: flow.plan_start(state, now, actor.id))


def review(desk, login, change_id: int, *, outcome: str | None, note: str = "",
           expect_version: int | None = None) -> ChangeDetail:
    """Implementation over: its outcome (successful, failed, backed out) is recorded."""
    records.text(note, "note")
    return _transition(desk, login, change_id, "review", "change.implement", expect_version,
                       lambda actor, state, now, row: flow.plan_review(state, now, outcome, note))


def close(desk, login, change_id: int, *, review: str | None, expect_version: int | None = None) -> ChangeDetail:
    """The post-implementation review closes the change."""
    records.text(review, "review")
    cab = board(desk)
    return _transition(desk, login, change_id, "close", "change.close", expect_version,
                       lambda actor, state, now, row: flow.plan_close(state, now, review, actor.id in cab.members))


def _incidents_plan(action: str, ids: list[int], recorded: list):
    """Linking or unlinking incidents: allowed from the change's status, at least one incident."""
    def plan(actor, state, now, row):
        flow.require_from(action, state.status)
        if not ids:
            raise ValidationError("error.required", field="incidents")
        return {"_recorded": {"incidents": recorded}}

    return plan


def link_incident(desk, login, change_id: int, incident_ids: Iterable[int], *, expect_version: int | None = None,
                  incident_versions: dict[int, int] | None = None) -> ChangeDetail:
    """Incidents caused by this change: recorded in both histories, each side version-checked."""
    ids = linking.incident_ids(incident_ids)
    versions = dict(incident_versions or {})

    plan = _incidents_plan("link_incident", ids, [None, ids])

    def after(actor, row, changes, now):
        for incident_id in ids:
            held = ChangeIncident.get_or_none(ChangeIncident.incident == incident_id)
            if held is not None:
                raise ValidationError("change.error.already_linked", id=incident_id, change=held.change_id)
            records.linked(desk, incidents.KIND, incident_id, versions.get(incident_id), actor.id,
                           "caused_by_change", {"caused_by_change": [None, row.id]}, "", now)
            ChangeIncident.create(change=row.id, incident=incident_id, at=now)

    return _transition(desk, login, change_id, "link_incident", "change.link_incident", expect_version, plan,
                       after=after)


def unlink_incident(desk, login, change_id: int, incident_ids: Iterable[int], *,
                    expect_version: int | None = None, incident_versions: dict[int, int] | None = None) -> ChangeDetail:
    """The change did not cause these incidents after all: both histories record it, each side
    version-checked. All or nothing: an incident not recorded against this change refuses it."""
    ids = linking.incident_ids(incident_ids)
    versions = dict(incident_versions or {})

    plan = _incidents_plan("unlink_incident", ids, [ids, None])

    def after(actor, row, changes, now):
        linking.unlink_incidents(desk, ChangeIncident, "change", row.id, ids, versions, actor,
                                 "not_caused_by_change", "caused_by_change", now)

    return _transition(desk, login, change_id, "unlink_incident", "change.link_incident", expect_version, plan,
                       after=after)


def causing(desk, limit: int = 200) -> list[ChangeRow]:
    """The changes an incident can be recorded against (work on them began), latest first."""
    rows = (Change.select().where(Change.status.in_(sorted(flow.CAUSING)))
            .order_by(Change.id.desc()).limit(limit))
    return [row_view(desk, r) for r in rows]


# --- reading --------------------------------------------------------------------------------------------

def row_view(desk, r: Change) -> ChangeRow:
    return ChangeRow(r.id, r.type, r.status, r.title, r.services, r.risk, r.planned_start, r.planned_end,
                     linking.agent_login(desk, r.requester_id) or "", r.outcome, r.updated_at, r.version)


def get(desk, change_id: int, with_history: bool = True) -> ChangeDetail:
    r = Change.get_or_none(Change.id == change_id)
    if r is None:
        raise NotFound(kind=ENTITY, id=change_id)
    login = lambda agent_id: linking.agent_login(desk, agent_id) or ""  # noqa: E731
    decisions = [Decision(login(d.agent_id), d.decision, d.at, d.note) for d in
                 ChangeApproval.select().where(ChangeApproval.change == change_id).order_by(ChangeApproval.id)]
    caused = [c.incident_id for c in ChangeIncident.select(ChangeIncident.incident)
              .where(ChangeIncident.change == change_id)]
    fixed = [p.id for p in Problem.select(Problem.id).where(Problem.fix_change == change_id).order_by(Problem.id)]
    return ChangeDetail(
        id=r.id, title=r.title, description=r.description, reason=r.reason, type=r.type, template=r.template,
        services=r.services, items=r.items, risk=r.risk, impact=r.impact, implementation_plan=r.implementation_plan,
        backout_plan=r.backout_plan, test_plan=r.test_plan, planned_start=r.planned_start, planned_end=r.planned_end,
        actual_start=r.actual_start, actual_end=r.actual_end, status=r.status, outcome=r.outcome, review=r.review,
        approved_via=r.approved_via, requester=login(r.requester_id), implementer=login(r.implementer_id),
        created_at=r.created_at, approved_at=r.approved_at, closed_at=r.closed_at, updated_at=r.updated_at,
        version=r.version, decisions=decisions, incidents=linking.briefs(caused), problems=fixed,
        history=linking.history_entries(desk, ENTITY, change_id) if with_history else ())


def list_(desk, *, statuses: Iterable[str] = (), types: Iterable[str] = (), limit: int = 50,
          offset: int = 0) -> tuple[int, list[ChangeRow]]:
    """(how many match, a page of them): newest first."""
    query = Change.select()
    statuses, types = list(statuses), list(types)
    for status in statuses:
        if status not in flow.STATUSES:
            raise ValidationError("change.error.unknown_status", code=status)
    for kind in types:
        if kind not in flow.TYPES:
            raise ValidationError("change.error.unknown_type", code=kind)
    if statuses:
        query = query.where(Change.status.in_(statuses))
    if types:
        query = query.where(Change.type.in_(types))
    total = query.count()
    rows = query.order_by(Change.id.desc()).limit(max(limit, 0)).offset(max(offset, 0))
    return total, [row_view(desk, r) for r in rows]


def change_of(desk, incident_id: int) -> int | None:
    """The change that caused an incident, if one is recorded (the incident detail shows it)."""
    row = ChangeIncident.get_or_none(ChangeIncident.incident == incident_id)
    return row.change_id if row else None
