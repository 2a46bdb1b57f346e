"""The change (RFC) state machine and its approval rules (seed 004 §4.1: request and assess,
control, record and track, approve and announce; §4.3: migrations and retirements are changes).

    draft ──submit──▶ assessment ──assess──▶ awaiting_approval ──approve──▶ approved
                                                  └──reject──▶ rejected
    approved ──schedule──▶ scheduled ──start──▶ implementing ──review (outcome)──▶ review ──close──▶ closed

By type:
- normal: assessed (risk, impact, implementation and back-out plans), then decided by the change
  advisory board (CAB): with rule "any" one member's approval suffices, with "all" every member
  but the requester must approve; any member's rejection rejects it.
- emergency: skips the assessment step (its plans are required when it is submitted); a CAB
  member or a shift lead approves it alone. One approved by a shift lead is reviewed by the CAB
  afterwards: only a CAB member may close it (the post-implementation review).
- standard: pre-approved by its template (a catalogue service's standard change): submitting it
  approves it.
Nobody decides on their own change. Each planner takes the change's state and the request,
checks the guards and returns the field changes; no database.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from typing import NamedTuple

from desk.domain.errors import InvalidTransition, NotAllowed, ValidationError

DRAFT, ASSESSMENT, AWAITING, APPROVED, REJECTED, SCHEDULED, IMPLEMENTING, REVIEW, CLOSED = (
    "draft", "assessment", "awaiting_approval", "approved", "rejected", "scheduled", "implementing", "review",
    "closed")
STATUSES = (DRAFT, ASSESSMENT, AWAITING, APPROVED, REJECTED, SCHEDULED, IMPLEMENTING, REVIEW, CLOSED)
STANDARD, NORMAL, EMERGENCY = "standard", "normal", "emergency"
TYPES = (STANDARD, NORMAL, EMERGENCY)
OUTCOMES = ("successful", "failed", "backed_out")
RISKS = ("low", "medium", "high")
RULES = ("any", "all")
# How a change came to be approved: by the CAB, by a shift lead (emergency), by its template (standard).
VIA_CAB, VIA_LEAD, VIA_TEMPLATE = "cab", "lead", "template"
# A change can have caused an incident only once work on it began.
CAUSING = frozenset({IMPLEMENTING, REVIEW, CLOSED})
# What the calendar shows: changes with a window that is planned or was carried out.
ON_CALENDAR = frozenset({APPROVED, SCHEDULED, IMPLEMENTING, REVIEW, CLOSED})

ALLOWED_FROM: dict[str, frozenset[str]] = {
    "submit": frozenset({DRAFT}),
    "assess": frozenset({ASSESSMENT}),
    "approve": frozenset({AWAITING}),
    "reject": frozenset({AWAITING}),
    "schedule": frozenset({APPROVED, SCHEDULED}),
    "start": frozenset({SCHEDULED}),
    "review": frozenset({IMPLEMENTING}),
    "close": frozenset({REVIEW}),
    "link_incident": CAUSING,
    "unlink_incident": CAUSING,
}


class ChangeState(NamedTuple):
    status: str
    type: str
    requester_id: int | None
    template: str = ""
    reason: str = ""
    risk: str = ""
    impact: str = ""
    implementation_plan: str = ""
    backout_plan: str = ""
    planned_start: datetime | None = None
    planned_end: datetime | None = None
    approved_via: str = ""


def require_from(action: str, status: str) -> None:
    if status not in ALLOWED_FROM[action]:
        raise InvalidTransition("change.error.transition", kind="change", step=action, status=status)


def _filled(value: str | None) -> bool:
    return bool((value or "").strip())


def _required(value: str | None, field: str) -> str:
    if not _filled(value):
        raise ValidationError("error.required", field=field)
    return value or ""


def check_window(start: datetime | None, end: datetime | None) -> None:
    if (start is None) != (end is None):
        raise ValidationError("error.required", field="end" if end is None else "start")
    if start is not None and end <= start:
        raise ValidationError("change.error.window", start=start, end=end)  # (instants: said in the desk's zone)


def plan_submit(state: ChangeState, now: datetime, templates: frozenset[str]) -> dict:
    require_from("submit", state.status)
    if state.type == STANDARD:
        if state.template not in templates:
            raise ValidationError("change.error.unknown_template", code=state.template or "—")
        return {"status": APPROVED, "approved_via": VIA_TEMPLATE, "approved_at": now}
    _required(state.reason, "reason")
    if state.type == EMERGENCY:
        _required(state.implementation_plan, "implementation_plan")
        _required(state.backout_plan, "backout_plan")
        return {"status": AWAITING}
    return {"status": ASSESSMENT}


def plan_assess(state: ChangeState, now: datetime, risk: str | None, impact: str | None,
                implementation_plan: str | None, backout_plan: str | None, test_plan: str | None) -> dict:
    """The risk and impact assessment; the plans given here replace those on the change."""
    require_from("assess", state.status)
    risk = risk or state.risk
    if risk not in RISKS:
        raise ValidationError("change.error.unknown_risk", code=risk or "—")
    changes: dict = {"status": AWAITING, "risk": risk}
    for field, given, held in (("impact", impact, state.impact),
                               ("implementation_plan", implementation_plan, state.implementation_plan),
                               ("backout_plan", backout_plan, state.backout_plan)):
        if _filled(given):
            changes[field] = given
        elif not _filled(held):
            raise ValidationError("error.required", field=field)
    if _filled(test_plan):
        changes["test_plan"] = test_plan
    return changes


class Board(NamedTuple):
    """Who decides: the CAB's agent ids and its rule ("any" or "all")."""

    members: frozenset[int]
    rule: str = "any"


