"""The paging query layer: filters and sorts done in SQL, rows fetched only for what is visible.

A screen asks for `count`, for the ordered `ids` of a filter (ints only, cheap even at 1M), or
for a `window` (offset/limit), and then for the `rows` of the ids it shows. Requests, catalogue
and reports add their own filters on the same shape.
"""

# (no `from __future__ import annotations`: under it each NamedTuple field's annotation is a string
# that typing compiles when the class is made, ~9 µs a field, and this module is read before desk's
# first frame: tests/test_startup.py)

from datetime import datetime, timedelta
from types import MappingProxyType
from typing import NamedTuple

from peewee import SQL, Tuple, fn

from desk.domain import incident_flow as flow
from desk.lists.paging import id_chunks
from desk.models import Agent, Group, Incident, SlaClock
from desk.services.queue_text import (  # noqa: F401  (the text plans; tests reach them through here)
    _count_text_only,
    _text_condition,
    _text_plan,
    _Text,
    _unindexed,
    selective,
)
from desk.services.views import IncidentRow

_NO_ENTRIES = MappingProxyType({})  # (an empty read-only default: a NamedTuple's default is shared)


VIEWS = ("mine", "group", "unassigned", "breaching", "open", "resolved", "closed_today", "all")
SORTS = ("priority", "sla", "age", "updated")


class QueueFilter(NamedTuple):
    view: str = "open"
    text: str = ""
    priorities: frozenset[int] = frozenset()
    statuses: frozenset[str] = frozenset()
    groups: frozenset[str] = frozenset()
    assignees: frozenset[str] = frozenset()  # logins; "me" means the acting user
    categories: frozenset[str] = frozenset()
    breached: bool = False
    refs: frozenset[str] = frozenset()  # external refs: the numbers migrated tickets had (indexed)

    def with_(self, **changes) -> "QueueFilter":
        return self._replace(**changes)


class QueueContext(NamedTuple):
    """Who is looking and when: 'mine', 'group' and 'breaching' depend on it."""

    login: str
    agent_id: int | None
    group_id: int | None
    now: datetime
    near_fraction: float = 0.8
    resolve_minutes: dict[int, int] = _NO_ENTRIES
    # Set for someone without `incident.view_all` (second line, vendors) when the caller asks for
    # scoping: every view is then limited to their group's incidents and their own.
    scoped: bool = False

    def at(self, now: datetime) -> "QueueContext":
        return self._replace(now=now)


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


def _where(f: QueueFilter, ctx: QueueContext, text: "_Text | None" = None, mode: str | None = None):
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
        # breached or in warning, as on the wallboard: the running clocks the SLA engine put past their
        # warning share (desk.services.sla_sync keeps `sla_clock` in step), and those held after their breach
        # (they keep their due time and are breached still; one held short of it is in neither). Two
        # halves, each answered from an index alone
        running = SlaClock.select(SlaClock.entity_id).where(
            (SlaClock.entity == "incident") & SlaClock.paused_since.is_null() & (SlaClock.warn_at <= ctx.now))
        breached = SlaClock.select(SlaClock.entity_id).where(
            (SlaClock.entity == "incident") & (SlaClock.due_at < ctx.now))
        conds += [Incident.status.in_(open_statuses), Incident.id.in_(running | breached)]
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
    if f.refs:
        conds.append(Incident.external_ref.in_(sorted(f.refs)))
    if text is not None:
        conds.append(_text_condition(text, mode))
    return conds


def _walked_window(f: QueueFilter, ctx: QueueContext, sort: str, offset: int, limit: int, descending: bool,
                   text: _Text) -> list[int] | None:
    """The window read by walking the order's first `text.walk` rows and comparing their
    titles; None when fewer than `offset + limit` of them match (the rest lie further on)."""
    from desk.db import database

    keys = _order(sort, descending)
    columns = [key.node for key in keys]
    sql, params = (_select(f, ctx, *columns).order_by(*keys).offset(text.walk - 1).limit(1)).sql()
    end = database.execute_sql(sql, params).fetchone()  # the walk's last row, its values as stored
    query = _select(f, ctx, Incident.id, text=text, mode="rows")
    if end is not None:
        # every key runs the same way: ascending keys end at <=, descending ones at >=
        last = Tuple(*columns)
        query = query.where(last >= Tuple(*end) if keys[0].direction == "DESC" else last <= Tuple(*end))
    ids = [row[0] for row in query.order_by(*keys).offset(offset).limit(limit).tuples()]
    return ids if len(ids) == limit or end is None else None


