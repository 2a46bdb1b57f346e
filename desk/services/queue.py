"""The paging query layer: filters and sorts done in SQL, rows fetched only for what is visible.

A screen asks for `count`, for the ordered `ids` of a filter (ints only, cheap even at 1M), or
for a `window` (offset/limit), and then for the `rows` of the ids it shows. Requests, catalogue
and reports add their own filters on the same shape.
"""

from __future__ import annotations

import string
from datetime import datetime, timedelta
from types import MappingProxyType
from typing import NamedTuple

from peewee import SQL, IntegerField, NodeList, Tuple, fn

from desk.domain import incident_flow as flow
from desk.models import Agent, Caller, Group, Incident, SlaClock
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


def _unindexed(column, everywhere: bool = False):
    """`+column`: SQLite then will not use an index on it (PostgreSQL plans well without the hint,
    except when it cannot know how few rows a text matches: then `everywhere`, and the column
    plus nothing — which PostgreSQL's indexes do not hold either)."""
    from desk.db import is_sqlite

    if is_sqlite():
        return NodeList((SQL("+"), column), glue="")
    if not everywhere or column is Incident.id:
        return column
    zero = "0" if isinstance(column, IntegerField) else "interval '0'"
    return NodeList((SQL("("), column, SQL(f"+ {zero})")))


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
        # breached or in warning: the running clocks the SLA engine put past their warning share
        # (desk.services.sla keeps `sla_clock` in step; held clocks are in neither), as on the wallboard
        conds += [Incident.status.in_(open_statuses), Incident.id.in_(
            SlaClock.select(SlaClock.entity_id).where((SlaClock.entity == "incident") & (SlaClock.warn_at <= ctx.now)
                                                       & SlaClock.paused_since.is_null()))]
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


# --- free text ------------------------------------------------------------------------------------
#
# A text filter finds the incidents whose title or caller's name contains the text, the case of
# ASCII letters aside (LIKE on SQLite; ILIKE on PostgreSQL, which folds every letter). What is
# typed is matched literally: % and _ are characters like any other.
#
# SQLite finds titles through incident_fts (desk.services.schema), a trigram index of each
# lower-cased title: text of three characters or more is a phrase of its trigrams; text of two
# (蓝屏) is any indexed trigram that starts with it (the index lists them); one character, or text
# holding the index's sentinel, is compared row by row. How a query uses the matches depends on
# how many there are, estimated first from the index (it reads at most ESTIMATE_CAP of them):
#   drive  few: look each match up, sort them;
#   probe  more: collect the matches in a set, walk the order's index keeping the ids in the set;
#   rows   very many: walk the order reading each row's title — the first page is a few hundred
#          rows away. A window tries this within a bound (the first `walk` rows of the order)
#          and falls back to drive or probe when the bound leaves it short.
# Every way gives the same rows in the same order; only the time differs. The walks assume the
# matches spread evenly over the order; words that come with low priorities (printers) make the
# priority order's walk longer, which is why a walk is bounded or weighed with a margin.
#
# PostgreSQL's planner weighs its own trigram index (pg_trgm, GIN) against walking the order.

_ASCII_LOWER = str.maketrans(string.ascii_uppercase, string.ascii_lowercase)
_FTS = "incident_fts"
_CALLERS = "SELECT id FROM caller WHERE name LIKE ? ESCAPE '\\'"
_PG_CALLERS = "SELECT id FROM caller WHERE name ILIKE %s ESCAPE '\\'"
PG_CALLERS_CAP = 50_000
_PG_SEEK = 2.3  # PostgreSQL, µs per match read (bitmap heap scan) and sorted
_PG_ROW = 1.8  # PostgreSQL, µs per row of the order walked and its title compared
ESTIMATE_CAP = 500  # matches read to estimate how many there are
TERMS_CAP = 256  # indexed trigrams a two-character search may stand for; more: row by row
# What each way costs, in µs (SQLite 3.40, a million incidents, warm cache):
_BUILD = 0.3  # per match: found in the index and put in the set
_PROBE = 0.06  # per entry of the order walked: looked up in the set
_SEEK = 2.0  # per match: its row read and sorted
_ROW = 1.0  # per entry of the order walked: its row read and its title compared
# A walk's length were the matches spread evenly over the order is need * rows / matches. They
# are not (printers come with low priorities): a probe's walk is weighed at _SPREAD times that,
# and a window's rows walk is tried within _ATTEMPT times that.
_SPREAD = 8
_ATTEMPT = 3
_SELECTIVE_ROWS = 10_000  # rows a selective filter's own index yields (open incidents: ~5k at 1M)


