"""Service requests as a kind of list (seed 003): the request queue, "my work" (首问负责: what I
accepted or handle, until it is closed) and the approval inbox (what waits for my decision, or for
an approver I stand in for today) — views of one kind on the general list machinery."""

from __future__ import annotations

from typing import NamedTuple

from desk.domain import request_flow as flow
from desk.lists import paging
from desk.lists.spec import ListSpec
from desk.timefmt import local_day

VIEWS = ("mine", "approvals", "open", "unassigned", "waiting", "resolved", "all")
SORTS = ("priority", "sla", "age", "updated")  # (sla: by due time, held clocks last, as the incident queue)

# The keys of the request queue (and the detail): action -> key.
KEYS = {"detail": "enter", "new": "n", "accept": "a", "dispatch": "d", "approve": "p", "reject": "x",
        "fulfil": "f", "callback": "b", "close": "c", "note": "m", "escalate": "e", "return": "r",
        "ask_approval": "l", "ask_cost": "k", "confirm_cost": "y", "wait": "w", "resume": "g", "cancel": "delete",
        "to_incident": "i", "sla_hold": "h", "sla_resume": "H"}
# Holding and resuming the SLA clock (desk.services.sla_hold, as `desk sla hold/resume R12`) are
# not steps of the request flow: the permission the service asks (sla_hold._request, a test holds
# the two together), from any open status (the service refuses what the status decides).
CLOCK = {"sla_hold": "request.handle", "sla_resume": "request.handle"}
# A key's action -> the workflow step it takes (desk.domain.request_flow): its permission and the
# statuses it may start from (the keys grey out by both).
STEPS = {action: action for action in KEYS if action not in ("detail", "new", *CLOCK)} | {"fulfil": "resolve"}


class RequestFilter(NamedTuple):
    view: str = "open"
    text: str = ""
    priorities: frozenset = frozenset()
    statuses: frozenset = frozenset()
    groups: frozenset = frozenset()
    handlers: frozenset = frozenset()
    breached: bool = False


# The filter terms a request list takes: no category (a request names a service) and no former
# number (only incidents are migrated); `breached` is an open request past its due time.
TERMS = frozenset({"p", "s", "g", "a", "breached"})


def make_filter(view: str, parsed) -> RequestFilter:
    return RequestFilter(view, parsed.text, parsed.priorities, parsed.statuses, parsed.groups, parsed.assignees,
                         parsed.breached)


def _waiting_for(ctx):
    """Requests whose open approval level waits for this agent or one they stand in for today."""
    from peewee import fn

    from desk.models import ApprovalDelegation, RequestApproval, ServiceRequest

    today = local_day(ctx.now, ctx.tz)  # the desk's day, as the substitution's days were typed
    stand_in = ApprovalDelegation.select(ApprovalDelegation.approver).where(
        (ApprovalDelegation.substitute == ctx.agent_id) & (ApprovalDelegation.starts <= today)
        & (ApprovalDelegation.ends >= today))
    A = RequestApproval.alias()
    lowest = A.select(fn.MIN(A.level)).where((A.request == RequestApproval.request) & (A.round == RequestApproval.round)
                                             & A.decision.is_null())
    return RequestApproval.select(RequestApproval.request).join(
        ServiceRequest, on=(ServiceRequest.id == RequestApproval.request)).where(
        (RequestApproval.round == ServiceRequest.approval_round) & RequestApproval.decision.is_null()
        & (RequestApproval.level == lowest)
        & ((RequestApproval.approver == ctx.agent_id) | RequestApproval.approver.in_(stand_in)))


def _where(f: RequestFilter, ctx):
    from desk.models import Agent, Group, ServiceRequest as R

    conds = []
    view = f.view
    if view == "mine":
        conds += [(R.owner == ctx.agent_id) | (R.handler == ctx.agent_id), R.status != flow.CLOSED]
    elif view == "approvals":
        conds += [R.status == flow.AWAITING_APPROVAL, R.id.in_(_waiting_for(ctx))]
    elif view == "open":
        conds.append(R.status.in_(sorted(flow.OPEN)))
    elif view == "unassigned":
        conds += [R.status.in_([flow.PENDING, flow.ACCEPTED]), R.handler.is_null()]
    elif view == "waiting":
        conds.append(R.status.in_(sorted(flow.WAITING)))
    elif view == "resolved":
        conds.append(R.status == flow.RESOLVED)
    if f.priorities:
        conds.append(R.priority.in_(sorted(f.priorities)))
    if f.statuses:
        conds.append(R.status.in_(sorted(f.statuses)))
    if f.groups:
        conds.append(R.group.in_(Group.select(Group.id).where(Group.code.in_(sorted(f.groups)))))
    if f.handlers:
        logins = sorted({ctx.login if a == "me" else a for a in f.handlers})
        conds.append(R.handler.in_(Agent.select(Agent.id).where(Agent.login.in_(logins))))
    if f.breached:  # (a held clock has no due time: not breached, as in the SLA column)
        conds += [R.due_at < ctx.now, R.status.in_(sorted(flow.OPEN))]
    if f.text.strip():
        conds.append(paging.contains(R.title, f.text.strip()) | paging.contains(R.requester, f.text.strip()))
    return conds