def plan_decide(state: ChangeState, now: datetime, actor_id: int, actor_is_lead: bool, decision: str,
                board: Board, decided: dict[int, str]) -> dict:
    """One approver's decision (`decision`: "approve" or "reject"). `decided`: agent id ->
    decision already recorded for this change. Returns the changes; `_recorded` names the
    decision for the history row (the service writes the approval row)."""
    require_from(decision, state.status)
    if actor_id == state.requester_id:
        raise NotAllowed("change.error.own_change", kind="change")
    member = actor_id in board.members
    if not member and not (state.type == EMERGENCY and actor_is_lead):
        raise NotAllowed("change.error.not_cab" if state.type != EMERGENCY else "change.error.not_cab_or_lead",
                         kind="change")
    if actor_id in decided:
        raise InvalidTransition("change.error.already_decided", decision=decided[actor_id])
    changes: dict = {"_recorded": {"decision": [None, decision]}}
    if decision == "reject":
        changes["status"] = REJECTED
        return changes
    if state.type == EMERGENCY:
        changes.update(status=APPROVED, approved_via=VIA_CAB if member else VIA_LEAD, approved_at=now)
        return changes
    approvals = {agent for agent, d in decided.items() if d == "approve"} | {actor_id}
    needed = board.members - {state.requester_id}
    if board.rule == "any" or needed <= approvals:
        changes.update(status=APPROVED, approved_via=VIA_CAB, approved_at=now)
    return changes


def plan_schedule(state: ChangeState, now: datetime, start: datetime | None, end: datetime | None) -> dict:
    require_from("schedule", state.status)
    start = start or state.planned_start
    end = end or state.planned_end
    if start is None or end is None:
        raise ValidationError("error.required", field="start" if start is None else "end")
    check_window(start, end)
    return {"status": SCHEDULED, "planned_start": start, "planned_end": end}


def plan_start(state: ChangeState, now: datetime, implementer_id: int) -> dict:
    require_from("start", state.status)
    return {"status": IMPLEMENTING, "actual_start": now, "implementer_id": implementer_id}


def plan_review(state: ChangeState, now: datetime, outcome: str | None, note: str | None) -> dict:
    """Implementation is over: its outcome is recorded and the change awaits its review."""
    require_from("review", state.status)
    if outcome not in OUTCOMES:
        raise ValidationError("change.error.unknown_outcome", code=outcome or "—")
    return {"status": REVIEW, "outcome": outcome, "actual_end": now, "_note": note or ""}


def plan_close(state: ChangeState, now: datetime, review: str | None, reviewer_in_cab: bool) -> dict:
    """The post-implementation review closes the change. An emergency change a shift lead
    approved is reviewed by the CAB afterwards: only a member may close it."""
    require_from("close", state.status)
    text = _required(review, "review")
    if state.approved_via == VIA_LEAD and not reviewer_in_cab:
        raise NotAllowed("change.error.needs_cab_review", kind="change")
    return {"status": CLOSED, "review": text, "closed_at": now, "_note": text}


# --- services named on a change, the calendar ------------------------------------------------------

_SEPARATORS = re.compile(r"[,;\n]+")


def service_names(text: str | None) -> frozenset[str]:
    """The services a change names (free text, comma-separated), compared case-insensitively."""
    return frozenset(part.strip().casefold() for part in _SEPARATORS.split(text or "") if part.strip())


_WEEK = re.compile(r"^(\d{4})-?W(\d{1,2})$", re.I)


def week_start(text: str | None, now: datetime) -> datetime:
    """Monday 00:00 of an ISO week written "2026-W49" (None: the week of `now`)."""
    if not text:
        monday = now - timedelta(days=now.weekday())
        return monday.replace(hour=0, minute=0, second=0, microsecond=0)
    m = _WEEK.match(text.strip())
    try:
        if not m:
            raise ValueError(text)
        return datetime.fromisocalendar(int(m.group(1)), int(m.group(2)), 1)
    except ValueError:
        raise ValidationError("change.error.bad_week", week=text) from None


class Window(NamedTuple):
    id: int
    services: frozenset[str]
    start: datetime
    end: datetime


def conflicts(windows: list[Window]) -> dict[int, list[tuple[int, str]]]:
    """Change id -> [(other change id, shared service)] for windows that overlap in time and name
    a service in common (a change touching the end of another does not overlap it)."""
    found: dict[int, list[tuple[int, str]]] = {}
    ordered = sorted(windows, key=lambda w: (w.start, w.id))
    for i, a in enumerate(ordered):
        for b in ordered[i + 1:]:
            if b.start >= a.end:
                break
            for service in sorted(a.services & b.services):
                found.setdefault(a.id, []).append((b.id, service))
                found.setdefault(b.id, []).append((a.id, service))
    return found
