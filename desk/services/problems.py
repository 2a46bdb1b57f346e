"""Problem use cases: the only code that changes problems (seed 004 §5.3).

Every change goes through desk.services.records (actor → permission → the rule in
desk.domain.problem_flow → one IMMEDIATE transaction with the version check → the history row).
Linking incidents writes both sides in that one transaction: the problem's history row names the
incidents, and each incident gets its own version-checked change and history row. Resolving the
incidents of a resolved problem is `resolve_incidents`: one transaction per incident.
"""

from __future__ import annotations

from collections.abc import Iterable

from peewee import fn

from desk.db import write_transaction
from desk.domain import problem_flow as flow
from desk.domain.errors import DeskError, InvalidTransition, NotFound, ValidationError
from desk.i18n import t
from desk.models import Article, Change, Incident, Problem, ProblemIncident
from desk.services import actors, history, incidents, linking, records
from desk.services.problem_change_views import BulkResult, ItemResult, ProblemDetail, ProblemRow
from desk.services.problem_raise import shared

ENTITY = "problem"
MAX_TITLE = 500
TRACKED = ("status", "priority", "impact", "urgency", "category", "service", "owner", "group", "fix_change")


def _recorded(desk, name: str, value):
    if name == "owner":
        return linking.agent_login(desk, value)
    if name == "group":
        return linking.group_code(desk, value)
    if name == "service":
        return linking.service_code(desk, value) or None
    return value


KIND = records.Kind(ENTITY, Problem, TRACKED, _recorded, scope=None)


def _state(row: Problem) -> flow.ProblemState:
    return flow.ProblemState(row.status, row.owner_id, row.group_id, row.root_cause, row.workaround)


def _transition(desk, login, problem_id: int, action: str, permission: str, expect_version, plan, after=None):
    records.transition(desk, KIND, login, problem_id, action, permission, expect_version,
                       lambda actor, row, now: plan(actor, _state(row), now, row), scoped=False, after=after)
    return get(desk, problem_id)


# --- creation: raise a problem, from several incidents at once -------------------------------------

def create(desk, login: str | None = None, *, title: str, description: str = "", category: str | None = None,
           service: str | None = None, impact: int | None = None, urgency: int | None = None,
           incidents_: Iterable[int] = (), incident_versions: dict[int, int] | None = None,
           group: str | None = None) -> ProblemDetail:
    """A new problem, linked to `incidents_` (each incident gets its own history row). Unsaid
    impact, urgency, category and service come from those incidents: the most severe impact and
    urgency, the category and service they all share."""
    title = records.text(title, "title", MAX_TITLE, required=True)
    description = records.text(description, "description")
    ids = linking.incident_ids(incidents_)
    versions = dict(incident_versions or {})
    config = desk.config

    def work(actor: actors.Actor):
        actors.require(actor, "problem.create")  # whoever may raise a problem may link incidents to it
        linked = list(Incident.select(Incident.id, Incident.impact, Incident.urgency, Incident.category,
                                      Incident.service).where(Incident.id.in_(ids))) if ids else []
        missing = sorted(set(ids) - {i.id for i in linked})
        if missing:
            raise NotFound(kind="incident", id=missing[0])
        imp = impact if impact is not None else min((i.impact for i in linked), default=3)
        urg = urgency if urgency is not None else min((i.urgency for i in linked), default=3)
        for field, value in (("impact", imp), ("urgency", urg)):
            if str(value) not in config.codes(field):
                raise ValidationError("error.unknown_code", table=field, code=value)
        cat = category or shared(i.category for i in linked) or "other"
        if cat not in config.codes("category"):
            raise ValidationError("error.unknown_code", table="category", code=cat)
        svc = linking.service_id(service) if service else shared(i.service_id for i in linked)
        grp = linking.group(group) if group else None
        priority = config.matrix.priority(imp, urg)
        with write_transaction(desk.db):
            now = desk.now()
            row = Problem.create(title=title, description=description, category=cat, service=svc, impact=imp,
                                 urgency=urg, priority=priority, status=flow.NEW, group=grp, created_by=actor.id,
                                 opened_at=now, updated_at=now, version=1)
            recorded = {"status": [None, flow.NEW], "priority": [None, priority]}
            if ids:
                recorded["incidents"] = [None, ids]
            history.append(ENTITY, row.id, actor.id, "create", recorded, "", now, desk=desk)
            _link_incidents(desk, actor, row.id, ids, versions, now)
        return get(desk, row.id)

    return records.guarded(desk, login, "problem.create", ENTITY, None, work)


# --- linking --------------------------------------------------------------------------------------