class _Text(NamedTuple):
    """How one query matches a text. `mode`: "nothing" (no title or name can hold it), "rows",
    "probe" or "drive"; `match`: the FTS5 expression for titles; `walk`: for a window, first try
    mode "rows" within the first `walk` rows of the order (None: do not)."""

    like: str  # the LIKE pattern: %text% with \\ % _ escaped
    match: str | None
    mode: str
    walk: int | None = None


def _like(text: str) -> str:
    return "%" + text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def _fts_phrase(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


def _title_match(text: str) -> tuple[str | None, int | None]:
    """(FTS5 expression for titles containing `text`, or None: not through the index;
    an upper bound of the matching titles when the expression came from the index's terms)."""
    from desk.db import database
    from desk.services.schema import SEARCH_SENTINEL, SEARCH_TERMS

    lowered = text.translate(_ASCII_LOWER)
    if len(lowered) < 2 or SEARCH_SENTINEL in lowered:
        return None, None
    if len(lowered) >= 3:
        return _fts_phrase(lowered), None
    rows = database.execute_sql(f"SELECT term, doc FROM {SEARCH_TERMS} WHERE term >= ? AND term <= ? LIMIT ?",
                                (lowered, lowered + "\U0010ffff", TERMS_CAP + 1)).fetchall()
    if len(rows) > TERMS_CAP:
        return None, None
    if not rows:  # no indexed title holds it: a phrase that finds nothing
        return _fts_phrase(lowered + SEARCH_SENTINEL * 3), 0
    return " OR ".join(_fts_phrase(term) for term, _ in rows), sum(doc for _, doc in rows)


_TEXT_MODE: str | None = None  # tests force a mode, or "walk:N" (a window's walk of N rows, then probe)


def _text_plan(f: QueueFilter, need: int | None, sort: str = "priority") -> _Text | None:
    """How to match `f.text` when the first `need` rows of the order are wanted (None: all)."""
    from desk.db import is_sqlite

    text = f.text.strip()
    if not text:
        return None
    like = _like(text)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate (undecodable bytes on argv): no row holds one
        return _Text(like, None, "nothing")
    if "\x00" in text:  # no title or name holds a NUL (and PostgreSQL cannot even be asked)
        return _Text(like, None, "nothing")
    if not is_sqlite():
        if _TEXT_MODE in ("drive", "rows"):
            return _Text(like, None, _TEXT_MODE)
        # pg_trgm's index needs three characters; with fewer, reading the matches means a scan
        drive = need is not None and len(text) >= 3 and not selective(f) and _pg_drive(like, need)
        return _Text(like, None, "drive" if drive else "rows")
    match, bound = _title_match(text)
    if match is None:
        return _Text(like, None, "rows")
    if _TEXT_MODE and _TEXT_MODE.startswith("walk:"):
        return _Text(like, match, "probe", walk=int(_TEXT_MODE[5:]) if need else None)
    if _TEXT_MODE:
        return _Text(like, match, _TEXT_MODE)
    return _choose(like, match, bound, need, selective(f), _walkable(sort))


def _walkable(sort: str) -> bool:
    """A bounded walk compares row values, which cannot hold NULL: the SLA order can be walked
    while every incident has a target (always, unless a priority was configured without one)."""
    from desk.db import database

    return sort != "sla" or database.execute_sql("SELECT 1 FROM incident WHERE due_at IS NULL LIMIT 1").fetchone() \
        is None


def _choose(like: str, match: str, bound: int | None, need: int | None, narrow: bool, walkable: bool) -> _Text:
    """The cheapest way by the costs above, from an estimate of the matches."""
    from desk.db import database

    found, last, callers, top = database.execute_sql(
        f"SELECT t.n, t.last, c.n, (SELECT MAX(id) FROM incident) FROM "
        f"(SELECT COUNT(*) AS n, MAX(r) AS last FROM (SELECT rowid AS r FROM {_FTS} WHERE {_FTS} MATCH ? LIMIT ?)) t, "
        f"(SELECT COUNT(*) AS n FROM (SELECT 1 FROM incident WHERE caller_id IN ({_CALLERS}) LIMIT ?)) c",
        (match, ESTIMATE_CAP, like, ESTIMATE_CAP)).fetchone()
    rows = max(top or 0, 1)
    titles = found if found < ESTIMATE_CAP else found * rows // max(last or 1, 1)  # as dense as the first ones
    if bound is not None:
        titles = min(titles, bound)
    matches = max(titles + callers, 1)
    costs = {"drive": matches * _SEEK}
    if narrow:  # the filter's own index yields its rows; each is checked
        costs["probe"] = matches * _BUILD + _SELECTIVE_ROWS * _PROBE
        costs["rows"] = _SELECTIVE_ROWS * _ROW
        return _Text(like, match, min(costs, key=costs.get))
    if need is None:  # every match: the whole order is walked
        costs["probe"] = matches * _BUILD + rows * _PROBE
        return _Text(like, match, min(costs, key=costs.get))
    even = need * rows / matches
    costs["probe"] = matches * _BUILD + min(rows, _SPREAD * even) * _PROBE
    mode = min(costs, key=costs.get)
    walk = int(min(rows, _ATTEMPT * even))
    if walkable and walk * _ROW < costs[mode]:
        return _Text(like, match, mode, walk=max(walk, need))
    return _Text(like, match, mode)


def _pg_drive(like: str, need: int) -> bool:
    """Read every match and sort them, rather than walk the order? From the matches PostgreSQL
    expects for the titles (it tries the pattern on its column statistics) and the callers'
    incidents (counted, up to PG_CALLERS_CAP)."""
    from desk.db import database

    plan = database.execute_sql("EXPLAIN (FORMAT JSON) SELECT 1 FROM incident WHERE title ILIKE %s ESCAPE '\\'",
                                (like,)).fetchone()[0]
    callers, top = database.execute_sql(
        f"SELECT (SELECT COUNT(*) FROM (SELECT 1 FROM incident WHERE caller_id = ANY(ARRAY({_PG_CALLERS})) "
        "LIMIT %s) AS c), (SELECT MAX(id) FROM incident)", (like, PG_CALLERS_CAP)).fetchone()
    matches = max(float(plan[0]["Plan"]["Plan Rows"]) + callers, 1.0)
    rows = max(top or 0, 1)
    return matches * _PG_SEEK < min(rows, _SPREAD * need * rows / matches) * _PG_ROW


def _text_condition(text: _Text, mode: str | None = None):
    from desk.db import is_sqlite

    mode = mode or text.mode
    if mode == "nothing":
        return SQL("1 = 0")
    sqlite = is_sqlite()
    op, mark = "LIKE", "?"
    if not sqlite:  # an array, not a subquery: the trigram index and the caller index then combine (BitmapOr)
        return (NodeList((Incident.title, SQL("ILIKE %s ESCAPE '\\'", [text.like])))
                | NodeList((Incident.caller, SQL(f"= ANY(ARRAY({_PG_CALLERS}))", [text.like]))))
    if mode == "rows" or text.match is None:
        def like(column):
            return NodeList((column, SQL(f"{op} {mark} ESCAPE '\\'", [text.like])))

        return like(Incident.title) | Incident.caller.in_(Caller.select(Caller.id).where(like(Caller.name)))
    matches = SQL(f"(SELECT rowid FROM {_FTS} WHERE {_FTS} MATCH ? "
                  f"UNION ALL SELECT id FROM incident WHERE caller_id IN ({_CALLERS}))", [text.match, text.like])
    return (Incident.id if mode == "drive" else _unindexed(Incident.id)).in_(matches)


def _count_text_only(text: _Text) -> int:
    """The matches of a text alone, from the index and the caller index (no incident row read):
    the titles found, plus the callers' incidents whose title is not among them."""
    from desk.db import database

    return database.execute_sql(
        f"SELECT (SELECT COUNT(*) FROM {_FTS} WHERE {_FTS} MATCH ?) + "
        f"(SELECT COUNT(*) FROM incident WHERE caller_id IN ({_CALLERS}) "
        f"AND id NOT IN (SELECT rowid FROM {_FTS} WHERE {_FTS} MATCH ?))",
        (text.match, text.like, text.match)).fetchone()[0]


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


def selective(f: QueueFilter) -> bool:
    """Does the filter narrow the table a lot (a status set, a group, an assignee)? Then the
    rows are best found through the filter's index and sorted, rather than found by walking
    the sort order's index past a million closed incidents."""
    return f.view != "all" or bool(f.statuses or f.groups or f.assignees or f.breached or f.refs)


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
        keys.append(node.desc() if desc != descending else node.asc())
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
    return _select(f, ctx, fn.COUNT(Incident.id), text=text).scalar() or 0


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
        while True:
            rows = cursor.fetchmany(chunk)
            if not rows:
                return
            yield [r[0] for r in rows]
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
