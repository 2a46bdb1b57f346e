"""The service-request state machine (seed 003: 服务请求管理流程).

    pending ──accept──▶ accepted ──dispatch──▶ dispatched ──fulfil/resolve──▶ resolved
                                   ◀──return (reason + suggestion)──┘        │
    accepted / dispatched ──escalate (reason)──▶ escalated ──dispatch──▶ dispatched
    dispatched / escalated ──ask_approval (approvers, in order)──▶ awaiting_approval
        awaiting_approval ──approve (each level in order)──▶ … ──last level──▶ dispatched
        awaiting_approval ──reject (code + reason)──▶ closed ('approval rejected')
    dispatched / escalated ──ask_cost──▶ awaiting_cost ──confirm_cost (amount, currency, with whom)──▶ dispatched
    dispatched / escalated ──wait (reason)──▶ awaiting_requester ──resume──▶ dispatched
    resolved ──callback (satisfaction 1–5)──▶ resolved ──close (code)──▶ closed
    resolved, no callback for `auto_close_days` ──auto_close──▶ closed (auto-closed)
    any open status ──cancel (reason)──▶ closed ('cancelled by user')

Rules:
- The agent who accepts a request owns it until it is closed (首问负责制): nothing changes the owner.
- Fulfilment needs the approval (every level) when the request needs one, and the customer's cost
  confirmation when it costs money.
- Only an agent with the approver role decides (the permission table; the approval rules are in
  desk.domain.request_approvals), only the approver named for
  the level now open or their substitute for today's date, and never on a request they raised,
  accepted or handle themselves.
- Returning to the desk needs a reason and a suggested reassignment; closing needs the callback.
Each planner takes the request's state and the input, checks the guards and returns the field
changes (keys `_note` and `_recorded` as desk.services.records takes them); no database.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal, InvalidOperation
from typing import NamedTuple

from desk.domain.errors import InvalidTransition, ValidationError
from desk.domain.request_statuses import (  # noqa: F401  (the statuses, named here as they always were)
    ACCEPTED,
    AWAITING_APPROVAL,
    AWAITING_COST,
    AWAITING_REQUESTER,
    CLOSED,
    DISPATCHED,
    ESCALATED,
    OPEN,
    PENDING,
    RESOLVED,
    STATUSES,
)

WAITING = frozenset({AWAITING_APPROVAL, AWAITING_COST, AWAITING_REQUESTER})  # the SLA clock pauses here
WORKING = frozenset({DISPATCHED, ESCALATED})  # a handler is on it

APPROVAL_REJECTED, SUCCEEDED, FAILED, CANCELLED = "approval_rejected", "succeeded", "failed", "cancelled"
CONVERTED = "converted"  # it was a fault: it became an incident (desk.domain.request_convert)
CLOSE_CODES = (APPROVAL_REJECTED, SUCCEEDED, FAILED, CANCELLED, CONVERTED)
OUTCOMES = (SUCCEEDED, FAILED)  # how fulfilment ended; what `close` may choose
CLASSES = ("business", "technical")

# action -> statuses it may start from (the table the tests walk).
ALLOWED_FROM: dict[str, frozenset[str]] = {
    "accept": frozenset({PENDING}),
    "dispatch": frozenset({ACCEPTED, DISPATCHED, ESCALATED}),
    "return": WORKING,
    "escalate": frozenset({ACCEPTED, DISPATCHED}),
    "ask_approval": WORKING,
    "approve": frozenset({AWAITING_APPROVAL}),
    "reject": frozenset({AWAITING_APPROVAL}),
    "ask_cost": WORKING,
    "confirm_cost": frozenset({AWAITING_COST}),
    "wait": WORKING,
    "resume": frozenset({AWAITING_REQUESTER}),
    "resolve": WORKING,
    "callback": frozenset({RESOLVED}),
    "close": frozenset({RESOLVED}),
    "auto_close": frozenset({RESOLVED}),
    "cancel": OPEN,
    "to_incident": OPEN,
    "note": OPEN | {RESOLVED},
}

# action -> the permission (desk.domain.permissions) it needs.
PERMISSION: dict[str, str] = {
    "accept": "request.handle",
    "dispatch": "request.handle",
    "return": "request.handle",
    "escalate": "request.handle",
    "ask_approval": "request.handle",
    "approve": "request.approve",
    "reject": "request.approve",
    "ask_cost": "request.handle",
    "confirm_cost": "request.handle",
    "wait": "request.handle",
    "resume": "request.handle",
    "resolve": "request.handle",
    "callback": "request.close",
    "close": "request.close",
    "auto_close": "request.close",
    "cancel": "request.close",
    "to_incident": "request.handle",
    "note": "request.handle",
}

MIN_SATISFACTION, MAX_SATISFACTION = 1, 5
MAX_AMOUNT = Decimal("1000000000")


class RequestState(NamedTuple):
    status: str
    owner_id: int | None = None  # who accepted it (首问负责)
    handler_id: int | None = None
    group_id: int | None = None
    created_by_id: int | None = None
    approval_levels: int = 0  # how many levels it needs (0: no approval)
    approved: bool = False  # every level approved
    needs_cost: bool = False
    cost_confirmed: bool = False
    outcome: str | None = None  # how fulfilment ended
    resolved_at: datetime | None = None
    callback_at: datetime | None = None
    first_response_at: datetime | None = None


# --- helpers --------------------------------------------------------------------------------------

def require_from(action: str, status: str) -> None:
    if status not in ALLOWED_FROM[action]:
        raise InvalidTransition("request.error.transition", kind="request", step=action, status=status)


def required_text(value: str | None, field: str) -> str:
    if not (value or "").strip():
        raise ValidationError("error.required", field=field)
    return value or ""


_required = required_text


def own(state: RequestState, agent_id: int) -> bool:
    """Is this the agent's own request: they raised, accepted or handle it?"""
    return agent_id in (state.created_by_id, state.owner_id, state.handler_id)