def _link_incidents(desk, actor, problem_id: int, ids: list[int], versions: dict, now) -> None:
    """Inside the problem's transaction: each incident's side of the link."""
    for incident_id in ids:
        held = ProblemIncident.get_or_none(ProblemIncident.incident == incident_id)
        if held is not None:
            raise ValidationError("problem.error.already_linked", id=incident_id, problem=held.problem_id)
        records.linked(desk, incidents.KIND, incident_id, versions.get(incident_id), actor.id, "link_problem",
                       {"problem": [None, problem_id]}, "", now)
        ProblemIncident.create(problem=problem_id, incident=incident_id, at=now)


def link(desk, login, problem_id: int, incident_ids: Iterable[int], *, expect_version: int | None = None,
         incident_versions: dict[int, int] | None = None) -> ProblemDetail:
    """Link incidents to the problem; each in both histories, each side version-checked
    (`incident_versions`: incident id -> the version the user saw). All or nothing."""
    ids = linking.incident_ids(incident_ids)
    versions = dict(incident_versions or {})

    return _transition(desk, login, problem_id, "link", "problem.link", expect_version,
                       lambda actor, state, now, row: flow.plan_link(state, "link", ids),
                       after=lambda actor, row, changes, now: _link_incidents(desk, actor, row.id, ids, versions, now))


def unlink(desk, login, problem_id: int, incident_ids: Iterable[int], *, expect_version: int | None = None,
           incident_versions: dict[int, int] | None = None) -> ProblemDetail:
    ids = linking.incident_ids(incident_ids)
    versions = dict(incident_versions or {})

    def after(actor, row, changes, now):
        linking.unlink_incidents(desk, ProblemIncident, "problem", row.id, ids, versions, actor, "unlink_problem",
                                 "problem", now)

    return _transition(desk, login, problem_id, "unlink", "problem.link", expect_version,
                       lambda actor, state, now, row: flow.plan_link(state, "unlink", ids), after=after)


# --- the workflow ---------------------------------------------------------------------------------

def investigate(desk, login, problem_id: int, *, owner: str | None = None, group: str | None = None,
                expect_version: int | None = None) -> ProblemDetail:
    """Take the problem (or give it to `owner`) and start the analysis."""
    def plan(actor, state, now, row):
        who = linking.agent(owner).id if owner and owner != "me" else actor.id
        return flow.plan_investigate(state, now, who, linking.group(group).id if group else None)

    return _transition(desk, login, problem_id, "investigate", "problem.investigate", expect_version, plan)


def root_cause(desk, login, problem_id: int, *, text: str | None, expect_version: int | None = None):
    records.text(text, "root_cause")
    return _transition(desk, login, problem_id, "root_cause", "problem.root_cause", expect_version,
                       lambda actor, state, now, row: flow.plan_root_cause(state, now, text))


def known_error(desk, login, problem_id: int, *, workaround: str | None, expect_version: int | None = None):
    """A known error: the workaround is published as a knowledge article (L1 finds it at 200.4).
    Published when the actor may publish knowledge, else a draft (the knowledge search shows
    drafts too); the problem names its article."""
    records.text(workaround, "workaround")

    def after(actor, row, changes, now):
        faq = desk.config.codes("faq_category")
        body = changes["workaround"]
        if row.root_cause.strip():
            body += "\n\n" + t("problem.article.root_cause", desk.lang) + "\n" + row.root_cause
        article = Article.create(
            title=t("problem.article.title", desk.lang, id=row.id, title=row.title.strip())[:MAX_TITLE],
            body=body, faq_category=row.category if row.category in faq else (faq[0] if faq else "general"),
            status="published" if actor.can("knowledge.publish") else "draft", author=actor.id,
            created_at=now, updated_at=now)
        Problem.update(article=article.id).where(Problem.id == row.id).execute()

    return _transition(desk, login, problem_id, "known_error", "problem.known_error", expect_version,
                       lambda actor, state, now, row: flow.plan_known_error(state, now, workaround), after=after)


def resolve(desk, login, problem_id: int, *, fix: str | None = None, change_id: int | None = None,
            expect_version: int | None = None) -> ProblemDetail:
    """The permanent fix: a text, or a change implemented successfully (or both)."""
    records.text(fix, "fix")

    def plan(actor, state, now, row):
        ok = None
        if change_id is not None:
            change = Change.get_or_none(Change.id == change_id)
            if change is None:
                raise NotFound(kind="change", id=change_id)
            ok = change.outcome == "successful"
        return flow.plan_resolve(state, now, fix, change_id, ok)

    return _transition(desk, login, problem_id, "resolve", "problem.resolve", expect_version, plan)


def close(desk, login, problem_id: int, *, expect_version: int | None = None) -> ProblemDetail:
    return _transition(desk, login, problem_id, "close", "problem.close", expect_version,
                       lambda actor, state, now, row: flow.plan_close(state, now))


