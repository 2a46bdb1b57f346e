"""Feedback on submitted reports (seed 000 step 7): the report manager records what a customer or
a leader said about a report, the corrective action agreed with the writer, and closes it once the
action is done. Each feedback is a record of its own (entity `report_feedback`, with its history
through desk.services.records); the report itself never changes after submission.
"""

from __future__ import annotations

from datetime import datetime
from typing import NamedTuple

from desk.db import write_transaction
from desk.domain import report_flow as flow
from desk.domain.errors import InvalidTransition, NotFound, ValidationError
from desk.models import Report, ReportFeedback
from desk.services import actors, history, linking, records

ENTITY = "report_feedback"
KIND = records.Kind(ENTITY, ReportFeedback, ("status",), None, scope=None)
OPEN, CLOSED = "open", "closed"


class FeedbackView(NamedTuple):
    id: int
    report_id: int
    source: str
    text: str
    action: str
    status: str
    recorded_by: str
    created_at: datetime
    closed_at: datetime | None
    version: int

    def to_json(self) -> dict:
        return {k: (v.isoformat(timespec="seconds") if isinstance(v, datetime) else v)
                for k, v in self._asdict().items()}


def _view(desk, row: ReportFeedback) -> FeedbackView:
    return FeedbackView(row.id, row.report_id, row.source, row.text, row.action, row.status,
                        linking.agent_login(desk, row.recorded_by_id) or "", row.created_at, row.closed_at, row.version)


def get(desk, feedback_id: int) -> FeedbackView:
    row = ReportFeedback.get_or_none(ReportFeedback.id == feedback_id)
    if row is None:
        raise NotFound(kind=ENTITY, id=feedback_id)
    return _view(desk, row)


def list_(desk, *, report_id: int | None = None, open_only: bool = False) -> list[FeedbackView]:
    query = ReportFeedback.select().order_by(ReportFeedback.id)
    if report_id is not None:
        query = query.where(ReportFeedback.report == report_id)
    if open_only:
        query = query.where(ReportFeedback.status == OPEN)
    return [_view(desk, row) for row in query]


def record(desk, login, report_id: int, *, source: str | None, text: str | None, action: str = "") -> FeedbackView:
    """Feedback from `source` (a customer, a leader) on a submitted (or archived) report."""
    source = records.text(source, "source", 300, required=True)
    text = records.text(text, "text", 20_000, required=True)
    action = records.text(action, "action", 20_000)

    def work(actor: actors.Actor):
        actors.require(actor, "report.feedback")
        report = Report.get_or_none(Report.id == report_id)
        if report is None:
            raise NotFound(kind="report", id=report_id)
        flow.require_from("feedback", report.status)
        with write_transaction(desk.db):
            now = desk.now()
            row = ReportFeedback.create(report=report_id, source=source, text=text, action=action, status=OPEN,
                                        recorded_by=actor.id, created_at=now, updated_at=now, version=1)
            history.append(ENTITY, row.id, actor.id, "create", {"status": [None, OPEN], "report": [None, report_id]},
                           text, now, desk=desk)
        return get(desk, row.id)

    return records.guarded(desk, login, "report.feedback", ENTITY, None, work)


def set_action(desk, login, feedback_id: int, *, action: str | None, expect_version: int | None = None) -> FeedbackView:
    """The corrective action agreed with the writer (open feedback only)."""
    action = records.text(action, "action", 20_000, required=True)

    def plan(actor, row, now):
        if row.status != OPEN:
            raise InvalidTransition("report.error.feedback_closed", id=row.id)
        return {"action": action, "_note": action}

    records.transition(desk, KIND, login, feedback_id, "action", "report.feedback", expect_version, plan, scoped=False)
    return get(desk, feedback_id)


def close(desk, login, feedback_id: int, *, note: str = "", expect_version: int | None = None) -> FeedbackView:
    """The corrective action is done: the feedback is closed (it needs one)."""
    note = records.text(note, "note", 20_000)

    def plan(actor, row, now):
        if row.status != OPEN:
            raise InvalidTransition("report.error.feedback_closed", id=row.id)
        if not row.action.strip():
            raise ValidationError("report.error.feedback_no_action", id=row.id)
        return {"status": CLOSED, "closed_at": now, "_note": note}

    records.transition(desk, KIND, login, feedback_id, "close", "report.feedback", expect_version, plan, scoped=False)
    return get(desk, feedback_id)
