"""What the shift lead's wallboard shows, read in one go (a handful of indexed queries).

Open incidents by status × priority, unassigned, load per group and per agent (open incidents and
open requests side by side), the breached and the about-to-breach lists (from `sla_clock`: the
same definition as the clock's warning and breach states; incidents and requests alike, merged by
due time), inflow and outflow per hour over the last 24 h, open requests by status and those
waiting for approval, firing alerts, late reports (read once a minute: a report is late by the day, and
finding them reads every entry's periods). A section whose data does not exist yet is None (the screen
says so)."""

from __future__ import annotations

import time
from datetime import datetime, timedelta
from typing import NamedTuple

from peewee import JOIN, fn

from desk.domain import incident_flow as flow
from desk.domain import request_flow
from desk.models import Agent, Alert, Group, Incident, ServiceRequest, SlaClock
from desk.services.compiled import fetch_all, fetch_one

LIST_LIMIT = 8
AGENT_LIMIT = 8


class Clocked(NamedTuple):
    id: int
    priority: int
    title: str
    group: str
    assignee: str
    due_at: datetime
    entity: str = "incident"  # or "request"


class Board(NamedTuple):
    at: datetime
    by_status: dict  # (status, priority) -> count
    open_total: int
    unassigned: int
    paused: int
    by_group: list  # (group code, open incidents, open requests), largest load first
    by_agent: list  # (login, incidents assigned, requests handled), largest load first
    breached: list  # Clocked, most overdue first
    breached_total: int
    soon: list  # Clocked in warning, nearest due first
    soon_total: int
    inflow: list  # 24 hourly counts, oldest first
    outflow: list
    approvals: int | None  # requests awaiting approval (None: no requests on this desk)
    alerts: int | None  # firing alerts
    requests_by_status: dict | None = None  # open requests: status -> count (None: no requests on this desk)
    late_reports: int | None = None  # reports not submitted by their due time (None: no report on the list)


def _kinds() -> list:
    """(entity, model, its assignee field) of each kind with an SLA clock on the board."""
    return [("incident", Incident, Incident.assignee), ("request", ServiceRequest, ServiceRequest.handler)]


def _clocked(desk, now: datetime, breached: bool, limit: int) -> tuple[list[Clocked], int]:
    """The breached (or breaching-soon) clocks of incidents and requests, nearest due first (the
    most overdue first), at most `limit`; and how many there are in all."""
    out, total = [], 0
    which = "breached" if breached else "soon"
    for entity, model, assignee in _kinds():
        if breached:
            # held or not: a clock held after its breach keeps its due time and stays breached, as
            # sla_views says (one held short of it has none); counted from the (entity, due_at) index
            where = (SlaClock.entity == entity) & (SlaClock.due_at < now)
            params = (entity, _dt(now))
        else:
            where = ((SlaClock.entity == entity) & SlaClock.paused_since.is_null() & (SlaClock.due_at >= now)
                     & (SlaClock.warn_at <= now))
            params = (entity, _dt(now), _dt(now))
        total += fetch_one(desk, f"wallboard.{which}.count.{entity}",
                           lambda: SlaClock.select(fn.COUNT(SlaClock.id)).where(where), params)[0] or 0
        rows = fetch_all(desk, f"wallboard.{which}.list.{entity}", lambda: (
            SlaClock.select(SlaClock.entity_id, SlaClock.due_at, model.priority, model.title, Group.code, Agent.login)
            .join(model, on=(model.id == SlaClock.entity_id))
            .join(Group, on=(Group.id == model.group), join_type=JOIN.LEFT_OUTER)
            .switch(model).join(Agent, on=(Agent.id == assignee), join_type=JOIN.LEFT_OUTER)
            .where(where).order_by(SlaClock.due_at).limit(limit)), (*params, limit))
        out += [Clocked(i, p, title, g or "", a or "", SlaClock.due_at.python_value(due), entity)
                for i, due, p, title, g, a in rows]
    out.sort(key=lambda c: (c.due_at, c.entity != "incident", c.id))
    return out[:limit], total


def _dt(value: datetime):
    return Incident.opened_at.db_value(value)


def _hourly(desk, name: str, since: datetime, now: datetime) -> list[int]:
    """Counts per hour: 24 range counts, each answered from the column's index alone."""
    field = getattr(Incident, name)
    out = []
    for hour in range(24):
        lo = since + timedelta(hours=hour)
        hi = min(lo + timedelta(hours=1), now) if hour < 23 else now
        upper = (field < hi) if hour < 23 else (field <= hi)
        key = f"wallboard.hourly.{name}.{'last' if hour == 23 else 'hour'}"
        out.append(fetch_one(desk, key, lambda: Incident.select(fn.COUNT(field)).where((field >= lo) & upper),
                             (_dt(lo), _dt(hi)))[0] or 0)
    return out


def _per(desk, model, name: str, ids, open_statuses) -> dict[int, int]:
    """Open records of `model` (incidents, requests) per group or per person holding them: a count
    each from the (column, status, …) index alone (a GROUP BY would read every open row from the
    table); the ids with none left out."""
    field = getattr(model, name)
    out = {}
    for value in ids:
        n = fetch_one(desk, f"wallboard.per.{model._meta.table_name}.{name}", lambda: model.select(
            fn.COUNT(model.id)).where((field == 0) & model.status.in_(list(open_statuses))),
            (value, *open_statuses))[0] or 0
        if n:
            out[value] = n
    return out