def note(desk, login, problem_id: int, *, text: str | None, expect_version: int | None = None) -> ProblemDetail:
    records.text(text, "text")
    return _transition(desk, login, problem_id, "note", "problem.note", expect_version,
                       lambda actor, state, now, row: flow.plan_note(state, now, text))


def resolve_incidents(desk, login, problem_id: int, *, code: str = "fixed", note: str | None = None,
                      versions: dict[int, int] | None = None) -> BulkResult:
    """Resolve the open incidents linked to a resolved problem, each in its own transaction with
    its own history row and version check. `versions`: incident id -> the version the user saw
    (the TUI passes what it offered; None: every open linked incident as read now). A stale or
    refused incident is reported and the others proceed."""
    def check(actor):
        found = get(desk, problem_id, with_history=False)
        if found.status not in (flow.RESOLVED, flow.CLOSED):
            raise InvalidTransition("problem.error.not_resolved", id=problem_id)
        return found

    detail = records.guarded(desk, login, "problem.resolve_incidents", ENTITY, problem_id, check)
    if versions is None:
        versions = {i.id: i.version for i in detail.open_incidents}
    linked = {i.id for i in detail.incidents}
    text = note if (note or "").strip() else t("problem.incident_note", desk.lang, id=problem_id,
                                               fix=detail.fix or f"#{detail.fix_change}")
    results = []
    for incident_id, version in sorted(versions.items()):
        try:
            if incident_id not in linked:
                raise ValidationError("problem.error.not_linked", id=incident_id, problem=problem_id)
            done = incidents.resolve(desk, login, incident_id, code=code, note=text, expect_version=version)
            results.append(ItemResult(incident_id, True, done.version))
        except DeskError as err:
            results.append(ItemResult(incident_id, False, None, err))
    return BulkResult(tuple(results))


# --- reading --------------------------------------------------------------------------------------

def get(desk, problem_id: int, with_history: bool = True) -> ProblemDetail:
    row = Problem.get_or_none(Problem.id == problem_id)
    if row is None:
        raise NotFound(kind=ENTITY, id=problem_id)
    ids = [r.incident_id for r in ProblemIncident.select(ProblemIncident.incident)
           .where(ProblemIncident.problem == problem_id)]
    login = lambda agent_id: linking.agent_login(desk, agent_id) or ""  # noqa: E731
    return ProblemDetail(
        id=row.id, title=row.title, description=row.description, category=row.category,
        service=linking.service_code(desk, row.service_id), impact=row.impact, urgency=row.urgency,
        priority=row.priority, status=row.status, root_cause=row.root_cause, workaround=row.workaround, fix=row.fix,
        fix_change=row.fix_change_id, article=row.article_id, owner=login(row.owner_id),
        group=linking.group_code(desk, row.group_id) or "", created_by=login(row.created_by_id),
        opened_at=row.opened_at, known_error_at=row.known_error_at, resolved_at=row.resolved_at,
        closed_at=row.closed_at, updated_at=row.updated_at, version=row.version,
        incidents=linking.briefs(ids),
        history=linking.history_entries(desk, ENTITY, problem_id) if with_history else ())


def list_(desk, *, statuses: Iterable[str] = (), open_only: bool = False, limit: int = 50,
          offset: int = 0) -> tuple[int, list[ProblemRow]]:
    """(how many match, a page of them): most urgent first, then oldest."""
    count = (ProblemIncident.select(fn.COUNT(ProblemIncident.id)).where(ProblemIncident.problem == Problem.id))
    query = Problem.select(Problem, count.alias("linked"))
    statuses = list(statuses)
    for status in statuses:
        if status not in flow.STATUSES:
            raise ValidationError("problem.error.unknown_status", code=status)
    if statuses:
        query = query.where(Problem.status.in_(statuses))
    elif open_only:
        query = query.where(Problem.status.in_(sorted(flow.OPEN)))
    total = query.count()
    rows = query.order_by(Problem.priority, Problem.opened_at, Problem.id).limit(max(limit, 0)).offset(max(offset, 0))
    return total, [ProblemRow(r.id, r.priority, r.status, r.title, linking.service_code(desk, r.service_id),
                              r.category, linking.agent_login(desk, r.owner_id) or "",
                              linking.group_code(desk, r.group_id) or "", r.linked, r.opened_at, r.updated_at,
                              r.version) for r in rows]


def problem_of(desk, incident_id: int) -> int | None:
    """The problem an incident is linked to (the incident detail shows it)."""
    row = ProblemIncident.get_or_none(ProblemIncident.incident == incident_id)
    return row.problem_id if row else None

