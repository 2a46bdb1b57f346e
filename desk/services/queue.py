"""The paging query layer: filters and sorts done in SQL, rows fetched only for what is visible.

A screen asks for `count`, for the ordered `ids` of a filter (ints only, cheap even at 1M), or
for a `window` (offset/limit), and then for the `rows` of the ids it shows. Requests, catalogue
and reports add their own filters on the same shape.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta

from peewee import JOIN, SQL, NodeList, fn

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
    # Set for someone without `incident.view_all` (second line, vendors) when the caller asks for
    # scoping: every view is then limited to their group's incidents and their own.
    scoped: bool = False

    def at(self, now: datetime) -> "QueueContext":
        return replace(self, now=now)


def context(desk, login: str | None = None, *, scoped: bool = False) -> QueueContext:
    """`scoped=True` applies the permission table's `incident.view_all` (the TUI does; the CLI
    lists what it is asked for)."""
    from desk.domain.permissions import can

    login = login or desk.user
    agent = Agent.get_or_none(Agent.login == login)
    minutes = {int(e["code"]): int(e["resolve_minutes"]) for e in desk.config.entries("priority")}
    restricted = bool(scoped and (agent is None or not can(agent.role_set, "incident.view_all")))
    return QueueContext(login, agent.id if agent else None, agent.group_id if agent else None, desk.now(),
                        desk.config.near_breach_fraction, minutes, restricted)


def _unindexed(column):
    """`+column`: SQLite then will not use an index on it (PostgreSQL plans well without the hint)."""
    from desk.db import is_sqlite

    return NodeList((SQL("+"), column), glue="") if is_sqlite() else column


def _where(f: QueueFilter, ctx: QueueContext):
    conds = []
    open_statuses = list(flow.OPEN)
    view = f.view
    if ctx.scoped:
        conds.append((Incident.group == ctx.group_id) | (Incident.assignee == ctx.agent_id))
    if view == "mine":
        conds += [Incident.assignee == ctx.agent_id, Incident.status.in_(open_statuses + [flow.RESOLVED])]
    elif view == "group":
        conds += [Incident.group == ctx.group_id, Incident.status.in_(open_statuses)]
    elif view == "unassigned":
        conds += [Incident.assignee.is_null(), Incident.status.in_(open_statuses)]
    elif view == "breaching":
        conds.append(Incident.status.in_(open_statuses))
        near = None
        widest = timedelta(0)
        for priority, minutes in ctx.resolve_minutes.items():
            # near breach: less than (1 - fraction) of the target left
            left = timedelta(minutes=minutes * (1 - ctx.near_fraction))
            widest = max(widest, left)
            term = (Incident.priority == priority) & (Incident.due_at <= ctx.now + left)
            near = term if near is None else (near | term)
        if near is not None:
            # the plain range lets the (status, due_at) index do the work; the terms refine it
            conds += [Incident.due_at <= ctx.now + widest, near]
    elif view == "open":
        conds.append(Incident.status.in_(open_statuses))
    elif view == "resolved":
        conds.append(Incident.status == flow.RESOLVED)
    elif view == "closed_today":
        start = ctx.now.replace(hour=0, minute=0, second=0, microsecond=0)
        # closed_at is only ever set by closing: its index finds today's few among a million closed
        conds += [_unindexed(Incident.status) == flow.CLOSED, Incident.closed_at >= start]
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
        needle = f"%{f.text.strip()}%"  # bound, never interpolated; % and _ in it match loosely
        callers = Caller.select(Caller.id).where(Caller.name ** needle)
        conds.append((Incident.title ** needle) | Incident.caller.in_(callers))
    return conds


def selective(f: QueueFilter) -> bool:
    """Does the filter narrow the table a lot (a status set, a group, an assignee)? Then the
    rows are best found through the filter's index and sorted, rather than found by walking
    the sort order's index past a million closed incidents."""
    return f.view != "all" or bool(f.statuses or f.groups or f.assignees or f.breached)


