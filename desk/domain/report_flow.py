"""Service reports (seed 000): the report list's change-and-confirm rule, the report's review
workflow, and report periods. Pure rules: no database.

The report list (服务报告清单): the report manager drafts an entry or a change to one; it takes
effect only when a reviewer confirms it (steps 1–2). Nobody confirms their own change.

A report of one period:

    draft ──submit_for_review──▶ confirming ──confirm──▶ reviewing ──approve──▶ approved
      ▲                              │                       │                     │
      └──── (edit, regenerate) ◀── returned ◀──return───────┘                   submit
                                                                                   ▼
                                                        archived ◀──archive── submitted

The first sign-off (confirming) is the entry's confirmer (a department or process manager); an
entry without one goes straight to the reviewer (the operations-centre lead, or the ITSM
representative). Only the named person acts on their step; the writer never signs off their own
report. Submitted and archived reports never change again; feedback is recorded against them.
"""

from __future__ import annotations

from calendar import monthrange
from datetime import date, datetime, timedelta
from typing import NamedTuple

from desk.domain.errors import InvalidTransition, NotAllowed, Said, ValidationError

# --- the report list entry ------------------------------------------------------------------------

AUDIENCES = ("customer", "internal", "management")
BASES = ("sla", "ola", "uc", "management")
PERIODS = ("weekly", "monthly", "quarterly")
# What a report may contain (the order a report shows them in).
SECTIONS = ("volume", "resolution", "escalation", "times", "reopen", "backlog", "workload", "comparison",
            "requests", "sla")
SPEC_FIELDS = {
    "en": str, "zh": str, "audience": str, "basis": str, "period": str, "due_days": int, "writer": str,
    "confirmer": str, "reviewer": str, "recipients": list, "channel": str, "sections": list,
}
# writer / confirmer / reviewer: an agent's login; empty: anyone whose role allows the step (never
# the writer for a sign-off). An entry without a confirmer has one sign-off step, the reviewer's.
SPEC_DEFAULTS = {"writer": "", "confirmer": "", "reviewer": "", "recipients": [], "channel": "email", "due_days": 5}

SPEC_CONFIRMED, SPEC_PENDING, SPEC_RETIRED = "confirmed", "pending", "retired"


def spec_problems(entry: dict) -> list[tuple[str, Said]]:
    """What is wrong with a report list entry: (field, what) pairs, `what` a message key and its
    values (config.report.*); none when it is fine."""
    out: list[tuple[str, Said]] = []
    for name, kind in SPEC_FIELDS.items():
        if name not in entry:
            if name not in SPEC_DEFAULTS:
                out.append((name, Said("config.report.missing", {"name": name})))
            continue
        value = entry[name]
        if kind is int and (isinstance(value, bool) or not isinstance(value, int)):
            out.append((name, Said("config.report.whole_number", {"name": name, "value": repr(value)})))
        elif kind is not int and not isinstance(value, kind):
            key = "config.report.list" if kind is list else "config.report.text"
            out.append((name, Said(key, {"name": name, "value": repr(value)})))
    for name in entry:
        if name != "code" and name not in SPEC_FIELDS:
            out.append((name, Said("config.report.unknown_field", {"name": name})))
    if out:
        return out
    for name, allowed in (("audience", AUDIENCES), ("basis", BASES), ("period", PERIODS)):
        if entry[name] not in allowed:
            out.append((name, Said("config.report.one_of", {"name": name, "value": repr(entry[name]),
                                                            "known": ", ".join(f"`{a}`" for a in allowed)})))
    if not 0 <= entry.get("due_days", 5) <= 60:
        out.append(("due_days", Said("config.report.due_days")))
    unknown = [s for s in entry["sections"] if s not in SECTIONS]
    if unknown:
        out.append(("sections", Said("config.report.unknown_section", {"value": repr(unknown[0]),
                                                                       "known": ", ".join(f"`{s}`" for s in SECTIONS)})))
    if not entry["sections"]:
        out.append(("sections", Said("config.report.no_sections")))
    if not all(isinstance(r, str) for r in entry.get("recipients", [])):
        out.append(("recipients", Said("config.report.recipients")))
    if entry.get("confirmer") and entry["confirmer"] == entry.get("reviewer"):
        out.append(("confirmer", Said("config.report.two_people")))
    for name in ("confirmer", "reviewer"):
        if entry.get(name) and entry.get(name) == entry.get("writer"):
            out.append((name, Said(f"config.report.writer_{name}")))
    return out


def normalised(entry: dict) -> dict:
    """The entry with every field present (defaults filled in), keys in a stable order."""
    out = {**SPEC_DEFAULTS, **{k: v for k, v in entry.items() if k in SPEC_FIELDS}}
    return {k: out[k] for k in SPEC_FIELDS}


def plan_spec_confirm(pending_by: int | None, actor_id: int, content: dict, pending: dict | None) -> dict:
    """The reviewer confirms the pending change: it becomes the entry in force."""
    if pending is None:
        raise InvalidTransition("report.error.nothing_pending")
    if pending_by == actor_id:
        raise NotAllowed("report.error.own_change")
    return pending


# --- the report's workflow ---------------------------------------------------------------------------

DRAFT, CONFIRMING, REVIEWING, APPROVED, SUBMITTED, ARCHIVED, RETURNED = (
    "draft", "confirming", "reviewing", "approved", "submitted", "archived", "returned")
STATUSES = (DRAFT, CONFIRMING, REVIEWING, APPROVED, SUBMITTED, ARCHIVED, RETURNED)
EDITABLE = frozenset({DRAFT, RETURNED})
DONE = frozenset({SUBMITTED, ARCHIVED})  # submitted on time or late: no longer "late"

