"""Plain values the problem and change services hand to screens and the CLI (never peewee rows).

What a queue line, a detail screen, the change calendar, the problem candidates and a bulk
resolution show; each has `to_json()` for `--json` (docs/json.md)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any, NamedTuple

from desk.services.views import HistoryEntry


def _iso(value):
    if isinstance(value, datetime):
        return value.isoformat(timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    return value


def _plain(row: NamedTuple, skip: tuple[str, ...] = ()) -> dict:
    return {k: _iso(v) for k, v in row._asdict().items() if k not in skip}


# --- problems ---------------------------------------------------------------------------------------

class LinkedIncident(NamedTuple):
    id: int
    title: str
    status: str
    priority: int
    version: int

    def to_json(self) -> dict:
        return _plain(self)


class ProblemRow(NamedTuple):
    id: int
    priority: int
    status: str
    title: str
    service: str
    category: str
    owner: str
    group: str
    incidents: int  # how many incidents are linked
    opened_at: datetime
    updated_at: datetime
    version: int

    def to_json(self) -> dict:
        return _plain(self)


class ProblemDetail(NamedTuple):
    id: int
    title: str
    description: str
    category: str
    service: str
    impact: int
    urgency: int
    priority: int
    status: str
    root_cause: str
    workaround: str
    fix: str
    fix_change: int | None
    article: int | None
    owner: str
    group: str
    created_by: str
    opened_at: datetime
    known_error_at: datetime | None
    resolved_at: datetime | None
    closed_at: datetime | None
    updated_at: datetime
    version: int
    incidents: Sequence[LinkedIncident] = ()
    history: Sequence[HistoryEntry] = ()

    @property
    def open_incidents(self) -> list[LinkedIncident]:
        from desk.domain.incident_flow import OPEN

        return [i for i in self.incidents if i.status in OPEN]

    def to_json(self) -> dict:
        out = _plain(self, ("incidents", "history"))
        out["incidents"] = [i.to_json() for i in self.incidents]
        out["history"] = [h.to_json() for h in self.history]
        return out


class Candidate(NamedTuple):
    """Recurring incidents not linked to any problem: `count` of them in the window, with the
    most recent ids (at most a page)."""

    service: str
    category: str
    count: int
    first_at: datetime
    last_at: datetime
    incident_ids: tuple[int, ...]
    fingerprint: str | None = None  # the alert fingerprint they share, when grouped by it

    def to_json(self) -> dict:
        out = _plain(self)
        out["incident_ids"] = list(self.incident_ids)
        return out


class ItemResult(NamedTuple):
    """What happened to one record of a bulk action: `error` is the refusal (a DeskError)."""

    id: int
    ok: bool
    version: int | None = None
    error: Any = None

    @property
    def stale(self) -> bool:
        from desk.domain.errors import StaleVersion

        return isinstance(self.error, StaleVersion)

    def to_json(self, lang: str = "en") -> dict:
        out: dict = {"id": self.id, "ok": self.ok, "version": self.version}
        if self.error is not None:
            out["error"] = self.error.to_json()
            out["message"] = self.error.message(lang)
        return out


class BulkResult(NamedTuple):
    results: tuple[ItemResult, ...]

    @property
    def done(self) -> list[ItemResult]:
        return [r for r in self.results if r.ok]

    @property
    def refused(self) -> list[ItemResult]:
        return [r for r in self.results if not r.ok]

    def to_json(self, lang: str = "en") -> dict:
        return {"done": [r.id for r in self.done], "refused": [r.id for r in self.refused],
                "results": [r.to_json(lang) for r in self.results]}


# --- changes ----------------------------------------------------------------------------------------

class Decision(NamedTuple):
    agent: str
    decision: str  # approve, reject
    at: datetime
    note: str

    def to_json(self) -> dict:
        return _plain(self)


class ChangeRow(NamedTuple):
    id: int
    type: str
    status: str
    title: str
    services: str
    risk: str
    planned_start: datetime | None
    planned_end: datetime | None
    requester: str
    outcome: str | None
    updated_at: datetime
    version: int

    def to_json(self) -> dict:
        return _plain(self)


class ChangeDetail(NamedTuple):
    id: int
    title: str
    description: str
    reason: str
    type: str
    template: str
    services: str
    items: str
    risk: str
    impact: str
    implementation_plan: str
    backout_plan: str
    test_plan: str
    planned_start: datetime | None
    planned_end: datetime | None
    actual_start: datetime | None
    actual_end: datetime | None
    status: str
    outcome: str | None
    review: str
    approved_via: str
    requester: str
    implementer: str
    created_at: datetime
    approved_at: datetime | None
    closed_at: datetime | None
    updated_at: datetime
    version: int
    decisions: Sequence[Decision] = ()
    incidents: Sequence[LinkedIncident] = ()  # incidents this change caused
    problems: Sequence[int] = ()  # problems whose permanent fix it is
    history: Sequence[HistoryEntry] = ()

    def to_json(self) -> dict:
        out = _plain(self, ("decisions", "incidents", "problems", "history"))
        out["decisions"] = [d.to_json() for d in self.decisions]
        out["incidents"] = [i.to_json() for i in self.incidents]
        out["problems"] = list(self.problems)
        out["history"] = [h.to_json() for h in self.history]
        return out


class CalendarEntry(NamedTuple):
    """A change on one day of the calendar, with the changes it conflicts with: (id, service)."""

    change: ChangeRow
    conflicts: tuple[tuple[int, str], ...] = ()

    def to_json(self) -> dict:
        out = self.change.to_json()
        out["conflicts"] = [{"id": other, "service": service} for other, service in self.conflicts]
        return out


class CalendarDay(NamedTuple):
    day: date
    entries: tuple[CalendarEntry, ...]
    freeze: Any = None  # the change freeze covering the day (desk.domain.change_freeze.Freeze), if any

    def to_json(self) -> dict:
        return {"day": self.day.isoformat(), "changes": [e.to_json() for e in self.entries],
                "freeze": self.freeze.code if self.freeze else None}


class Calendar(NamedTuple):
    """A week of changes by day (Monday first); `conflicts`: change id -> [(other id, service)]."""

    week: str  # ISO week, 2026-W49
    start: datetime
    days: tuple[CalendarDay, ...]
    conflicts: dict

    def to_json(self) -> dict:
        return {"week": self.week, "start": _iso(self.start), "days": [d.to_json() for d in self.days],
                "conflicts": {str(k): [{"id": o, "service": s} for o, s in v] for k, v in self.conflicts.items()}}
