"""Reading service requests: one request with its checklist, approvals and history, and pages of
them for `desk request list` (the TUI's queue reads through the general list machinery)."""

from __future__ import annotations

import json
from collections.abc import Iterable

from desk.domain import request_flow as flow
from desk.domain.errors import NotFound, ValidationError
from desk.models import ServiceRequest
from desk.services import actors, linking, records, request_intake, sla_views
from desk.services.request_views import RequestDetail, RequestRow

ENTITY = "request"
VIEWS = ("mine", "open", "unassigned", "waiting", "resolved", "closed", "all")


def _terms_of(desk, row) -> request_intake.ServiceTerms:
    """The items the request was raised with: its service's own (as the catalogue says now) and
    the base ones; what was ticked is on the request."""
    code = linking.service_code(desk, row.service_id)
    try:
        return request_intake.terms(desk, code) if code else request_intake.NO_SERVICE
    except ValidationError:  # a service retired since
        return request_intake.NO_SERVICE


def get(desk, request_id: int, with_history: bool = True) -> RequestDetail:
    from desk.services.request_approval import approvals

    from desk.services.requests import KIND

    row = records.read(desk, KIND, request_id)  # SQL compiled once per handle
    if row is None:
        raise NotFound(kind=ENTITY, id=request_id)
    login = lambda agent_id: linking.agent_login(desk, agent_id) or ""  # noqa: E731
    ticked = json.loads(row.checklist or "[]")
    return RequestDetail(
        id=row.id, title=row.title, description=row.description, requester=row.requester, contact=row.contact,
        location=row.location, request_class=row.request_class, channel=row.channel,
        service=linking.service_code(desk, row.service_id),
        service_version=linking.version_number(desk, row.service_version),
        priority=row.priority, status=row.status, created_by=login(row.created_by_id), owner=login(row.owner_id),
        handler=login(row.handler_id), group=linking.group_code(desk, row.group_id) or "",
        approval_levels=row.approval_levels, approved=row.approved, needs_cost=row.needs_cost,
        cost_confirmed=row.cost_confirmed, cost_amount=row.cost_amount, cost_currency=row.cost_currency,
        cost_confirmed_with=row.cost_confirmed_with, cost_confirmed_by=login(row.cost_confirmed_by_id),
        cost_confirmed_at=row.cost_confirmed_at, rejection_code=row.rejection_code, outcome=row.outcome,
        close_code=row.close_code, completion_note=row.completion_note, satisfaction=row.satisfaction,
        callback_comment=row.callback_comment, remarks=row.remarks,
        attachments=tuple(json.loads(row.attachments or "[]")), incident=row.incident_id,
        auto_closed=row.auto_closed, registered_at=row.registered_at, accepted_at=row.accepted_at,
        first_response_at=row.first_response_at, resolved_at=row.resolved_at, callback_at=row.callback_at,
        completed_at=row.completed_at, closed_at=row.closed_at, updated_at=row.updated_at, version=row.version,
        checklist=tuple(request_intake.checklist(desk, _terms_of(desk, row), ticked)),
        approvals=tuple(approvals(desk, row.id, row.approval_round)) if row.approval_round else (),
        history=tuple(linking.history_entries(desk, ENTITY, row.id)) if with_history else (),
        sla=sla_views.view(desk, KIND, row.id))


def list_(desk, login=None, *, view: str = "open", statuses: Iterable[str] = (), group: str | None = None,
          handler: str | None = None, text: str = "", limit: int = 50, offset: int = 0) -> tuple[int, list[RequestRow]]:
    """(how many match, a page of them): most urgent first, then oldest. `mine`: the agent owns
    (accepted) or handles it and it is not closed (首问负责: the owner sees it until it is closed)."""
    if view not in VIEWS:
        raise ValidationError("request.error.unknown_view", code=view, known=", ".join(VIEWS))
    statuses = list(statuses)
    for status in statuses:
        if status not in flow.STATUSES:
            raise ValidationError("error.unknown_code", table="request_status", code=status)
    records.text(text, "text", 500)

    def work(actor: actors.Actor):
        R = ServiceRequest
        query = R.select()
        if view == "mine":
            query = query.where(((R.owner == actor.id) | (R.handler == actor.id)) & (R.status != flow.CLOSED))
        elif view == "open":
            query = query.where(R.status.in_(sorted(flow.OPEN)))
        elif view == "unassigned":
            query = query.where(R.status.in_([flow.PENDING, flow.ACCEPTED]) & R.handler.is_null())
        elif view == "waiting":
            query = query.where(R.status.in_(sorted(flow.WAITING)))
        elif view in ("resolved", "closed"):
            query = query.where(R.status == view)
        if statuses:
            query = query.where(R.status.in_(statuses))
        if group:
            query = query.where(R.group == linking.group(group).id)
        if handler:
            who = actor.id if handler == "me" else linking.agent(handler).id
            query = query.where(R.handler == who)
        if text.strip():
            query = query.where(R.title.contains(text.strip()) | R.requester.contains(text.strip()))
        total = query.count()
        rows = query.order_by(R.priority, R.registered_at, R.id).limit(max(limit, 0)).offset(max(offset, 0))
        login_of = lambda agent_id: linking.agent_login(desk, agent_id) or ""  # noqa: E731
        return total, [RequestRow(r.id, r.priority, r.status, r.title, r.requester,
                                  linking.service_code(desk, r.service_id), login_of(r.owner_id),
                                  login_of(r.handler_id), linking.group_code(desk, r.group_id) or "",
                                  r.registered_at, r.updated_at, r.version) for r in rows]

    return records.guarded(desk, login, "request.list", ENTITY, None, work)
