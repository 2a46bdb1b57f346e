"""The incident state machine (seed 002, steps 200.1–200.10).

    new ──assign/start──▶ assigned ──start──▶ in_progress
     │  escalate (functional, next tier, reason) / return (back a tier, reason) keep it open
     └──────────────resolve (closure code + resolution)──────────────▶ resolved
    resolved ──confirm (200.9)──▶ resolved+confirmed ──close──▶ closed
    resolved ──reopen (reason)──▶ assigned (back to whoever resolved it)

Each planner takes the incident's current state and the request, checks the guards, and
returns the field changes to write. It never touches a database.
"""

# (no `from __future__ import annotations`: under it each NamedTuple field's annotation is a string
# that typing compiles when the class is made, ~9 µs a field, and this module is read before desk's
# first frame: tests/test_startup.py)

from datetime import datetime, timedelta
from typing import NamedTuple

from desk.domain.errors import InvalidTransition, ValidationError

NEW, ASSIGNED, IN_PROGRESS, RESOLVED, CLOSED = "new", "assigned", "in_progress", "resolved", "closed"
STATUSES = (NEW, ASSIGNED, IN_PROGRESS, RESOLVED, CLOSED)
OPEN = frozenset({NEW, ASSIGNED, IN_PROGRESS})
MAX_TIER = 3
# The closure code of an incident that turned out to be a service request (200.2): only that
# conversion sets it (desk.domain.request_convert), never resolve or close.
TO_REQUEST = "to_request"

# action -> statuses it may start from (the table the tests walk).
ALLOWED_FROM: dict[str, frozenset[str]] = {
    "assign": OPEN,
    "start": OPEN,
    "escalate": OPEN,
    "escalate_hierarchical": OPEN,
    "return": OPEN,
    "resolve": OPEN,
    "confirm": frozenset({RESOLVED}),
    "reopen": frozenset({RESOLVED}),
    "close": frozenset({RESOLVED}),
    "note": OPEN | {RESOLVED},
    "to_request": OPEN,  # closed as 'converted to a service request', the request opened (request_convert)
    # put under another catalogue service (its SLA re-targeted): a resolved one too, so that what
    # its clock met or missed is judged on the right terms until it is closed
    "set_service": OPEN | {RESOLVED},
    # impact and urgency corrected (the priority follows the matrix, the SLA re-targeted): as for the
    # service, until it is closed
    "set_priority": OPEN | {RESOLVED},
}


class IncidentState(NamedTuple):
    status: str
    tier: int = 1
    group_id: int | None = None
    assignee_id: int | None = None
    resolved_by_id: int | None = None
    resolved_group_id: int | None = None
    resolved_tier: int | None = None
    resolved_at: datetime | None = None
    confirmed_at: datetime | None = None
    closure_code: str | None = None
    first_response_at: datetime | None = None
    reopen_count: int = 0
    escalation_level: int = 0


class GroupRef(NamedTuple):
    id: int
    tier: int
    kind: str


def _require_from(action: str, state: IncidentState) -> None:
    if state.status not in ALLOWED_FROM[action]:
        raise InvalidTransition(action=action, status=state.status)


def _required_text(value: str | None, field: str) -> str:
    text = (value or "").strip()
    if not text:
        raise ValidationError("error.required", field=field)
    return text


require_from, required_text = _require_from, _required_text  # (for desk.domain.request_convert)


def _first_response(state: IncidentState, now: datetime) -> dict:
    return {} if state.first_response_at else {"first_response_at": now}


def plan_assign(state: IncidentState, now: datetime, agent_id: int | None, group: GroupRef | None) -> dict:
    _require_from("assign", state)
    if agent_id is None and group is None:
        raise ValidationError("error.assign_target")
    if group is not None and group.tier != state.tier:
        # Moving between tiers is dispatch, which needs a reason: escalate or return instead.
        raise InvalidTransition("error.assign_tier", tier=state.tier, got=group.tier)
    changes: dict = {"status": ASSIGNED if state.status != IN_PROGRESS or agent_id is None else IN_PROGRESS}
    if group is not None:
        changes["group_id"] = group.id
        changes["tier"] = group.tier
        if agent_id is None:
            changes["assignee_id"] = None
            changes["status"] = ASSIGNED
    if agent_id is not None:
        changes["assignee_id"] = agent_id
        if agent_id != state.assignee_id:
            changes["status"] = ASSIGNED
    return changes


def plan_start(state: IncidentState, now: datetime, actor_id: int) -> dict:
    _require_from("start", state)
    if state.status == IN_PROGRESS and state.assignee_id == actor_id:
        raise InvalidTransition("error.already_started")
    return {"status": IN_PROGRESS, "assignee_id": actor_id, **_first_response(state, now)}


def plan_escalate(state: IncidentState, now: datetime, group: GroupRef, reason: str | None) -> dict:
    """Functional escalation: to a group of the next tier (L1 -> L2 -> vendor)."""
    _require_from("escalate", state)
    reason = _required_text(reason, "reason")
    if state.tier >= MAX_TIER:
        raise InvalidTransition("error.top_tier")
    if group.tier != state.tier + 1:
        raise InvalidTransition("error.escalate_tier", tier=state.tier + 1, got=group.tier)
    return {
        "status": ASSIGNED,
        "tier": group.tier,
        "group_id": group.id,
        "assignee_id": None,
        "_note": reason,
        **_first_response(state, now),
    }


