"""Approval of service requests: the handler names the approving leaders (one per level, in
order), each level is decided by its approver or their substitute for the day, a rejection closes
the request; approvers name dated substitutes; the approval inbox. Changes go through
desk.services.requests.transition (records), so every decision is in the request's history."""

from __future__ import annotations

import json
from datetime import date, datetime, timedelta

from peewee import fn

from desk.db import write_transaction
from desk.domain import request_flow as flow
from desk.domain.errors import NotAllowed
from desk.models import ApprovalDelegation, Notification, RequestApproval, ServiceRequest
from desk.services import actors, history, linking, records
from desk.services.request_views import ApprovalEntry, DelegationRow, InboxRow
from desk.services.requests import ENTITY, transition
from desk.timefmt import local_day, zone

DELEGATION = "approval_delegation"  # (a notification's entity: a substitution names no request)

APPROVER_ROLE = "approver"


def approvers(desk) -> list[tuple[str, str]]:
    """The active agents a handler may name as approving leaders: (login, name), by login (the
    ask-for-approval form offers them; the rule itself is flow.plan_ask_approval's)."""
    from desk.models import Agent

    rows = Agent.select(Agent.login, Agent.name, Agent.roles).where(Agent.active == True).order_by(Agent.login)  # noqa: E712
    return [(a.login, a.name or "") for a in rows if APPROVER_ROLE in a.role_set]


def _approver(login: str) -> flow.Approver:
    agent = linking.agent(login)
    return flow.Approver(agent.id, APPROVER_ROLE in agent.role_set, agent.login)


def _steps(request_id: int, round_: int) -> list[flow.ApprovalStep]:
    rows = RequestApproval.select().where((RequestApproval.request == request_id) & (RequestApproval.round == round_))
    return [flow.ApprovalStep(r.level, r.approver_id, r.decision) for r in rows]


def _delegations_to(actor_id: int) -> list[flow.Delegation]:
    rows = ApprovalDelegation.select().where(ApprovalDelegation.substitute == actor_id)
    return [flow.Delegation(r.approver_id, r.substitute_id, r.starts, r.ends) for r in rows]


def ask_approval(desk, login, request_id: int, *, approvers: list[str], expect_version: int | None = None):
    """The handler names the approvers, one per level in the order they decide (a new round)."""
    for name in approvers:
        records.text(name, "approvers", 200)

    def plan(actor, s, now, row):
        changes = flow.plan_ask_approval(s, now, [_approver(name) for name in approvers])
        changes["approval_round"] = row.approval_round + 1
        return changes

    def after(actor, row, extra, now):
        for level, approver_id in extra["_approvals"]:
            RequestApproval.create(request=row.id, round=row.approval_round + 1, level=level, approver=approver_id,
                                   asked_at=now)

    return transition(desk, login, request_id, "ask_approval", expect_version, plan, after)


def _decide(desk, login, request_id: int, action: str, expect_version, plan_decision, note: str):
    def plan(actor, s, now, row):
        changes = plan_decision(actor, s, now, _steps(row.id, row.approval_round), _delegations_to(actor.id))
        decided = changes["_recorded"]["approval"][1]
        if "on_behalf_of" in decided:  # history names people by login
            decided["on_behalf_of"] = linking.agent_login(desk, decided["on_behalf_of"])
        return changes

    def after(actor, row, extra, now):
        level, _behalf = extra["_decided"]
        RequestApproval.update(decision="approved" if action == "approve" else "rejected", decided_by=actor.id,
                               decided_at=now, note=note).where(
            (RequestApproval.request == row.id) & (RequestApproval.round == row.approval_round)
            & (RequestApproval.level == level)).execute()

    return transition(desk, login, request_id, action, expect_version, plan, after)


def approve(desk, login, request_id: int, *, note: str = "", expect_version: int | None = None):
    """The open level approved, by its approver or their substitute for today (recorded as such)."""
    note = records.text(note, "note")
    return _decide(desk, login, request_id, "approve", expect_version,
                   lambda actor, s, now, steps, dels: flow.plan_approve(s, now, actor.id, steps, dels, note,
                                                                        _today(desk, now)), note)


def reject(desk, login, request_id: int, *, reason: str | None, code: str | None = None,
           expect_version: int | None = None):
    """Rejected: the request is closed with 'approval rejected' and the approver's code."""
    records.text(reason, "reason")
    codes = desk.config.codes("request_rejection")
    return _decide(desk, login, request_id, "reject", expect_version,
                   lambda actor, s, now, steps, dels: flow.plan_reject(s, now, actor.id, steps, dels, code, codes,
                                                                       reason, _today(desk, now)), reason or "")


# --- substitutes ------------------------------------------------------------------------------------

def _today(desk, now: datetime) -> date:
    """The desk's day (its [sla] timezone): the days of a substitution are typed as its days, so a
    substitute from the 3rd stands in from midnight there (16:00 UTC on the 2nd in Shanghai)."""
    return local_day(now, zone(desk.config))