def _order(sort: str, descending: bool = False, by_filter: bool = False, everywhere: bool = False):
    """Sort keys; `updated` puts the newest first, the others the most pressing first.
    `by_filter`: no index may give the order (on PostgreSQL too when `everywhere`)."""
    columns = {
        "sla": [(Incident.due_at, False), (Incident.id, False)],
        "age": [(Incident.opened_at, False), (Incident.id, False)],
        "updated": [(Incident.updated_at, True), (Incident.id, True)],
    }.get(sort, [(Incident.priority, False), (Incident.opened_at, False), (Incident.id, False)])
    keys = []
    for column, desc in columns:
        node = _unindexed(column, everywhere) if by_filter else column
        # a held clock has no due time: last, after every ticket that has one, as the request queue
        # sorts them (SQLite puts NULL first, PostgreSQL last; both read NULLS LAST from the index)
        nulls = ("FIRST" if desc != descending else "LAST") if column is Incident.due_at else None
        keys.append(node.desc(nulls=nulls) if desc != descending else node.asc(nulls=nulls))
    return keys


def _select(f: QueueFilter, ctx: QueueContext, *fields, text: _Text | None = None, mode: str | None = None):
    query = Incident.select(*fields)
    conds = _where(f, ctx, text, mode)
    if conds:
        query = query.where(*conds)
    return query


def _ordered(f: QueueFilter, ctx: QueueContext, sort: str, descending: bool, text: _Text | None):
    drive = text is not None and text.mode == "drive"
    return _select(f, ctx, Incident.id, text=text).order_by(*_order(sort, descending, selective(f) or drive, drive))


def _text_only(f: QueueFilter, ctx: QueueContext) -> bool:
    return (f.view == "all" and not ctx.scoped and f == QueueFilter(view="all", text=f.text))


def count(f: QueueFilter, ctx: QueueContext) -> int:
    text = _text_plan(f, None)
    if text is not None and text.match is not None and _text_only(f, ctx):
        return _count_text_only(text)
    return _select(f, ctx, fn.COUNT(SQL("*")), text=text).scalar() or 0  # (why *: desk.lists.paging.count)


def ids(f: QueueFilter, ctx: QueueContext, sort: str = "priority", descending: bool = False) -> list[int]:
    """Every matching id in order: one int per row, read straight from an index where one fits."""
    out: list[int] = []
    for chunk in iter_ids(f, ctx, sort, descending):
        out.extend(chunk)
    return out


def iter_ids(f: QueueFilter, ctx: QueueContext, sort: str = "priority", descending: bool = False,
             chunk: int = 5_000, execute=None):
    """The ordered ids in chunks (lists of ints), read with one statement: the caller can
    answer other requests between chunks (a million ids take a few hundred milliseconds).
    `execute(sql, params)`: where to run it (a connection of the caller's own), else desk's."""
    from desk.db import database

    sql, params = _ordered(f, ctx, sort, descending, _text_plan(f, None, sort)).sql()
    cursor = (execute or database.execute_sql)(sql, params)
    try:
        yield from id_chunks(cursor, chunk)  # (no row kept past its id: desk.lists.paging.id_chunks)
    finally:
        cursor.close()


def window(f: QueueFilter, ctx: QueueContext, sort: str = "priority", offset: int = 0, limit: int = 100,
           descending: bool = False) -> list[int]:
    text = _text_plan(f, offset + limit, sort)
    if text is not None and text.walk:
        ids = _walked_window(f, ctx, sort, offset, limit, descending, text)
        if ids is not None:
            return ids
    query = _ordered(f, ctx, sort, descending, text).offset(offset).limit(limit)
    return [row[0] for row in query.tuples()]


def rows(id_list: list[int], desk=None) -> list[IncidentRow]:
    """The rows for these ids, in the order given (missing ids are skipped). With the `desk`
    handle, the SQL is built once per handle (desk.services.queue_rows)."""
    from desk.services import queue_rows

    return queue_rows.rows(desk, id_list)


def change_marker(desk) -> tuple:
    from desk.lists.changes import change_marker as marker

    return marker(desk)


def changed_since(history_id: int | None, limit: int = 2000, entities=frozenset({"incident"})):
    """Incidents (or rows of `entities`) touched since `history_id`: desk.lists.changes."""
    from desk.lists.changes import changed_since as since

    return since(history_id, limit, entities)


def label_aliases(config, table: str) -> dict[str, str]:
    """A code table's codes and labels (both languages, and a label's first word: g:network for
    "Network team") -> the code, as the filter bar takes them; codes win over labels."""
    out: dict[str, str] = {}
    for entry in config.entries(table):
        code = str(entry["code"])
        for label in (entry.get("en"), entry.get("zh")):
            words = str(label or "").split()
            if words:
                out.setdefault(" ".join(words).lower(), code)
                out.setdefault(words[0].lower(), code)
    for entry in config.entries(table):
        out[str(entry["code"]).lower()] = str(entry["code"])
    return out


def vocabulary(config):
    """What the filter bar understands: each code table's codes and labels -> the code."""
    from desk.domain.filter_terms import Vocabulary

    def aliases(table: str) -> dict[str, str]:
        return label_aliases(config, table)

    return Vocabulary(priorities=aliases("priority"), statuses=aliases("status"), groups=aliases("group"),
                      categories=aliases("category"), open_statuses=frozenset(flow.OPEN))
