"""The paging query layer: filters and sorts done in SQL, rows fetched only for what is visible.

A screen asks for `count`, for the ordered `ids` of a filter (ints only, cheap even at 1M), or
for a `window` (offset/limit), and then for the `rows` of the ids it shows. Requests, catalogue
and reports add their own filters on the same shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from peewee import JOIN, fn

from desk.domain import incident_flow as flow
from desk.models import Agent, Caller, Group, Incident, Organisation
from desk.services.views import IncidentRow

VIEWS = ("mine", "group", "unassigned", "breaching", "open", "resolved", "closed_today", "all")
SORTS = ("priority", "sla", "age", "updated")


@dataclass(frozen=True)
class QueueFilter:
    view: str = "open"
    text: str = ""
    priorities: frozenset[int] = frozenset()
    statuses: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()
    assignees: frozenset[str] = frozenset()  # logins; "me" means the acting user
    categories: frozenset[str] = frozenset()
    breached: bool = False

    def with_(self, **changes) -> "QueueFilter":
        return replace(self, **changes)


@dataclass(frozen=True)
class QueueContext:
    """Who is looking and when: 'mine', 'group' and 'breaching' depend on it."""

    login: str
    agent_id: int | None
    group_id: int | None
    now: datetime
    near_fraction: float = 0.8
    resolve_minutes: dict[int, int] = field(default_factory=dict)


def context(desk, login: str | None = None) -> QueueContext:
    login = login or desk.user
    agent = Agent.get_or_none(Agent.login == login)
    minutes = {int(e["code"]): int(e["resolve_minutes"]) for e in desk.config.entries("priority")}
    return QueueContext(login, agent.id if agent else None, agent.group_id if agent else None, desk.now(),
                        desk.config.near_breach_fraction, minutes)


def _where(f: QueueFilter, ctx: QueueContext):
    conds = []
    open_statuses = list(flow.OPEN)
    view = f.view
    if view == "mine":
        conds += [Incident.assignee == ctx.agent_id, Incident.status.in_(open_statuses + [flow.RESOLVED])]
    elif view == "group":
        conds += [Incident.group == ctx.group_id, Incident.status.in_(open_statuses)]
    elif view == "unassigned":
        conds += [Incident.assignee.is_null(), Incident.status.in_(open_statuses)]
    elif view == "breaching":
        conds.append(Incident.status.in_(open_statuses))
        near = None
        for priority, minutes in ctx.resolve_minutes.items():
            # near breach: less than (1 - fraction) of the target left
            left = timedelta(minutes=minutes * (1 - ctx.near_fraction))
            term = (Incident.priority == priority) & (Incident.due_at <= ctx.now + left)
            near = term if near is None else (near | term)
        if near is not None:
            conds.append(near)
    elif view == "open":
        conds.append(Incident.status.in_(open_statuses))
    elif view == "resolved":
        conds.append(Incident.status == flow.RESOLVED)
    elif view == "closed_today":
        start = ctx.now.replace(hour=0, minute=0, second=0, microsecond=0)
        conds += [Incident.status == flow.CLOSED, Incident.closed_at >= start]
    if f.priorities:
        conds.append(Incident.priority.in_(sorted(f.priorities)))
    if f.statuses:
        conds.append(Incident.status.in_(sorted(f.statuses)))
    if f.categories:
        conds.append(Incident.category.in_(sorted(f.categories)))
    if f.groups:
        conds.append(Incident.group.in_(Group.select(Group.id).where(Group.code.in_(sorted(f.groups)))))
    if f.assignees:
        logins = {ctx.login if a == "me" else a for a in f.assignees}
        conds.append(Incident.assignee.in_(Agent.select(Agent.id).where(Agent.login.in_(sorted(logins)))))
    if f.breached:
        conds += [Incident.due_at < ctx.now, Incident.status.in_(open_statuses)]
    if f.text.strip():
        needle = f"%{_escape_like(f.text.strip())}%"
        callers = Caller.select(Caller.id).where(Caller.name ** needle)
        conds.append((Incident.title ** needle) | Incident.caller.in_(callers))
    return conds


def _escape_like(text: str) -> str:
    # peewee's ILIKE ('**') uses no ESCAPE clause; the wildcards in user text are rare enough to
    # simply match themselves loosely. Strip nothing else: the value is bound, never interpolated.
    return text


def _order(sort: str, descending: bool = False):
    """Sort keys; `updated` puts the newest first, the others the most pressing first."""
    keys = {
        "sla": [Incident.due_at, Incident.id],
        "age": [Incident.opened_at, Incident.id],
        "updated": [Incident.updated_at.desc(), Incident.id.desc()],
    }.get(sort, [Incident.priority, Incident.opened_at, Incident.id])
    if not descending:
        return keys
    return [k.node.asc() if hasattr(k, "direction") and k.direction == "DESC" else k.desc() for k in keys]


def _select(f: QueueFilter, ctx: QueueContext, *fields):
    query = Incident.select(*fields)
    conds = _where(f, ctx)
    if conds:
        query = query.where(*conds)
    return query


def count(f: QueueFilter, ctx: QueueContext) -> int:
    return _select(f, ctx, fn.COUNT(Incident.id)).scalar() or 0


def ids(f: QueueFilter, ctx: QueueContext, sort: str = "priority", descending: bool = False) -> list[int]:
    """Every matching id in order: one int per row, read straight from an index where one fits."""
    query = _select(f, ctx, Incident.id).order_by(*_order(sort, descending))
    return [row[0] for row in query.tuples().iterator()]


def window(f: QueueFilter, ctx: QueueContext, sort: str = "priority", offset: int = 0, limit: int = 100,
           descending: bool = False) -> list[int]:
    query = _select(f, ctx, Incident.id).order_by(*_order(sort, descending)).offset(offset).limit(limit)
    return [row[0] for row in query.tuples()]


def rows(id_list: list[int]) -> list[IncidentRow]:
    """The rows for these ids, in the order given (missing ids are skipped)."""
    if not id_list:
        return []
    Assignee = Agent.alias()
    query = (Incident
             .select(Incident.id, Incident.priority, Incident.status, Incident.title, Caller.name,
                     Organisation.name, Group.code, Assignee.login, Incident.tier, Incident.opened_at,
                     Incident.updated_at, Incident.due_at, Incident.resolved_at, Incident.category,
                     Incident.version)
             .join(Caller, JOIN.LEFT_OUTER, on=(Incident.caller == Caller.id))
             .switch(Incident).join(Organisation, JOIN.LEFT_OUTER, on=(Incident.organisation == Organisation.id))
             .switch(Incident).join(Group, JOIN.LEFT_OUTER, on=(Incident.group == Group.id))
             .switch(Incident).join(Assignee, JOIN.LEFT_OUTER, on=(Incident.assignee == Assignee.id))
             .where(Incident.id.in_(id_list)))
    found = {}
    for r in query.tuples():
        found[r[0]] = IncidentRow(r[0], r[1], r[2], r[3], r[4] or "", r[5] or "", r[6] or "", r[7] or "", r[8],
                                  r[9], r[10], r[11], r[12], r[13], r[14])
    return [found[i] for i in id_list if i in found]


def change_marker(desk) -> tuple:
    """A cheap value that changes when any connection commits: SQLite's data_version, or on
    PostgreSQL the newest history row id (every write appends one)."""
    from desk.db import is_sqlite
    from desk.models import History

    if is_sqlite(desk.db):
        return (desk.db.execute_sql("PRAGMA data_version").fetchone()[0],
                History.select(fn.MAX(History.id)).scalar())
    return (History.select(fn.MAX(History.id)).scalar(),)
