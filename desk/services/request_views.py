"""Plain values the request services hand to screens and the CLI (never peewee rows); each has
`to_json()` for `--json` (docs/json.md)."""

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


class RequestRow(NamedTuple):
    """What a queue line shows."""

    id: int
    priority: int
    status: str
    title: str
    requester: str
    service: str
    owner: str
    handler: str
    group: str
    registered_at: datetime
    updated_at: datetime
    version: int
    # the SLA column's inputs (desk.services.sla_views: the stored due time, when the clock stopped, the
    # service and the catalogue version its terms come from)
    due_at: datetime | None = None
    stopped_at: datetime | None = None
    service_id: int | None = None
    service_version: int | None = None

    def to_json(self) -> dict:
        return _plain(self, ("stopped_at", "service_id", "service_version"))


class ApprovalEntry(NamedTuple):
    """One level of the current approval round."""

    level: int
    approver: str
    decision: str | None
    decided_by: str  # the approver, or their substitute (then on_behalf_of is the approver)
    on_behalf_of: str
    decided_at: datetime | None
    asked_at: datetime
    note: str

    def to_json(self) -> dict:
        return _plain(self)


class ChecklistItem(NamedTuple):
    """An intake checklist item: its code, its label in the user's language, whether it is ticked."""

    code: str
    label: str
    done: bool


class RequestDetail(NamedTuple):
    id: int
    title: str
    description: str
    requester: str
    contact: str
    location: str
    request_class: str
    channel: str
    service: str
    service_version: int | None  # the number of the catalogue version it was raised under (as incidents say it)
    priority: int
    status: str
    created_by: str
    owner: str
    handler: str
    group: str
    approval_levels: int
    approved: bool
    needs_cost: bool
    cost_confirmed: bool
    cost_amount: str | None
    cost_currency: str | None
    cost_confirmed_with: str
    cost_confirmed_by: str
    cost_confirmed_at: datetime | None
    rejection_code: str | None
    outcome: str | None
    close_code: str | None
    completion_note: str
    satisfaction: int | None
    callback_comment: str
    remarks: str
    attachments: Sequence[str]
    incident: int | None
    auto_closed: bool
    registered_at: datetime
    accepted_at: datetime | None
    first_response_at: datetime | None
    resolved_at: datetime | None
    callback_at: datetime | None
    completed_at: datetime | None
    closed_at: datetime | None
    updated_at: datetime
    version: int
    checklist: Sequence[ChecklistItem] = ()
    approvals: Sequence[ApprovalEntry] = ()
    history: Sequence[HistoryEntry] = ()
    sla: Any = None  # desk.services.sla_views.SlaView: its clock and pause ledger

    def to_json(self) -> dict:
        out = _plain(self, ("checklist", "approvals", "history", "attachments", "sla"))
        out["sla"] = self.sla.to_json() if self.sla is not None else None
        out["attachments"] = list(self.attachments)
        out["checklist"] = {item.code: item.done for item in self.checklist}
        out["approvals"] = [a.to_json() for a in self.approvals]
        out["history"] = [h.to_json() for h in self.history]
        return out


class InboxRow(NamedTuple):
    """A request waiting for one approver's decision (theirs, or as a substitute)."""

    id: int
    title: str
    requester: str
    service: str
    level: int
    approver: str  # whose level it is (not the inbox's owner when they stand in)
    asked_at: datetime
    overdue: bool  # waiting longer than [request] approval_remind_hours
    version: int

    def to_json(self) -> dict:
        return _plain(self)


class DelegationRow(NamedTuple):
    id: int
    approver: str
    substitute: str
    starts: date
    ends: date
    note: str

    def to_json(self) -> dict:
        return _plain(self)