def _order(sort: str, descending: bool = False, by_filter: bool = False):
    """Sort keys; `updated` puts the newest first, the others the most pressing first."""
    columns = {
        "sla": [(Incident.due_at, False), (Incident.id, False)],
        "age": [(Incident.opened_at, False), (Incident.id, False)],
        "updated": [(Incident.updated_at, True), (Incident.id, True)],
    }.get(sort, [(Incident.priority, False), (Incident.opened_at, False), (Incident.id, False)])
    keys = []
    for column, desc in columns:
        node = _unindexed(column) if by_filter else column
        keys.append(node.desc() if desc != descending else node.asc())
    return keys


def _select(f: QueueFilter, ctx: QueueContext, *fields):
    query = Incident.select(*fields)
    conds = _where(f, ctx)
    if conds:
        query = query.where(*conds)
    return query


def _ordered(f: QueueFilter, ctx: QueueContext, sort: str, descending: bool):
    return _select(f, ctx, Incident.id).order_by(*_order(sort, descending, selective(f)))


def count(f: QueueFilter, ctx: QueueContext) -> int:
    return _select(f, ctx, fn.COUNT(Incident.id)).scalar() or 0


def ids(f: QueueFilter, ctx: QueueContext, sort: str = "priority", descending: bool = False) -> list[int]:
    """Every matching id in order: one int per row, read straight from an index where one fits."""
    out: list[int] = []
    for chunk in iter_ids(f, ctx, sort, descending):
        out.extend(chunk)
    return out


def iter_ids(f: QueueFilter, ctx: QueueContext, sort: str = "priority", descending: bool = False,
             chunk: int = 5_000):
    """The ordered ids in chunks (lists of ints), read with one statement: the caller can
    answer other requests between chunks (a million ids take a few hundred milliseconds)."""
    from desk.db import database

    sql, params = _ordered(f, ctx, sort, descending).sql()
    cursor = database.execute_sql(sql, params)
    try:
        while True:
            rows = cursor.fetchmany(chunk)
            if not rows:
                return
            yield [r[0] for r in rows]
    finally:
        cursor.close()


def window(f: QueueFilter, ctx: QueueContext, sort: str = "priority", offset: int = 0, limit: int = 100,
           descending: bool = False) -> list[int]:
    query = _ordered(f, ctx, sort, descending).offset(offset).limit(limit)
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


def changed_since(history_id: int | None, limit: int = 2000) -> tuple[int | None, set[int] | None]:
    """Incidents touched by history rows newer than `history_id`: (newest history id, their ids),
    or ids None when more than `limit` rows arrived (the caller then refreshes everything)."""
    from desk.models import History

    if history_id is None:  # the starting point (0: no history yet)
        return History.select(fn.MAX(History.id)).scalar() or 0, set()
    rows = list(History.select(History.id, History.entity, History.entity_id)
                .where(History.id > history_id).order_by(History.id).limit(limit + 1).tuples())
    if not rows:
        return history_id, set()
    if len(rows) > limit:
        return History.select(fn.MAX(History.id)).scalar() or 0, None
    return rows[-1][0], {entity_id for _, entity, entity_id in rows if entity == "incident"}


def vocabulary(config):
    """What the filter bar understands: each code table's codes and labels (both languages,
    and a label's first word: g:network for "Network team") -> the code."""
    from desk.domain.filter_terms import Vocabulary

    def aliases(table: str) -> dict[str, str]:
        out: dict[str, str] = {}
        for entry in config.entries(table):
            code = str(entry["code"])
            for label in (entry.get("en"), entry.get("zh")):
                words = str(label or "").split()
                if words:
                    out.setdefault(" ".join(words).lower(), code)
                    out.setdefault(words[0].lower(), code)
        for entry in config.entries(table):
            out[str(entry["code"]).lower()] = str(entry["code"])  # codes win over labels
        return out

    return Vocabulary(priorities=aliases("priority"), statuses=aliases("status"), groups=aliases("group"),
                      categories=aliases("category"), open_statuses=frozenset(flow.OPEN))
