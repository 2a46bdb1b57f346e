"""Plain values the services hand to screens and the CLI (never peewee rows).

NamedTuples rather than frozen dataclasses: as immutable, and creating the classes costs a fifth
as much when desk starts (a dataclass builds its methods with exec, ~0.7 ms a class)."""

# (no `from __future__ import annotations`: under it each NamedTuple field's annotation is a string
# that typing compiles when the class is made, ~9 µs a field, and this module is read before desk's
# first frame: tests/test_startup.py)

from collections.abc import Sequence
from datetime import datetime
from typing import Any, NamedTuple


def _iso(value):
    return value.isoformat(timespec="seconds") if isinstance(value, datetime) else value


class IncidentRow(NamedTuple):
    """What a queue line shows."""

    id: int
    priority: int
    status: str
    title: str
    caller: str
    organisation: str
    group: str
    assignee: str
    tier: int
    opened_at: datetime
    updated_at: datetime
    due_at: datetime | None
    resolved_at: datetime | None
    category: str
    version: int
    service_id: int | None = None  # the SLA column's calendar (not in the JSON: `show` names the service)
    service_version_id: int | None = None  # the catalogue version it was raised under (its calendar first)

    def to_json(self) -> dict:
        return {k: _iso(v) for k, v in self._asdict().items() if k not in ("service_id", "service_version_id")}


class HistoryEntry(NamedTuple):
    seq: int
    at: datetime
    actor: str
    action: str
    changes: dict
    note: str

    def to_json(self) -> dict:
        return {k: _iso(v) for k, v in self._asdict().items()}


class ArticleRef(NamedTuple):
    id: int
    title: str
    faq_category: str
    status: str


class IncidentDetail(NamedTuple):
    id: int
    title: str
    description: str
    source: str
    classification: str
    caller: str
    caller_phone: str
    organisation: str
    service: str
    category: str
    impact: int
    urgency: int
    priority: int
    status: str
    tier: int
    group: str
    assignee: str
    owner: str
    vendor_ref: str
    escalation_level: int
    reopen_count: int
    started_at: datetime | None
    opened_at: datetime
    first_response_at: datetime | None
    resolved_at: datetime | None
    confirmed_at: datetime | None
    closed_at: datetime | None
    updated_at: datetime
    due_at: datetime | None
    closure_code: str | None
    resolution: str
    resolved_by: str
    version: int
    checklist: Sequence[tuple[str, bool]] = ()
    history: Sequence[HistoryEntry] = ()
    articles: Sequence[ArticleRef] = ()
    external_ref: str = ""  # its number in the tool it was migrated from
    service_version: int | None = None  # the number of the catalogue version it was raised under
    response_minutes: int | None = None  # with the history: its response target (that version's, or the default)
    sla: Any = None  # with the history: its clocks and pause ledger (desk.services.sla_views.SlaView)
    # with the history: the service requests linked to it, (id, "into": the request became this
    # incident | "from": the request was opened from it) (desk.services.request_convert)
    requests: Sequence[tuple[int, str]] = ()
    caused_by_change: tuple[int, str] | None = None  # (id, title) of the change recorded as its cause
    problem: tuple[int, str, str] | None = None  # (id, title, status) of the problem it is linked to
    alerts: Sequence[Any] = ()  # with the history: its monitoring alerts (desk.services.alerts.AlertView)

    def to_json(self) -> dict:
        out = {k: _iso(v) for k, v in self._asdict().items()
               if k not in ("history", "articles", "checklist", "sla", "response_minutes", "caused_by_change",
                         "problem")}
        out["checklist"] = {key: done for key, done in self.checklist}
        out["history"] = [h.to_json() for h in self.history]
        out["articles"] = [a._asdict() for a in self.articles]
        out["requests"] = [{"id": rid, "direction": way} for rid, way in self.requests]
        cause = self.caused_by_change
        out["caused_by_change"] = {"id": cause[0], "title": cause[1]} if cause else None
        problem = self.problem
        out["problem"] = {"id": problem[0], "title": problem[1], "status": problem[2]} if problem else None
        return out
