"""Service-request use cases (seed 003): the only code that changes requests.

Every change goes through desk.services.records (actor → permission and group scope → the rule
in desk.domain.request_flow → one IMMEDIATE transaction with the version check → the history
row). Approval lives in desk.services.request_approval, reading in desk.services.request_reads.
"""

from __future__ import annotations

import json
from collections.abc import Iterable

from desk.db import write_transaction
from desk.domain import request_flow as flow
from desk.domain.errors import ValidationError
from desk.domain.permissions import may_assign_within
from desk.i18n import t
from desk.models import Article, ServiceRequest
from desk.services import actors, history, linking, records, request_intake, sla
from desk.services.request_views import RequestDetail

ENTITY = "request"
MAX_TITLE = 500
TRACKED = ("status", "priority", "service", "owner", "handler", "group", "approval_levels", "approved",
           "needs_cost", "cost_confirmed", "cost_amount", "cost_currency", "rejection_code", "outcome",
           "close_code", "satisfaction", "auto_closed", "incident")


def _recorded(desk, name: str, value):
    if name in ("owner", "handler"):
        return linking.agent_login(desk, value)
    if name == "group":
        return linking.group_code(desk, value)
    if name == "service":
        return linking.service_code(desk, value) or None
    return value


# The SLA clock (issue 15): from registration to resolution (or closing, for one closed unresolved),
# on its catalogue version's targets and service hours; the waiting statuses pause it ([sla.pausing]).
CLOCK = sla.Clocked(flow.OPEN, started="registered_at", cycle=None, assignee="handler_id", closed="closed_at",
                    version="service_version")
KIND = records.Kind(ENTITY, ServiceRequest, TRACKED, _recorded, scope="group_id", clock=CLOCK)


def state(row: ServiceRequest) -> flow.RequestState:
    return flow.RequestState(row.status, row.owner_id, row.handler_id, row.group_id, row.created_by_id,
                             row.approval_levels, row.approved, row.needs_cost, row.cost_confirmed, row.outcome,
                             row.resolved_at, row.callback_at, row.first_response_at)


def transition(desk, login, request_id: int, action: str, expect_version, plan, after=None) -> RequestDetail:
    """records.transition with the permission the action needs; `plan(actor, state, now, row)`.
    Keys of a plan that are not fields (`_approvals`, `_decided`) go to `after(actor, row, extra, now)`."""
    extra: dict = {}

    def planned(actor, row, now):
        changes = dict(plan(actor, state(row), now, row))
        extra.clear()
        for key in ("_approvals", "_decided"):
            if key in changes:
                extra[key] = changes.pop(key)
        return changes

    def then(actor, row, changes, now):
        if after is not None:
            after(actor, row, extra, now)

    records.transition(desk, KIND, login, request_id, action, flow.PERMISSION[action], expect_version, planned,
                       after=then)
    from desk.services.request_reads import get

    return get(desk, request_id)


# --- creation: the intake checklist -----------------------------------------------------------------

def create(desk, login: str | None = None, *, title: str, requester: str = "", contact: str = "",
           location: str = "", description: str = "", service: str | None = None, request_class: str | None = None,
           channel: str | None = None, priority: int = 3, checked: Iterable[str] = (), add_approval: bool | None = None,
           add_cost: bool | None = None, remarks: str = "", attachments: Iterable[str] = (),
           accept: bool = False, group: str | None = None) -> RequestDetail:
    """A new request through the intake checklist: every item ticked (`checked`; "all" ticks every
    one), the service's approval and cost flags plus what the agent adds. `accept`: the agent
    accepts it at once (and owns it). `group`: the handler group it is meant for (a group code)."""
    title = records.text(title, "title", MAX_TITLE, required=True)
    fields = {name: records.text(value, name, limit) for name, value, limit in (
        ("requester", requester, 200), ("contact", contact, 200), ("location", location, 500),
        ("description", description, records.MAX_TEXT), ("remarks", remarks, records.MAX_TEXT))}
    files = [records.text(a, "attachments", 1000, required=True) for a in attachments]
    config = desk.config
    request_class = request_class or config.request_setting("default_class", "technical")
    channel = channel or config.request_setting("default_channel", "hotline")
    for table, code in (("request_class", request_class), ("request_channel", channel), ("priority", str(priority))):
        if code not in config.codes(table):
            raise ValidationError("error.unknown_code", table=table, code=code)
    checked = list(checked)

    def work(actor: actors.Actor):
        actors.require(actor, "request.create")
        terms = request_intake.terms(desk, service)
        ticked = request_intake.require_complete(desk, terms, checked)
        levels, needs_cost = flow.intake_flags(terms.approval_levels, terms.needs_cost, add_approval, add_cost)
        group_id = linking.group(group).id if group else None
        with write_transaction(desk.db):
            now = desk.now()
            values = dict(title=title, **fields, request_class=request_class, channel=channel,
                          service=terms.service_id, service_version=terms.version_id, priority=int(priority),
                          status=flow.PENDING, created_by=actor.id, checklist=json.dumps(ticked),
                          approval_levels=levels, needs_cost=needs_cost, attachments=json.dumps(files), group=group_id,
                          registered_at=now, updated_at=now, version=1)
            if accept:
                actors.require(actor, "request.handle")
                values.update(flow.plan_accept(flow.RequestState(flow.PENDING), now, actor.id))
            recorded = creation_recorded(priority, service, group, actor.login if accept else None)
            row = insert(desk, actor, now, values, recorded)
        return row.id

    from desk.services.request_reads import get

    return get(desk, records.guarded(desk, login, "request.create", ENTITY, None, work))