def intake_flags(service_approval_levels: int, service_cost: bool, add_approval: bool | None,
                 add_cost: bool | None) -> tuple[int, bool]:
    """(approval levels, cost confirmation) for a new request: the service's, plus what the agent
    adds. The agent may add either, never remove one the service requires."""
    if add_approval is False and service_approval_levels > 0:
        raise ValidationError("request.error.cannot_remove", item="approval")
    if add_cost is False and service_cost:
        raise ValidationError("request.error.cannot_remove", item="cost")
    levels = max(service_approval_levels, 1 if add_approval else 0)
    return levels, bool(service_cost or add_cost)


def missing_items(required: list[str], ticked: set[str]) -> list[str]:
    """The intake checklist items not yet ticked, in the checklist's order."""
    return [item for item in required if item not in ticked]


# --- the workflow --------------------------------------------------------------------------------

def plan_accept(state: RequestState, now: datetime, actor_id: int) -> dict:
    """受理: the agent takes the request and owns it from now on."""
    require_from("accept", state.status)
    changes: dict = {"status": ACCEPTED, "accepted_at": now}
    if state.owner_id is None:
        changes["owner_id"] = actor_id
    if state.first_response_at is None:
        changes["first_response_at"] = now
    return changes


def plan_dispatch(state: RequestState, now: datetime, handler_id: int | None, group_id: int | None,
                  note: str = "") -> dict:
    """派单: to a handler, a group, or both (within a group or across groups)."""
    require_from("dispatch", state.status)
    if handler_id is None and group_id is None:
        raise ValidationError("error.required", field="to")
    changes: dict = {"status": DISPATCHED, "handler_id": handler_id, "_note": note}
    if group_id is not None:
        changes["group_id"] = group_id
    if state.first_response_at is None:
        changes["first_response_at"] = now
    return changes


def plan_return(state: RequestState, now: datetime, reason: str | None, suggestion: str | None,
                desk_group_id: int | None) -> dict:
    """退单: the handler sends it back to the desk; the reason and a suggested reassignment are both
    required (seed 003: 退单须说明理由和转派建议)."""
    require_from("return", state.status)
    reason = _required(reason, "reason")
    suggestion = _required(suggestion, "suggestion")
    return {"status": ACCEPTED, "handler_id": None, "group_id": desk_group_id,
            "_recorded": {"suggestion": [None, suggestion]}, "_note": reason}


def plan_escalate(state: RequestState, now: datetime, reason: str | None) -> dict:
    """To the request manager (hierarchical escalation); the reason is required."""
    require_from("escalate", state.status)
    return {"status": ESCALATED, "_note": _required(reason, "reason")}


def parse_amount(value) -> Decimal:
    try:
        amount = Decimal(str(value).strip())
    except (InvalidOperation, ValueError):
        raise ValidationError("request.error.amount", value=str(value)) from None
    if not amount.is_finite() or amount <= 0 or amount >= MAX_AMOUNT or amount != amount.quantize(Decimal("0.01")):
        raise ValidationError("request.error.amount", value=str(value))
    return amount


def plan_ask_cost(state: RequestState, now: datetime) -> dict:
    """It costs the customer money: wait for their confirmation (the handler may add this)."""
    require_from("ask_cost", state.status)
    if state.cost_confirmed:
        raise InvalidTransition("request.error.cost_confirmed")
    return {"status": AWAITING_COST, "needs_cost": True}


def plan_confirm_cost(state: RequestState, now: datetime, amount, currency: str | None,
                      confirmed_with: str | None, actor_id: int) -> dict:
    """The amount, the currency and who confirmed it with the customer, and when."""
    require_from("confirm_cost", state.status)
    value = parse_amount(amount)
    currency = _required(currency, "currency").strip().upper()
    if len(currency) != 3 or not currency.isalpha() or not currency.isascii():
        raise ValidationError("request.error.currency", value=currency)
    who = _required(confirmed_with, "confirmed_with")
    return {"status": DISPATCHED, "cost_amount": str(value.quantize(Decimal("0.01"))),
            "cost_currency": currency, "cost_confirmed_with": who, "cost_confirmed_by_id": actor_id,
            "cost_confirmed_at": now, "cost_confirmed": True}


