"""The problem state machine (seed 004 §5.3: identify and record, classify, analyse the root
cause, solve and track).

    new ──investigate──▶ under_investigation ──root_cause──▶ root_cause_known
    root_cause_known ──known_error (workaround)──▶ known_error
    root_cause_known / known_error ──resolve (permanent fix)──▶ resolved ──close──▶ closed

A known error publishes its workaround as a knowledge article (the service does that); resolving
needs the permanent fix (a text, a change whose outcome was successful, or both). Incidents are
linked and unlinked while the problem is open (not closed). Each planner takes the problem's
current state and the request, checks the guards and returns the field changes; no database.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from desk.domain.errors import InvalidTransition, ValidationError

NEW, INVESTIGATING, ROOT_CAUSE, KNOWN_ERROR, RESOLVED, CLOSED = (
    "new", "under_investigation", "root_cause_known", "known_error", "resolved", "closed")
STATUSES = (NEW, INVESTIGATING, ROOT_CAUSE, KNOWN_ERROR, RESOLVED, CLOSED)
OPEN = frozenset({NEW, INVESTIGATING, ROOT_CAUSE, KNOWN_ERROR})

# action -> statuses it may start from (the table the tests walk).
ALLOWED_FROM: dict[str, frozenset[str]] = {
    "investigate": frozenset({NEW}),
    "root_cause": frozenset({INVESTIGATING, ROOT_CAUSE}),
    "known_error": frozenset({ROOT_CAUSE}),
    "resolve": frozenset({ROOT_CAUSE, KNOWN_ERROR}),
    "close": frozenset({RESOLVED}),
    "note": OPEN | {RESOLVED},
    "link": OPEN | {RESOLVED},
    "unlink": OPEN | {RESOLVED},
}


class ProblemState(NamedTuple):
    status: str
    owner_id: int | None = None
    group_id: int | None = None
    root_cause: str = ""
    workaround: str = ""


def require_from(action: str, status: str) -> None:
    if status not in ALLOWED_FROM[action]:
        raise InvalidTransition("problem.error.transition", kind="problem", step=action, status=status)


def _required(value: str | None, field: str) -> str:
    if not (value or "").strip():
        raise ValidationError("error.required", field=field)
    return value or ""


def plan_investigate(state: ProblemState, now: datetime, owner_id: int, group_id: int | None) -> dict:
    """Someone takes the problem and starts the analysis."""
    require_from("investigate", state.status)
    changes: dict = {"status": INVESTIGATING, "owner_id": owner_id}
    if group_id is not None:
        changes["group_id"] = group_id
    return changes


def plan_root_cause(state: ProblemState, now: datetime, root_cause: str | None) -> dict:
    require_from("root_cause", state.status)
    text = _required(root_cause, "root_cause")
    return {"status": ROOT_CAUSE, "root_cause": text, "_note": text}


def plan_known_error(state: ProblemState, now: datetime, workaround: str | None) -> dict:
    """A known error: the root cause is known and a workaround is documented (and published)."""
    require_from("known_error", state.status)
    text = _required(workaround, "workaround")
    if not state.root_cause.strip():
        raise ValidationError("error.required", field="root_cause")
    return {"status": KNOWN_ERROR, "workaround": text, "known_error_at": now, "_note": text}


def plan_resolve(state: ProblemState, now: datetime, fix: str | None, fix_change_id: int | None,
                 change_outcome_ok: bool | None) -> dict:
    """The permanent fix: a text, or a change that was implemented successfully (or both).
    `change_outcome_ok`: whether the named change ended successfully (None: no change named)."""
    require_from("resolve", state.status)
    if not (fix or "").strip() and fix_change_id is None:
        raise ValidationError("error.required", field="fix")
    if fix_change_id is not None and not change_outcome_ok:
        raise InvalidTransition("problem.error.fix_change_not_done", id=fix_change_id)
    changes: dict = {"status": RESOLVED, "fix": fix or "", "resolved_at": now, "_note": fix or ""}
    if fix_change_id is not None:
        changes["fix_change_id"] = fix_change_id
    return changes


def plan_close(state: ProblemState, now: datetime) -> dict:
    require_from("close", state.status)
    return {"status": CLOSED, "closed_at": now}


def plan_note(state: ProblemState, now: datetime, text: str | None) -> dict:
    require_from("note", state.status)
    return {"_note": _required(text, "text")}


def plan_link(state: ProblemState, action: str, incident_ids: list[int]) -> dict:
    """Link (or unlink) incidents: the problem's history row names the ids added (or removed)."""
    require_from(action, state.status)
    if not incident_ids:
        raise ValidationError("error.required", field="incidents")
    ids = sorted(set(incident_ids))
    return {"_recorded": {"incidents": [None, ids] if action == "link" else [ids, None]}}