_PAGING: list = []


def _pager() -> paging.Paging:
    if not _PAGING:  # (the models are imported when first read, not with the spec)
        from desk.models import ServiceRequest as R

        _PAGING.append(paging.Paging(R, _where, {
            "priority": [(R.priority, False), (R.registered_at, False)],
            "age": [(R.registered_at, False)],
            "updated": [(R.updated_at, True)],
            "sla": [(R.due_at.is_null(), False), (R.due_at, False)],  # held clocks (no due time) last
        }))
    return _PAGING[0]


def rows(desk, ids) -> list:
    """RequestRows for these ids, in the order given (missing ids skipped)."""
    from desk.models import ServiceRequest as R
    from desk.services import linking
    from desk.services.request_views import RequestRow

    ids = [int(i) for i in ids]
    if not ids:
        return []
    login = lambda agent_id: linking.agent_login(desk, agent_id) or ""  # noqa: E731
    found = {r.id: RequestRow(r.id, r.priority, r.status, r.title, r.requester, linking.service_code(desk, r.service_id),
                              login(r.owner_id), login(r.handler_id), linking.group_code(desk, r.group_id) or "",
                              r.registered_at, r.updated_at, r.version, r.due_at, r.resolved_at or r.closed_at,
                              r.service_id, r.service_version)
             for r in R.select(R.id, R.priority, R.status, R.title, R.requester, R.service, R.owner, R.handler,
                               R.group, R.registered_at, R.updated_at, R.version, R.due_at, R.resolved_at,
                               R.closed_at, R.service_version).where(R.id.in_(ids))}
    if desk is not None:  # the SLA column's calendars and targets, read here in the reading thread
        from desk.services import sla_terms

        sla_terms.warm(desk)
        sla_terms.warm_versions(desk, {r.service_version for r in found.values()})
    return [found[i] for i in ids if i in found]


def vocabulary(config):
    from desk.domain.filter_terms import Vocabulary
    from desk.services import queue

    base = queue.vocabulary(config)
    # the code table's labels (what the queue shows), and the words of the messages' sentences
    statuses = {**paging.message_aliases("request.status.", flow.STATUSES),
                **queue.label_aliases(config, "request_status")}
    return Vocabulary(priorities=base.priorities, statuses=statuses,
                      groups=base.groups, open_statuses=flow.OPEN, terms=TERMS, kind="request")


REQUESTS = ListSpec(
    kind="request",
    views=VIEWS,
    sorts=SORTS,
    context=paging.context,
    make_filter=make_filter,
    count=lambda f, ctx: _pager().count(f, ctx),
    window=lambda f, ctx, sort="priority", offset=0, limit=100, descending=False:
        _pager().window(f, ctx, sort, offset, limit, descending),
    iter_ids=lambda f, ctx, sort="priority", descending=False, **kw: _pager().iter_ids(f, ctx, sort, descending, **kw),
    rows=rows,
    vocabulary=vocabulary,
    table="desk.lists.request_cells:TABLE",
    actions=KEYS,
    permissions={"new": "request.create", **{a: flow.PERMISSION[step] for a, step in STEPS.items()}, **CLOCK},
    allowed_from={a: flow.ALLOWED_FROM[step] for a, step in STEPS.items()} | {a: flow.OPEN for a in CLOCK},
    status_label="request.status.",  # in sentences; the queue's column shows the code table's labels
    rowless=frozenset({"new"}),
    # act on every marked request (each its own transaction: a stale or refused one is named, the others done)
    bulk=frozenset({"accept", "dispatch", "approve", "reject", "close"}),
    view_label="request.view.",
    sort_label="tui.sort.",
    key_label="request.key.",
    filter_hint="tui.filter.hint_request",
    filter_placeholder="tui.filter.placeholder_request",
)