ALLOWED_FROM: dict[str, frozenset[str]] = {
    "generate": EDITABLE,
    "edit": EDITABLE,
    "submit_for_review": EDITABLE,
    "confirm": frozenset({CONFIRMING}),
    "approve": frozenset({REVIEWING}),
    "return": frozenset({CONFIRMING, REVIEWING}),
    "submit": frozenset({APPROVED}),
    "archive": frozenset({SUBMITTED}),
    "feedback": frozenset({SUBMITTED, ARCHIVED}),
}


class ReportState(NamedTuple):
    status: str
    writer_id: int | None
    confirmer: str  # logins named by the entry when the report was generated
    reviewer: str


def require_from(action: str, status: str) -> None:
    if status not in ALLOWED_FROM[action]:
        # "the service report is draft" read badly: the sentence says what the report is ("a draft")
        raise InvalidTransition("report.error.transition", kind="report", step=action, status=status,
                                state=Said(f"report.state.{status}"))


def _signer(state: ReportState, login: str, actor_id: int, named: str, step: str, is_admin: bool) -> None:
    if actor_id == state.writer_id:
        raise NotAllowed("report.error.own_report", step=step)
    if named and login != named:
        raise NotAllowed("report.error.not_named", step=step, named=named)


def plan_submit_for_review(state: ReportState) -> dict:
    require_from("submit_for_review", state.status)
    return {"status": CONFIRMING if state.confirmer else REVIEWING, "return_note": ""}


def plan_confirm(state: ReportState, login: str, actor_id: int, is_admin: bool) -> dict:
    require_from("confirm", state.status)
    _signer(state, login, actor_id, state.confirmer, "confirm", is_admin)
    return {"status": REVIEWING, "confirmed_by_id": actor_id}


def plan_approve(state: ReportState, login: str, actor_id: int, is_admin: bool) -> dict:
    require_from("approve", state.status)
    _signer(state, login, actor_id, state.reviewer, "approve", is_admin)
    return {"status": APPROVED, "reviewed_by_id": actor_id}


def plan_return(state: ReportState, login: str, actor_id: int, is_admin: bool, comments: str | None) -> dict:
    require_from("return", state.status)
    named = state.confirmer if state.status == CONFIRMING else state.reviewer
    _signer(state, login, actor_id, named, "return", is_admin)
    if not (comments or "").strip():
        raise ValidationError("error.required", field="comments")
    return {"status": RETURNED, "return_note": comments, "_note": comments}


def plan_submit(state: ReportState, login: str, actor_id: int, is_admin: bool, now: datetime) -> dict:
    require_from("submit", state.status)
    _signer(state, login, actor_id, state.reviewer, "submit", is_admin)
    return {"status": SUBMITTED, "submitted_at": now, "submitted_by_id": actor_id}


def plan_archive(state: ReportState, now: datetime) -> dict:
    require_from("archive", state.status)
    return {"status": ARCHIVED, "archived_at": now}


# --- periods -------------------------------------------------------------------------------------------

class Period(NamedTuple):
    key: str  # 2026-10, 2026-W44, 2026-Q4
    start: datetime  # inclusive
    end: datetime  # exclusive

    def previous(self) -> Period:
        return period_containing(self.key_kind(), self.start - timedelta(days=1))

    def key_kind(self) -> str:
        return "weekly" if "-W" in self.key else "quarterly" if "-Q" in self.key else "monthly"


def parse_period(kind: str, text: str) -> Period:
    """'2026-10' (monthly), '2026-W44' (ISO week), '2026-Q4' (quarterly); refused otherwise."""
    text = (text or "").strip()
    try:
        if kind == "monthly":
            year, month = (int(p) for p in text.split("-"))
            start = datetime(year, month, 1)
        elif kind == "weekly":
            year, week = text.split("-W")
            start = datetime.combine(date.fromisocalendar(int(year), int(week), 1), datetime.min.time())
        elif kind == "quarterly":
            year, quarter = text.split("-Q")
            if not 1 <= int(quarter) <= 4:
                raise ValueError
            start = datetime(int(year), 3 * int(quarter) - 2, 1)
        else:
            raise ValueError
    except (ValueError, TypeError):
        raise ValidationError("report.error.bad_period", period=text, kind=kind) from None
    return period_containing(kind, start)


def period_containing(kind: str, moment: datetime) -> Period:
    if kind == "weekly":
        start = datetime(moment.year, moment.month, moment.day) - timedelta(days=moment.weekday())
        iso = start.isocalendar()
        return Period(f"{iso[0]}-W{iso[1]:02d}", start, start + timedelta(days=7))
    if kind == "quarterly":
        quarter = (moment.month - 1) // 3 + 1
        start = datetime(moment.year, 3 * quarter - 2, 1)
        return Period(f"{moment.year}-Q{quarter}", start, _add_months(start, 3))
    start = datetime(moment.year, moment.month, 1)
    return Period(f"{moment.year}-{moment.month:02d}", start, _add_months(start, 1))


def _add_months(start: datetime, months: int) -> datetime:
    month = start.month - 1 + months
    year = start.year + month // 12
    month = month % 12 + 1
    return datetime(year, month, min(start.day, monthrange(year, month)[1]))


def due_after(end: datetime, working_days: int, is_working_day=None) -> datetime:
    """The end of the `working_days`-th working day after the period ends (Monday to Friday
    unless `is_working_day(date)` says otherwise: the SLA calendar's days)."""
    working = is_working_day or (lambda d: d.weekday() < 5)
    day = end.date()  # the period's end is the start of its first day after
    counted = 0
    while counted < working_days:
        if working(day):
            counted += 1
            if counted == working_days:
                break
        day += timedelta(days=1)
    if working_days == 0:
        return end
    return datetime.combine(day + timedelta(days=1), datetime.min.time())
