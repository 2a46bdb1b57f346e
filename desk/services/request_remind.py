"""Requests waiting for approval longer than `[request] approval_remind_hours` remind their
approver (issue 14): once per level of a round, a notification to the approver and to whoever
stands in for them today. `desk sla tick` and every running TUI's tick call it; the once is the
SLA escalation table's unique key (stage `approval`, cycle round × 100 + level), so ticks from
five TUIs and a cron job at the same moment remind once. The waiting levels are looked for at most
once a minute per handle: a tick runs every 15 s, and a reminder a minute late is on time."""

from __future__ import annotations

from datetime import datetime, timedelta

from desk.db import write_transaction
from desk.models import ApprovalDelegation, Escalation, RequestApproval, ServiceRequest
from desk.timefmt import local_day, zone

STAGE = "approval"
NOTE = "request.approval_waiting"
EVERY = 60.0  # seconds between two looks of one handle


def _waiting(cutoff: datetime) -> list[tuple]:
    """(request, round, level, approver, asked at) of the open level of every request waiting for
    approval that was asked before `cutoff`."""
    from desk.services.request_approval import open_level

    return list(RequestApproval.select(RequestApproval.request, RequestApproval.round, RequestApproval.level,
                                       RequestApproval.approver, RequestApproval.asked_at)
                .join(ServiceRequest, on=(ServiceRequest.id == RequestApproval.request))
                .where(open_level() & (RequestApproval.asked_at <= cutoff))
                .order_by(RequestApproval.request).tuples())


def _told(approver_id: int, today) -> list[int]:
    """The approver and whoever stands in for them today."""
    subs = [s for (s,) in ApprovalDelegation.select(ApprovalDelegation.substitute).where(
        (ApprovalDelegation.approver == approver_id) & (ApprovalDelegation.starts <= today)
        & (ApprovalDelegation.ends >= today)).tuples()]
    return [approver_id] + [s for s in subs if s != approver_id]


def remind(desk, now: datetime) -> int:
    """Write the reminders that are due; returns how many notifications were written."""
    last = desk.cache.get("request_remind.at")
    if last is not None and timedelta(0) <= now - last < timedelta(seconds=EVERY):
        return 0
    desk.cache["request_remind.at"] = now
    from desk.services import records, requests, sla_tick

    hours = float(desk.config.request_setting("approval_remind_hours", 24))
    waiting = _waiting(now - timedelta(hours=hours))
    if not waiting:
        return 0
    ids = sorted({w[0] for w in waiting})
    done = set(Escalation.select(Escalation.entity_id, Escalation.cycle).where(
        (Escalation.entity == requests.ENTITY) & (Escalation.stage == STAGE) & Escalation.entity_id.in_(ids)).tuples())
    sent = 0
    for request_id, rnd, level, approver_id, asked_at in waiting:
        cycle = rnd * 100 + level
        if (request_id, cycle) in done:
            continue
        with write_transaction(desk.db):
            row = records.read(desk, requests.KIND, request_id)
            if row is None:
                continue
            # (the escalation's time of reference, and the notification's "since": when it was asked)
            sent += sla_tick.record_stage(desk, requests.KIND, row, STAGE, cycle, asked_at, now,
                                     people=_told(approver_id, local_day(now, zone(desk.config))), note=NOTE)
    return sent