def _load(desk, ids, names: dict, incident_field: str, request_field: str, open_statuses) -> list[tuple]:
    """(name, open incidents, open requests) per id, the largest load (the two together) first."""
    incidents = _per(desk, Incident, incident_field, ids, open_statuses)
    requests = _per(desk, ServiceRequest, request_field, ids, tuple(sorted(request_flow.OPEN)))
    rows = [(names[i], incidents.get(i, 0), requests.get(i, 0)) for i in incidents.keys() | requests.keys()]
    return sorted(rows, key=lambda x: (-(x[1] + x[2]), x[0]))


def snapshot(desk, now: datetime | None = None, limit: int = LIST_LIMIT) -> Board:
    now = now or desk.now()
    open_statuses = tuple(sorted(flow.OPEN))
    is_open = Incident.status.in_(list(open_statuses))
    by_status = {(s, p): n for s, p, n in fetch_all(desk, "wallboard.by_status", lambda: (
        Incident.select(Incident.status, Incident.priority, fn.COUNT(Incident.id)).where(is_open)
        .group_by(Incident.status, Incident.priority)), open_statuses)}
    unassigned = fetch_one(desk, "wallboard.unassigned", lambda: Incident.select(fn.COUNT(Incident.id)).where(
        is_open & Incident.assignee.is_null()), open_statuses)[0] or 0
    groups = desk.cache.get("wallboard.groups")
    if groups is None or desk.cache.get("wallboard.people_at", 0) + 60 < time.monotonic():
        groups = desk.cache["wallboard.groups"] = dict(Group.select(Group.id, Group.code).tuples())
        desk.cache["wallboard.agents"] = dict(Agent.select(Agent.id, Agent.login).where(
            Agent.active == True).tuples())  # noqa: E712
        desk.cache["wallboard.people_at"] = time.monotonic()
    agents = desk.cache["wallboard.agents"]
    by_group = _load(desk, groups, groups, "group", "group", open_statuses)
    by_agent = _load(desk, agents, agents, "assignee", "handler", open_statuses)[:AGENT_LIMIT]
    breached, breached_total = _clocked(desk, now, True, limit)
    soon, soon_total = _clocked(desk, now, False, limit)
    # held short of their due time (a clock held after its breach is counted as breached): no due
    # time, found in the (entity, due_at) index alone
    paused = sum(fetch_one(desk, "wallboard.paused", lambda: SlaClock.select(fn.COUNT(SlaClock.entity)).where(
        (SlaClock.entity == "0") & SlaClock.due_at.is_null()), (entity,))[0] or 0 for entity, _m, _a in _kinds())
    since = now - timedelta(hours=24)
    return Board(now, by_status, sum(by_status.values()), unassigned, paused, by_group, by_agent, breached,
                 breached_total, soon, soon_total, _hourly(desk, "opened_at", since, now),
                 _hourly(desk, "resolved_at", since, now), _approvals(desk), _alerts(desk), _requests_open(desk),
                 _late_reports(desk))


def _approvals(desk) -> int | None:
    return fetch_one(desk, "wallboard.approvals", lambda: ServiceRequest.select(fn.COUNT(ServiceRequest.id)).where(
        ServiceRequest.status == request_flow.AWAITING_APPROVAL), (request_flow.AWAITING_APPROVAL,))[0] or 0


def _requests_open(desk) -> dict | None:
    """Open requests per status, in the flow's order (from the (status, …) index alone)."""
    statuses = tuple(s for s in request_flow.STATUSES if s in request_flow.OPEN)
    counts = dict(fetch_all(desk, "wallboard.requests_open", lambda: (
        ServiceRequest.select(ServiceRequest.status, fn.COUNT(ServiceRequest.id))
        .where(ServiceRequest.status.in_(list(statuses))).group_by(ServiceRequest.status)), statuses))
    return {s: counts[s] for s in statuses if counts.get(s)}


def _alerts(desk) -> int | None:
    return fetch_one(desk, "wallboard.alerts", lambda: Alert.select(fn.COUNT(Alert.id)).where(
        (Alert.state == "firing") & Alert.open_key.is_null(False)), ("firing",))[0] or 0


def countdowns(desk, board, open_statuses) -> dict[tuple[str, int], float]:
    """{(entity, id): business seconds left (negative: over)} for the board's breached and soon
    lists (incidents and requests)."""
    from desk.services import sla_views

    listed = board.breached + board.soon
    out = {}
    for entity, model, _assignee in _kinds():
        ids = [c.id for c in listed if c.entity == entity]
        if not ids:
            continue
        statuses = request_flow.OPEN if entity == "request" else open_statuses
        rows = model.select(model.id, model.status, model.priority, model.service, model.service_version,
                            model.due_at, model.resolved_at).where(model.id.in_(ids))
        out.update({(entity, r.id): sla_views.row_clock(  # on the hours of the version it was raised under
            desk, status=r.status, priority=r.priority, service_id=r.service_id, due_at=r.due_at,
            resolved_at=r.resolved_at, open_statuses=statuses, now=board.at,
            version_id=r.service_version_id if entity == "incident" else r.service_version).remaining
            for r in rows})
    return out


LATE_EVERY = 60.0  # seconds between two reads of the late reports


def _late_reports(desk) -> int | None:
    """Reports not submitted by their due time (desk report late, without those submitted late);
    None when the report list has no active entry."""
    from desk.services import report_list, report_review

    at, count = desk.cache.get("wallboard.late", (None, None))
    if at is None or at + LATE_EVERY < time.monotonic():
        count = len(report_review.late(desk, include_submitted=False)) \
            if report_list.entries(desk, active_only=True) else None
        desk.cache["wallboard.late"] = (time.monotonic(), count)
    return count