def plan_wait(state: RequestState, now: datetime, reason: str | None) -> dict:
    """Waiting for the requester (information, access, a date): the SLA clock pauses."""
    require_from("wait", state.status)
    return {"status": AWAITING_REQUESTER, "_note": _required(reason, "reason")}


def plan_resume(state: RequestState, now: datetime, note: str = "") -> dict:
    require_from("resume", state.status)
    return {"status": DISPATCHED, "_note": note}


def plan_resolve(state: RequestState, now: datetime, outcome: str | None, note: str | None) -> dict:
    """Fulfilment done (what was done is required); needs the approval and the cost confirmation
    when the request needs them."""
    require_from("resolve", state.status)
    outcome = outcome or SUCCEEDED
    if outcome not in OUTCOMES:
        raise ValidationError("error.unknown_code", table="outcome", code=outcome)
    text = _required(note, "note")
    if outcome == SUCCEEDED:
        require_ready_to_fulfil(state)
    return {"status": RESOLVED, "outcome": outcome, "resolved_at": now, "completion_note": text,
            "callback_at": None, "_note": text}


def require_ready_to_fulfil(state: RequestState) -> None:
    """A request fulfilled with success has every approval level and the customer's cost confirmation
    it needs (the fulfil form asks this before anything is typed, as the service does at the end)."""
    if state.approval_levels and not state.approved:
        raise InvalidTransition("request.error.needs_approval")
    if state.needs_cost and not state.cost_confirmed:
        raise InvalidTransition("request.error.needs_cost")


def plan_callback(state: RequestState, now: datetime, satisfaction, comment: str = "") -> dict:
    """回访: the follow-up call, with the requester's satisfaction 1–5 and a comment."""
    require_from("callback", state.status)
    try:
        score = int(satisfaction)
    except (TypeError, ValueError):
        raise ValidationError("error.out_of_range", field="satisfaction", low=MIN_SATISFACTION,
                              high=MAX_SATISFACTION, got=satisfaction) from None
    if isinstance(satisfaction, bool) or not MIN_SATISFACTION <= score <= MAX_SATISFACTION:
        raise ValidationError("error.out_of_range", field="satisfaction", low=MIN_SATISFACTION,
                              high=MAX_SATISFACTION, got=satisfaction)
    return {"satisfaction": score, "callback_comment": comment or "", "callback_at": now, "_note": comment or ""}


def plan_close(state: RequestState, now: datetime, code: str | None) -> dict:
    """Close after the callback, with a close code: 'succeeded' or 'failed' (by default how the
    fulfilment ended); 'approval rejected' and 'cancelled' come from reject and cancel."""
    require_from("close", state.status)
    if state.callback_at is None:
        raise InvalidTransition("request.error.needs_callback")
    code = code or state.outcome or SUCCEEDED
    if code not in OUTCOMES:
        raise ValidationError("request.error.close_code", code=code)
    return {"status": CLOSED, "close_code": code, "closed_at": now, "completed_at": now}


def auto_close_due(state: RequestState, now: datetime, days: float) -> bool:
    """Resolved, the requester silent (no callback) for `days` since it was resolved."""
    return (state.status == RESOLVED and state.callback_at is None and state.resolved_at is not None
            and now - state.resolved_at >= timedelta(days=days))


def plan_auto_close(state: RequestState, now: datetime, days: float) -> dict:
    require_from("auto_close", state.status)
    if not auto_close_due(state, now, days):
        raise InvalidTransition("request.error.not_due", days=days)
    return {"status": CLOSED, "close_code": state.outcome or SUCCEEDED, "closed_at": now, "completed_at": now,
            "auto_closed": True}


def plan_cancel(state: RequestState, now: datetime, reason: str | None) -> dict:
    """The requester withdraws it (用户取消): closed with 'cancelled', the reason recorded."""
    require_from("cancel", state.status)
    return {"status": CLOSED, "close_code": CANCELLED, "closed_at": now, "completed_at": now,
            "_note": _required(reason, "reason")}


def plan_note(state: RequestState, now: datetime, text: str | None) -> dict:
    require_from("note", state.status)
    return {"_note": _required(text, "text")}


# The approval rules live in desk.domain.request_approvals (one idea per module); callers keep
# reading them here.
from desk.domain.request_approvals import (  # noqa: E402, F401
    ApprovalStep,
    Approver,
    Delegation,
    acting_for,
    check_delegation,
    open_step,
    plan_approve,
    plan_ask_approval,
    plan_reject,
)
