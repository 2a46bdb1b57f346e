"""Approval rules of a service request (seed 003: 是否需要领导审批 / 选择审批领导 / 领导审批): the
handler names the approving leaders, one per level in order; only the approver named for the open
level, or their substitute for today's date, decides, and never on a request they raised, accepted
or handle; a rejection at any level closes the request as 'approval rejected'. Split from
desk.domain.request_flow (which re-exports these names); pure, no database."""

from __future__ import annotations

from datetime import date, datetime
from typing import NamedTuple

from desk.domain.errors import InvalidTransition, NotAllowed, ValidationError
from desk.domain.request_flow import (
    APPROVAL_REJECTED,
    AWAITING_APPROVAL,
    CLOSED,
    DISPATCHED,
    RequestState,
    own,
    require_from,
    required_text,
)

_required = required_text


class Approver(NamedTuple):
    """An agent named as an approver: their id and whether they hold the approver role."""

    id: int
    is_approver: bool
    login: str = ""


class ApprovalStep(NamedTuple):
    """One level of a request's approval as written: who is to decide, and what they decided."""

    level: int
    approver_id: int
    decision: str | None = None  # None (open), "approved", "rejected"


class Delegation(NamedTuple):
    """An approver away from `starts` to `ends` (dates, both included) names a substitute."""

    approver_id: int
    substitute_id: int
    starts: date
    ends: date


def acting_for(actor_id: int, approver_id: int, delegations: list[Delegation], today: date) -> bool:
    """May `actor_id` decide for `approver_id` today: themselves, or their substitute for today."""
    if actor_id == approver_id:
        return True
    return any(d.approver_id == approver_id and d.substitute_id == actor_id and d.starts <= today <= d.ends
               for d in delegations)


def check_delegation(approver_id: int, substitute: Approver, starts: date, ends: date) -> Delegation:
    """A substitute holds the approver role, is someone else, and the period is a real one."""
    if substitute.id == approver_id:
        raise ValidationError("request.error.self_substitute")
    if not substitute.is_approver:
        raise ValidationError("request.error.not_an_approver", login=substitute.login)
    if ends < starts:
        raise ValidationError("request.error.period", starts=starts.isoformat(), ends=ends.isoformat())
    return Delegation(approver_id, substitute.id, starts, ends)


# --- asking and deciding -------------------------------------------------------------------------

def plan_ask_approval(state: RequestState, now: datetime, approvers: list[Approver]) -> dict:
    """The handler names the approving leaders, one per level, in the order they decide. Each holds
    the approver role, none twice, none the request's own agent; at least the levels it needs.
    `_approvals` lists (level, approver id) for the service to write."""
    require_from("ask_approval", state.status)
    if not approvers:
        raise ValidationError("error.required", field="approvers")
    if len(approvers) < state.approval_levels:
        raise ValidationError("request.error.levels", needed=state.approval_levels, given=len(approvers))
    seen: set[int] = set()
    for approver in approvers:
        if not approver.is_approver:
            raise ValidationError("request.error.not_an_approver", login=approver.login)
        if own(state, approver.id):
            raise ValidationError("request.error.own_approver", login=approver.login)
        if approver.id in seen:
            raise ValidationError("request.error.approver_twice", login=approver.login)
        seen.add(approver.id)
    return {"status": AWAITING_APPROVAL, "approval_levels": max(state.approval_levels, len(approvers)),
            "approved": False, "_approvals": [(i + 1, a.id) for i, a in enumerate(approvers)],
            "_recorded": {"approvers": [None, [a.login or a.id for a in approvers]]}}


def open_step(steps: list[ApprovalStep]) -> ApprovalStep | None:
    """The level now waiting for a decision: the lowest undecided one."""
    pending = sorted((s for s in steps if s.decision is None), key=lambda s: s.level)
    return pending[0] if pending else None


def _decider(state: RequestState, actor_id: int, steps: list[ApprovalStep], delegations: list[Delegation],
             today: date) -> ApprovalStep:
    step = open_step(steps)
    if step is None:
        raise InvalidTransition("request.error.no_open_approval")
    if own(state, actor_id):
        raise NotAllowed("request.error.own_request")
    if not acting_for(actor_id, step.approver_id, delegations, today):
        raise NotAllowed("request.error.not_your_approval", level=step.level)
    return step


def plan_approve(state: RequestState, now: datetime, actor_id: int, steps: list[ApprovalStep],
                 delegations: list[Delegation], note: str = "", today: date | None = None) -> dict:
    """The open level is approved (by its approver, or their substitute for today). After the last
    level the request goes back to its handler.
    `_decided`: (level, on whose behalf: the approver's id when a substitute decided, else None)."""
    require_from("approve", state.status)
    step = _decider(state, actor_id, steps, delegations, today or now.date())  # (the desk's day: the caller's)
    behalf = step.approver_id if step.approver_id != actor_id else None
    last = not any(s.decision is None and s.level != step.level for s in steps)
    changes: dict = {"_decided": (step.level, behalf), "_note": note,
                     "_recorded": {"approval": [None, {"level": step.level, "decision": "approved",
                                                       **({"on_behalf_of": behalf} if behalf else {})}]}}
    if last:
        changes["approved"] = True
        changes["status"] = DISPATCHED
    return changes


def plan_reject(state: RequestState, now: datetime, actor_id: int, steps: list[ApprovalStep],
                delegations: list[Delegation], code: str | None, codes: list[str], reason: str | None,
                today: date | None = None) -> dict:
    """A rejection at any level closes the request with 'approval rejected' and the approver's code."""
    require_from("reject", state.status)
    step = _decider(state, actor_id, steps, delegations, today or now.date())  # (the desk's day: the caller's)
    reason = _required(reason, "reason")
    code = code or "other"
    if code not in codes:
        raise ValidationError("error.unknown_code", table="request_rejection", code=code)
    behalf = step.approver_id if step.approver_id != actor_id else None
    return {"status": CLOSED, "close_code": APPROVAL_REJECTED, "rejection_code": code, "closed_at": now,
            "completed_at": now, "_decided": (step.level, behalf), "_note": reason,
            "_recorded": {"approval": [None, {"level": step.level, "decision": "rejected",
                                              **({"on_behalf_of": behalf} if behalf else {})}]}}
