"""Plain values the services hand to screens and the CLI (never peewee rows)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime


def _iso(value):
    return value.isoformat(timespec="seconds") if isinstance(value, datetime) else value


@dataclass(frozen=True)
class IncidentRow:
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

    def to_json(self) -> dict:
        return {k: _iso(v) for k, v in asdict(self).items()}


@dataclass(frozen=True)
class HistoryEntry:
    seq: int
    at: datetime
    actor: str
    action: str
    changes: dict
    note: str

    def to_json(self) -> dict:
        return {k: _iso(v) for k, v in asdict(self).items()}


@dataclass(frozen=True)
class ArticleRef:
    id: int
    title: str
    faq_category: str
    status: str


@dataclass(frozen=True)
class IncidentDetail:
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
    checklist: list[tuple[str, bool]] = field(default_factory=list)
    history: list[HistoryEntry] = field(default_factory=list)
    articles: list[ArticleRef] = field(default_factory=list)

    def to_json(self) -> dict:
        out = {k: _iso(v) for k, v in asdict(self).items() if k not in ("history", "articles", "checklist")}
        out["checklist"] = {key: done for key, done in self.checklist}
        out["history"] = [h.to_json() for h in self.history]
        out["articles"] = [asdict(a) for a in self.articles]
        return out