def creation_recorded(priority: int, service: str | None, group: str | None, owner: str | None = None) -> dict:
    """What a new request's history row records: its status and priority, and the service, group
    and owner (accepted at once) it was raised with (also the demo's bulk writer's)."""
    recorded: dict = {"status": [None, flow.ACCEPTED if owner else flow.PENDING], "priority": [None, int(priority)]}
    if owner:
        recorded["owner"] = [None, owner]
    if service:
        recorded["service"] = [None, service]
    if group:
        recorded["group"] = [None, group]
    return recorded


def insert(desk, actor: actors.Actor, now, values: dict, recorded: dict, note: str = "") -> ServiceRequest:
    """The new request's row, its history row and its SLA clock, inside the caller's transaction
    (`create`, or an incident turned into a request). Values are checked by the caller."""
    row = ServiceRequest.create(**values)
    history.append(ENTITY, row.id, actor.id, "create", recorded, note, now, desk=desk)
    records.created(desk, KIND, row.id, now, actor.id)
    return row


# --- the workflow ---------------------------------------------------------------------------------

def accept(desk, login, request_id: int, *, expect_version: int | None = None) -> RequestDetail:
    """受理: the agent takes the request and owns it until it is closed (首问负责制)."""
    return transition(desk, login, request_id, "accept", expect_version,
                      lambda actor, s, now, row: flow.plan_accept(s, now, actor.id))


def dispatch(desk, login, request_id: int, *, to: str | None = None, group: str | None = None, note: str = "",
             expect_version: int | None = None) -> RequestDetail:
    """派单 to a handler and/or a group, within or across groups (second line: within its own)."""
    note = records.text(note, "note")

    def plan(actor, s, now, row):
        handler = linking.agent(to) if to and to != "me" else None
        handler_id = actor.id if to == "me" else (handler.id if handler else None)
        named = linking.group(group) if group else None
        if handler is not None and named is not None and handler.group_id not in (None, named.id):
            # (the handler could not then touch it: the group scope reads the request's group)
            label = desk.config.label
            raise ValidationError("request.error.handler_group", login=handler.login,
                                  group=label("group", named.code, desk.lang),
                                  own=label("group", linking.group_code(desk, handler.group_id), desk.lang))
        group_id = named.id if named else (handler.group_id if handler else None)
        if not may_assign_within(actor.roles, actor.group_id, group_id if group_id is not None else row.group_id):
            raise_not_yours(actor)
        return flow.plan_dispatch(s, now, handler_id, group_id, note)

    return transition(desk, login, request_id, "dispatch", expect_version, plan)


def raise_not_yours(actor):
    from desk.domain.errors import NotAllowed

    raise NotAllowed("error.not_your_group", login=actor.login, action="request.handle")


def return_(desk, login, request_id: int, *, reason: str | None, suggestion: str | None,
            expect_version: int | None = None) -> RequestDetail:
    """退单: back to the desk, with a reason and a suggested reassignment (both required)."""
    records.text(reason, "reason")
    records.text(suggestion, "suggestion", 1000)

    def plan(actor, s, now, row):
        code = desk.config.request_setting("desk_group", "desk")
        return flow.plan_return(s, now, reason, suggestion, linking.group(code).id)

    return transition(desk, login, request_id, "return", expect_version, plan)


def escalate(desk, login, request_id: int, *, reason: str | None, expect_version: int | None = None):
    records.text(reason, "reason")
    return transition(desk, login, request_id, "escalate", expect_version,
                      lambda actor, s, now, row: flow.plan_escalate(s, now, reason))


def ask_cost(desk, login, request_id: int, *, expect_version: int | None = None) -> RequestDetail:
    return transition(desk, login, request_id, "ask_cost", expect_version,
                      lambda actor, s, now, row: flow.plan_ask_cost(s, now))


def confirm_cost(desk, login, request_id: int, *, amount, currency: str | None, confirmed_with: str | None,
                 expect_version: int | None = None) -> RequestDetail:
    records.text(currency, "currency", 10)
    records.text(confirmed_with, "confirmed_with", 500)
    return transition(desk, login, request_id, "confirm_cost", expect_version,
                      lambda actor, s, now, row: flow.plan_confirm_cost(s, now, amount, currency, confirmed_with,
                                                                        actor.id))