def delegate(desk, login, *, substitute: str, starts: date, ends: date, note: str = "",
             approver: str | None = None) -> DelegationRow:
    """An approver away from `starts` to `ends` names a substitute (an administrator may do it for
    an approver). Recorded in the history of every request now waiting for them, so the
    substitute finds them in their inbox and the audit trail says who stood in for whom."""
    note = records.text(note, "note", 1000)

    def work(actor: actors.Actor):
        actors.require(actor, "request.approve")
        if approver and approver != actor.login and "admin" not in actor.roles:
            raise NotAllowed(login=actor.login, action="request.approve")
        away = linking.agent(approver) if approver else None
        away_id, away_login = (away.id, away.login) if away else (actor.id, actor.login)
        flow.check_delegation(away_id, _approver(substitute), starts, ends)
        sub = linking.agent(substitute)
        with write_transaction(desk.db):
            now = desk.now()
            row = ApprovalDelegation.create(approver=away_id, substitute=sub.id, starts=starts, ends=ends,
                                            note=note, created_at=now)
            waiting = (RequestApproval.select(RequestApproval.request).join(
                ServiceRequest, on=(ServiceRequest.id == RequestApproval.request)).where(
                (RequestApproval.approver == away_id) & RequestApproval.decision.is_null()
                & (ServiceRequest.status == flow.AWAITING_APPROVAL)
                & (RequestApproval.round == ServiceRequest.approval_round)))
            count = 0
            for (request_id,) in waiting.tuples():
                ServiceRequest.update(version=ServiceRequest.version + 1, updated_at=now).where(
                    ServiceRequest.id == request_id).execute()
                history.append(ENTITY, request_id, actor.id, "delegate",
                               {"substitute": [None, {"approver": away_login, "substitute": sub.login,
                                                      "starts": starts.isoformat(), "ends": ends.isoformat()}]},
                               note, now, desk=desk)
                count += 1
            _tell_substitute(row, away_login, sub, count, now)
        return DelegationRow(row.id, away_login, sub.login, starts, ends, note)

    return records.guarded(desk, login, "request.delegate", ENTITY, None, work)


SUBSTITUTE = "request.substitute"  # the notification a named substitute gets


def _tell_substitute(row, away_login: str, sub, waiting: int, now) -> None:
    """The substitute is told, in the delegation's transaction: for whom, which dates, and how many
    requests wait for that approver now (they are in the substitute's approval inbox)."""
    params = json.dumps({"approver": away_login, "starts": row.starts.isoformat(), "ends": row.ends.isoformat(),
                         "waiting": waiting})
    Notification.insert(agent=sub.id, entity=DELEGATION, entity_id=row.id, kind=SUBSTITUTE, params=params,
                        at=now).execute()


def delegations(desk, login=None, *, today: date | None = None) -> list[DelegationRow]:
    """Substitutions in force or to come (ending today or later)."""
    today = today or _today(desk, desk.now())
    rows = (ApprovalDelegation.select().where(ApprovalDelegation.ends >= today)
            .order_by(ApprovalDelegation.starts, ApprovalDelegation.id))
    return [DelegationRow(r.id, linking.agent_login(desk, r.approver_id), linking.agent_login(desk, r.substitute_id),
                          r.starts, r.ends, r.note) for r in rows]


# --- reading -----------------------------------------------------------------------------------------

def approvals(desk, request_id: int, round_: int) -> list[ApprovalEntry]:
    rows = (RequestApproval.select().where((RequestApproval.request == request_id)
                                           & (RequestApproval.round == round_)).order_by(RequestApproval.level))
    login = lambda agent_id: linking.agent_login(desk, agent_id) or ""  # noqa: E731
    return [ApprovalEntry(r.level, login(r.approver_id), r.decision, login(r.decided_by_id),
                          login(r.approver_id) if r.decided_by_id not in (None, r.approver_id) else "",
                          r.decided_at, r.asked_at, r.note) for r in rows]


def open_level():
    """The condition on request_approval joined to service_request that keeps the level now open
    of each request waiting for approval: its round's lowest undecided level (the inbox, the
    reminders)."""
    lowest = (RequestApproval.select(fn.MIN(RequestApproval.level)).where(
        (RequestApproval.request == ServiceRequest.id) & (RequestApproval.round == ServiceRequest.approval_round)
        & RequestApproval.decision.is_null()))
    return ((ServiceRequest.status == flow.AWAITING_APPROVAL) & (RequestApproval.round == ServiceRequest.approval_round)
            & RequestApproval.decision.is_null() & (RequestApproval.level == lowest))


def inbox(desk, login=None, *, limit: int = 500) -> list[InboxRow]:
    """Requests whose open approval level waits for this agent, or for an approver they stand in
    for today; those waiting longer than [request] approval_remind_hours first, then oldest."""
    def work(actor: actors.Actor):
        now = desk.now()
        today = _today(desk, now)
        for_whom = {actor.id} | {d.approver_id for d in _delegations_to(actor.id) if d.starts <= today <= d.ends}
        remind = timedelta(hours=float(desk.config.request_setting("approval_remind_hours", 24)))
        query = (RequestApproval.select(RequestApproval, ServiceRequest)
                 .join(ServiceRequest, on=(ServiceRequest.id == RequestApproval.request))
                 .where(open_level() & RequestApproval.approver.in_(sorted(for_whom)))
                 .order_by(RequestApproval.asked_at, ServiceRequest.id).limit(limit))
        rows = []
        for r in query:
            req = r.request
            overdue = now - r.asked_at >= remind
            rows.append(InboxRow(req.id, req.title, req.requester, linking.service_code(desk, req.service_id),
                                 r.level, linking.agent_login(desk, r.approver_id) or "", r.asked_at, overdue,
                                 req.version))
        rows.sort(key=lambda row: (not row.overdue, row.asked_at, row.id))
        return rows

    return records.guarded(desk, login, "request.inbox", ENTITY, None, work)
