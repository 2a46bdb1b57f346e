"""What the shift lead's wallboard shows, read in one go (a handful of indexed queries).

Open incidents by status × priority, unassigned, load per group and per agent, the breached and
the about-to-breach lists (from `sla_clock`: the same definition as the clock's warning and
breach states), inflow and outflow per hour over the last 24 h, requests waiting for approval,
firing alerts. A section whose data does not exist yet is None (the screen says so)."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

from peewee import JOIN, fn

from desk.domain import incident_flow as flow
from desk.models import Agent, Alert, Group, Incident, SlaClock

LIST_LIMIT = 8
AGENT_LIMIT = 8


class Clocked(NamedTuple):
    id: int
    priority: int
    title: str
    group: str
    assignee: str
    due_at: datetime


class Board(NamedTuple):
    at: datetime
    by_status: dict  # (status, priority) -> count
    open_total: int
    unassigned: int
    paused: int
    by_group: list  # (group code, count), largest first
    by_agent: list  # (login, count), largest first
    breached: list  # Clocked, most overdue first
    breached_total: int
    soon: list  # Clocked in warning, nearest due first
    soon_total: int
    inflow: list  # 24 hourly counts, oldest first
    outflow: list
    approvals: int | None  # requests awaiting approval (None: no requests on this desk)
    alerts: int | None  # firing alerts


def _clocked(now: datetime, breached: bool, limit: int) -> tuple[list[Clocked], int]:
    running = (SlaClock.entity == "incident") & SlaClock.paused_since.is_null()
    if breached:
        where = running & (SlaClock.due_at < now)
    else:
        where = running & (SlaClock.due_at >= now) & (SlaClock.warn_at <= now)
    total = SlaClock.select(fn.COUNT(SlaClock.id)).where(where).scalar() or 0
    rows = (SlaClock.select(SlaClock.entity_id, SlaClock.due_at, Incident.priority, Incident.title,
                            Group.code, Agent.login)
            .join(Incident, on=(Incident.id == SlaClock.entity_id))
            .join(Group, on=(Group.id == Incident.group), join_type=JOIN.LEFT_OUTER)
            .switch(Incident).join(Agent, on=(Agent.id == Incident.assignee), join_type=JOIN.LEFT_OUTER)
            .where(where).order_by(SlaClock.due_at).limit(limit).tuples())
    return [Clocked(i, p, title, g or "", a or "", due) for i, due, p, title, g, a in rows], total


def _hourly(field, since: datetime, now: datetime) -> list[int]:
    out = [0] * 24
    for (at,) in Incident.select(field).where((field >= since) & (field <= now)).tuples():
        index = min(23, int((at - since).total_seconds() // 3600))
        if 0 <= index < 24:
            out[index] += 1
    return out


def snapshot(desk, now: datetime | None = None, limit: int = LIST_LIMIT) -> Board:
    now = now or desk.now()
    open_statuses = sorted(flow.OPEN)
    by_status = {(s, p): n for s, p, n in Incident.select(Incident.status, Incident.priority, fn.COUNT(Incident.id))
                 .where(Incident.status.in_(open_statuses)).group_by(Incident.status, Incident.priority).tuples()}
    unassigned = Incident.select(fn.COUNT(Incident.id)).where(
        Incident.status.in_(open_statuses) & Incident.assignee.is_null()).scalar() or 0
    groups = dict(Group.select(Group.id, Group.code).tuples())
    by_group = sorted(((groups.get(g, "?"), n) for g, n in Incident.select(Incident.group, fn.COUNT(Incident.id))
                       .where(Incident.status.in_(open_statuses)).group_by(Incident.group).tuples()),
                      key=lambda x: (-x[1], x[0]))
    agent_rows = (Incident.select(Incident.assignee, fn.COUNT(Incident.id))
                  .where(Incident.status.in_(open_statuses) & Incident.assignee.is_null(False))
                  .group_by(Incident.assignee).tuples())
    counts = sorted(agent_rows, key=lambda x: -x[1])[:AGENT_LIMIT]
    logins = dict(Agent.select(Agent.id, Agent.login).where(Agent.id.in_([a for a, _ in counts] or [0])).tuples())
    by_agent = sorted(((logins.get(a, "?"), n) for a, n in counts), key=lambda x: (-x[1], x[0]))
    breached, breached_total = _clocked(now, True, limit)
    soon, soon_total = _clocked(now, False, limit)
    paused = SlaClock.select(fn.COUNT(SlaClock.id)).where(
        (SlaClock.entity == "incident") & SlaClock.paused_since.is_null(False)).scalar() or 0
    since = now - timedelta(hours=24)
    return Board(now, by_status, sum(by_status.values()), unassigned, paused, by_group, by_agent, breached,
                 breached_total, soon, soon_total, _hourly(Incident.opened_at, since, now),
                 _hourly(Incident.resolved_at, since, now), _approvals(), _alerts())


def _approvals() -> int | None:
    try:
        from desk.domain.request_flow import AWAITING_APPROVAL
        from desk.models import ServiceRequest
    except ImportError:
        return None
    return ServiceRequest.select().where(ServiceRequest.status == AWAITING_APPROVAL).count()


def _alerts() -> int | None:
    return Alert.select().where((Alert.state == "firing") & Alert.open_key.is_null(False)).count()