def wait(desk, login, request_id: int, *, reason: str | None, expect_version: int | None = None):
    records.text(reason, "reason")
    return transition(desk, login, request_id, "wait", expect_version,
                      lambda actor, s, now, row: flow.plan_wait(s, now, reason))


def resume(desk, login, request_id: int, *, note: str = "", expect_version: int | None = None):
    note = records.text(note, "note")
    return transition(desk, login, request_id, "resume", expect_version,
                      lambda actor, s, now, row: flow.plan_resume(s, now, note))


def resolve(desk, login, request_id: int, *, note: str | None, outcome: str | None = None,
            knowledge_title: str | None = None, expect_version: int | None = None) -> RequestDetail:
    """Fulfilment done: what was done (and whether it succeeded); with `knowledge_title`, the note
    becomes a candidate knowledge article (a draft) in the same transaction."""
    records.text(note, "note")
    if knowledge_title is not None:
        records.text(knowledge_title, "title", MAX_TITLE, required=True)

    def after(actor, row, extra, now):
        if knowledge_title is None:
            return
        actors.require(actor, "knowledge.draft")
        faq = desk.config.codes("faq_category")
        article = Article.create(title=knowledge_title.strip(), body=note or "", status="draft", author=actor.id,
                                 faq_category="general" if "general" in faq else faq[0], created_at=now,
                                 updated_at=now)
        # A history row is a change: the version counts it.
        ServiceRequest.update(version=ServiceRequest.version + 1).where(ServiceRequest.id == row.id).execute()
        history.append(ENTITY, row.id, actor.id, "note", {"article": [None, article.id]},
                       t("request.knowledge_note", desk.lang, id=article.id, title=article.title), now, desk=desk)

    return transition(desk, login, request_id, "resolve", expect_version,
                      lambda actor, s, now, row: flow.plan_resolve(s, now, outcome, note), after=after)


def fulfil(desk, login, request_id: int, *, note: str | None, knowledge_title: str | None = None,
           expect_version: int | None = None) -> RequestDetail:
    """Carry out the solution: resolved as succeeded, with what was done."""
    return resolve(desk, login, request_id, note=note, outcome=flow.SUCCEEDED, knowledge_title=knowledge_title,
                   expect_version=expect_version)


def callback(desk, login, request_id: int, *, satisfaction, comment: str = "",
             expect_version: int | None = None) -> RequestDetail:
    """回访: the requester's satisfaction (1–5) and comment."""
    comment = records.text(comment, "comment")
    return transition(desk, login, request_id, "callback", expect_version,
                      lambda actor, s, now, row: flow.plan_callback(s, now, satisfaction, comment))


def close(desk, login, request_id: int, *, code: str | None = None, expect_version: int | None = None):
    return transition(desk, login, request_id, "close", expect_version,
                      lambda actor, s, now, row: flow.plan_close(s, now, code))


def cancel(desk, login, request_id: int, *, reason: str | None, expect_version: int | None = None):
    records.text(reason, "reason")
    return transition(desk, login, request_id, "cancel", expect_version,
                      lambda actor, s, now, row: flow.plan_cancel(s, now, reason))


def note(desk, login, request_id: int, *, text: str | None, expect_version: int | None = None) -> RequestDetail:
    records.text(text, "text")
    return transition(desk, login, request_id, "note", expect_version,
                      lambda actor, s, now, row: flow.plan_note(s, now, text))


# --- auto-close ------------------------------------------------------------------------------------

def auto_close(desk, login: str | None = None, limit: int = 10_000) -> list[int]:
    """Close every resolved request whose requester stayed silent for [request] auto_close_days,
    recorded as auto-closed. Each in its own IMMEDIATE transaction that reads the request under
    the write lock: two runs at once (two processes, a TUI and a cron job) close each one once."""
    days = float(desk.config.request_setting("auto_close_days", 5))

    def work(actor: actors.Actor):
        actors.require(actor, flow.PERMISSION["auto_close"])
        cutoff = desk.now() - _days(days)
        ids = [r.id for r in ServiceRequest.select(ServiceRequest.id).where(
            (ServiceRequest.status == flow.RESOLVED) & (ServiceRequest.callback_at.is_null())
            & (ServiceRequest.resolved_at <= cutoff)).order_by(ServiceRequest.id).limit(limit)]
        closed = []
        for request_id in ids:
            with write_transaction(desk.db):
                row = records.read(desk, KIND, request_id)
                now = desk.now()
                if row is None or not flow.auto_close_due(state(row), now, days):
                    continue  # someone called back, closed it or auto-closed it first
                changes = flow.plan_auto_close(state(row), now, days)
                note_, updates, recorded = records.prepare(desk, KIND, row, changes, now)
                if records.apply(desk, KIND, row, updates):
                    history.append(ENTITY, row.id, actor.id, "auto_close", recorded, note_, now, desk=desk)
                    closed.append(row.id)
        return closed

    return records.guarded(desk, login, "request.auto_close", ENTITY, None, work)


def _days(days: float):
    from datetime import timedelta

    return timedelta(days=days)