def plan_escalate_hierarchical(state: IncidentState, now: datetime, reason: str | None) -> dict:
    """Hierarchical escalation: raise attention to the incident manager and leaders."""
    _require_from("escalate_hierarchical", state)
    reason = _required_text(reason, "reason")
    return {"escalation_level": state.escalation_level + 1, "_note": reason}


def plan_return(state: IncidentState, now: datetime, group: GroupRef, reason: str | None) -> dict:
    """Second line or a vendor hands the incident back a tier, with the reason."""
    _require_from("return", state)
    reason = _required_text(reason, "reason")
    if state.tier <= 1:
        raise InvalidTransition("error.bottom_tier")
    if group.tier >= state.tier:
        raise InvalidTransition("error.return_tier", tier=state.tier - 1, got=group.tier)
    return {"status": ASSIGNED, "tier": group.tier, "group_id": group.id, "assignee_id": None, "_note": reason}


def plan_resolve(state: IncidentState, now: datetime, actor_id: int, code: str | None, note: str | None,
                 closure_codes: frozenset[str]) -> dict:
    _require_from("resolve", state)
    if not code:
        raise ValidationError("error.required", field="code")
    if code not in closure_codes or code == TO_REQUEST:
        raise ValidationError("error.unknown_code", table="closure_code", code=code)
    note = _required_text(note, "note")
    return {
        "status": RESOLVED,
        "resolved_at": now,
        "confirmed_at": None,
        "closure_code": code,
        "resolution": note,
        "resolved_by_id": actor_id,
        "resolved_group_id": state.group_id,
        "_note": note,
        **_first_response(state, now),
    }


def plan_confirm(state: IncidentState, now: datetime) -> dict:
    _require_from("confirm", state)
    if state.confirmed_at is not None:
        raise InvalidTransition("error.already_confirmed")
    return {"confirmed_at": now}


def plan_reopen(state: IncidentState, now: datetime, reason: str | None) -> dict:
    """Not confirmed by the caller: back to whoever resolved it (200.9)."""
    _require_from("reopen", state)
    reason = _required_text(reason, "reason")
    changes = {
        "status": ASSIGNED,
        "resolved_at": None,
        "confirmed_at": None,
        "closure_code": None,
        "reopen_count": state.reopen_count + 1,
        "_note": reason,
    }
    if state.resolved_by_id is not None:
        changes["assignee_id"] = state.resolved_by_id
    if state.resolved_group_id is not None:
        changes["group_id"] = state.resolved_group_id
    if state.resolved_tier is not None:
        changes["tier"] = state.resolved_tier
    return changes


def auto_confirmable(state: IncidentState, now: datetime, auto_confirm_days: float) -> bool:
    """The caller stayed silent past the configured time after resolution."""
    return (
        state.resolved_at is not None
        and auto_confirm_days >= 0
        and now - state.resolved_at >= timedelta(days=auto_confirm_days)
    )


def plan_close(state: IncidentState, now: datetime, code: str | None, closure_codes: frozenset[str],
               auto_confirm_days: float) -> dict:
    _require_from("close", state)
    code = code or state.closure_code
    if not code:
        raise ValidationError("error.required", field="code")
    if code not in closure_codes or code == TO_REQUEST:
        raise ValidationError("error.unknown_code", table="closure_code", code=code)
    if state.confirmed_at is None and not auto_confirmable(state, now, auto_confirm_days):
        raise InvalidTransition("error.not_confirmed", days=auto_confirm_days)
    changes = {"status": CLOSED, "closed_at": now}
    if code != state.closure_code:
        changes["closure_code"] = code
    return changes


def plan_set_service(state: IncidentState, current_service_id: int | None, service_id: int, code: str,
                     version_id: int | None, version_status: str | None) -> dict:
    """Put the incident under another catalogue service: from now on it keeps that service's
    version in force (its targets and service hours; the SLA clock is re-timed on them, the time
    already spent and held kept). Only a service that may be ordered now: a version in force, not
    retired. The same service again is refused (it would silently move the incident to a newer
    version of its terms)."""
    _require_from("set_service", state)
    if version_id is None:
        raise ValidationError("error.service_not_in_force", code=code)
    if version_status != "published":
        raise ValidationError("error.service_retired", code=code)
    if service_id == current_service_id:
        raise ValidationError("error.same_service", code=code)
    return {"service_id": service_id, "service_version_id": version_id}


def plan_set_priority(state: IncidentState, matrix, current: tuple[int, int], impact: int, urgency: int,
                      reason: str | None) -> dict:
    """Correct the incident's impact and urgency; its priority follows the matrix (and its SLA
    clock is re-targeted on the new priority's targets, the time spent and held kept). The reason
    is required: the priority sets what the desk is held to. The same impact and urgency again are
    refused (nothing would change)."""
    _require_from("set_priority", state)
    priority = matrix.priority(impact, urgency)  # (out of the matrix: refused with the range)
    if (impact, urgency) == tuple(current):
        raise ValidationError("error.same_priority", impact=impact, urgency=urgency)
    return {"impact": impact, "urgency": urgency, "priority": priority, "_note": _required_text(reason, "reason")}


def plan_note(state: IncidentState, now: datetime, text: str | None) -> dict:
    _require_from("note", state)
    return {"_note": _required_text(text, "text"), **_first_response(state, now)}
