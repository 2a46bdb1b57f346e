"""A report's incident figures for one period, in SQL aggregates (seed 002 §5.2; docs/kpi.md
defines each figure). Read-only: the reports service stores what this returns as the draft's
raw figures.

Every figure is counted by the database, never by looping over incidents here: one pass over the
incidents opened in the period grouped by priority (every sum; the totals are the four rows'), one
narrow GROUP BY for the category, source and group breakdowns, the period's escalations, returns
and reopenings counted from history's (entity, action, at, entity_id) index, the 90th percentiles
by rank (ORDER BY … DESC LIMIT 1 OFFSET n − k), the backlog at the period's end, and the workload
of the incidents resolved in the period. The previous period (the comparison) needs the first
pass, the history counts and the backlog only.

Instants are naive UTC; a period's bounds are the caller's (the reports service turns a local
month into UTC instants with the SLA time zone).
"""

from __future__ import annotations

import math
from datetime import datetime

from peewee import OperationalError

from desk.db import is_sqlite
from desk.domain import incident_flow
from desk.services import linking, report_days

DEFINITIONS_VERSION = 1
AGE_BUCKETS = ((1, "lt_1d"), (3, "1_3d"), (7, "3_7d"), (30, "7_30d"), (None, "ge_30d"))  # days
_DONE = (incident_flow.RESOLVED, incident_flow.CLOSED)
DONE_SQL = ", ".join(f"'{s}'" for s in _DONE)


class _Sql:
    """The few places where SQLite and PostgreSQL write the same thing differently."""

    def __init__(self, db):
        self.db = db
        self.sqlite = is_sqlite(db)
        self.p = "?" if self.sqlite else "%s"
        # SQLite's unary + keeps a column out of index choice; PostgreSQL has no + for text
        self.unindexed = "+" if self.sqlite else ""

    def minutes(self, start: str, end: str) -> str:
        if self.sqlite:
            return f"((julianday({end}) - julianday({start})) * 1440.0)"
        return f"(EXTRACT(EPOCH FROM ({end} - {start})) / 60.0)"

    def millis(self, start: str, end: str) -> str:
        """Whole milliseconds from `start` to `end`: what the mean times sum, exactly, on the rows
        and in the per-day summary alike (report_days), so that both give the same mean."""
        if self.sqlite:
            return f"CAST(ROUND((julianday({end}) - julianday({start})) * 86400000.0) AS INTEGER)"
        return f"CAST(ROUND(EXTRACT(EPOCH FROM ({end} - {start})) * 1000) AS BIGINT)"

    def never_escalated(self) -> str:
        """The incident `i` has no functional escalation in history. SQLite: NOT IN a set of the
        escalated ids built once from the (entity, action, at, entity_id) index (escalations of an
        incident opened at or after `start` are written at or after it); a probe per incident
        would read each one's history rows. PostgreSQL hashes the correlated subquery itself."""
        if self.sqlite:
            return ("i.id NOT IN (SELECT h.entity_id FROM history h WHERE h.entity = 'incident' "
                    "AND h.action = 'escalate' AND h.at >= ?)")
        return ("NOT EXISTS (SELECT 1 FROM history h WHERE h.entity = 'incident' AND h.entity_id = i.id "
                "AND h.action = 'escalate')")

    def never_escalated_params(self, start: datetime) -> tuple:
        return (self.at(start),) if self.sqlite else ()

    def at(self, value: datetime):
        return value.strftime("%Y-%m-%d %H:%M:%S") if self.sqlite else value

    def tier_one(self) -> list[int]:
        """The service desk's groups (tier 1): a handful of ids, written into the query."""
        return [int(g) for (g,) in self.db.execute_sql('SELECT id FROM "group" WHERE tier = 1').fetchall()]

    def rows(self, sql: str, params: tuple = ()) -> list[tuple]:
        return list(self.db.execute_sql(sql.replace("?", self.p), params).fetchall())


def _rate(part, whole) -> float | None:
    return round(part / whole, 4) if whole else None


def _round(value) -> float | None:
    return None if value is None else round(float(value), 1)


def _sorted(counts: dict) -> list[list]:
    return [[k, v] for k, v in sorted(counts.items(), key=lambda kv: (-kv[1], str(kv[0])))]


# --- the incidents opened in the period -------------------------------------------------------------

def _opened(sql: _Sql, start: datetime, end: datetime, upto: datetime) -> list[tuple]:
    """(priority, opened, resolved by the end, first-call resolved, not resolved in time, reopened,
    resolved at least once, responded, response milliseconds, resolution milliseconds, resolved by a
    known group) per priority of the incidents opened in [start, end). `upto`: the instant 'not yet
    resolved' is judged at (the period's end, or now if that is earlier).

    Grouped by priority alone (four rows): the totals are their sums. Grouping by every breakdown
    at once sorted the month's index entries with every summed column (figure 11: a third of the
    report's time); the other breakdowns are counted apart (`_breakdowns`)."""
    response = sql.millis("i.opened_at", "i.first_response_at")
    resolve = sql.millis("i.opened_at", "i.resolved_at")
    done = DONE_SQL
    desk_groups = ", ".join(str(g) for g in sql.tier_one()) or "NULL"
    query = f"""
        SELECT i.priority,
               COUNT(*),
               SUM(CASE WHEN i.resolved_at IS NOT NULL AND i.resolved_at < ? AND i.status IN ({done})
                        THEN 1 ELSE 0 END),
               SUM(CASE WHEN i.resolved_at IS NOT NULL AND i.resolved_at < ? AND i.status IN ({done})
                         AND i.reopen_count = 0 AND i.escalation_level = 0
                         AND i.resolved_group_id IN ({desk_groups}) AND {sql.never_escalated()}
                        THEN 1 ELSE 0 END),
               SUM(CASE WHEN i.due_at IS NOT NULL AND ((i.resolved_at IS NOT NULL AND i.resolved_at < ?
                                                        AND i.resolved_at > i.due_at)
                                                       OR ((i.resolved_at IS NULL OR i.resolved_at >= ?)
                                                           AND i.due_at < ?))
                        THEN 1 ELSE 0 END),
               SUM(CASE WHEN i.reopen_count > 0 THEN 1 ELSE 0 END),
               SUM(CASE WHEN i.resolved_at IS NOT NULL OR i.reopen_count > 0 THEN 1 ELSE 0 END),
               SUM(CASE WHEN i.first_response_at IS NOT NULL AND i.first_response_at < ? THEN 1 ELSE 0 END),
               SUM(CASE WHEN i.first_response_at IS NOT NULL AND i.first_response_at < ? THEN {response}
                        ELSE 0 END),
               SUM(CASE WHEN i.resolved_at IS NOT NULL AND i.resolved_at < ? AND i.status IN ({done})
                        THEN {resolve} ELSE 0 END),
               SUM(CASE WHEN i.resolved_at IS NOT NULL AND i.resolved_at < ? AND i.status IN ({done})
                         AND i.resolved_group_id IS NOT NULL THEN 1 ELSE 0 END)
        FROM incident i
        WHERE i.opened_at >= ? AND i.opened_at < ?
        GROUP BY i.priority"""
    s, e, u = sql.at(start), sql.at(end), sql.at(upto)
    return sql.rows(query, (e, e, *sql.never_escalated_params(start), e, e, u, e, e, e, e, s, e))


def _breakdowns(sql: _Sql, start: datetime, end: datetime) -> list[tuple]:
    """(category, source, group_id, opened) of the incidents opened in [start, end): one narrow
    GROUP BY (three short keys and a count) from the opened index alone."""
    query = ("SELECT i.category, i.source, i.group_id, COUNT(*) FROM incident i "
             "WHERE i.opened_at >= ? AND i.opened_at < ? GROUP BY i.category, i.source, i.group_id")
    return sql.rows(query, (sql.at(start), sql.at(end)))


def _percentile(sql: _Sql, start: datetime, end: datetime, column: str, count: int, resolved: bool) -> float | None:
    """The 90th percentile (nearest rank: the value at rank ⌈0.9 n⌉) of opened → `column` in
    minutes, over the incidents opened in the period with `column` before its end (`count` of
    them). Read from the top: the value at rank k ascending is the one at n − k + 1 descending, so
    the sort keeps the longest tenth of the times instead of nine tenths of them."""
    if not count:
        return None
    minutes = sql.minutes("i.opened_at", f"i.{column}")
    done = ", ".join(f"'{s}'" for s in _DONE)
    extra = f" AND {sql.unindexed}i.status IN ({done})" if resolved else ""  # (+: the opened_at range, not the status index)
    rank = math.ceil(0.9 * count)
    query = (f"SELECT {minutes} AS m FROM incident i WHERE i.opened_at >= ? AND i.opened_at < ? "
             f"AND i.{column} IS NOT NULL AND i.{column} < ?{extra} ORDER BY m DESC LIMIT 1 OFFSET {count - rank}")
    found = sql.rows(query, (sql.at(start), sql.at(end), sql.at(end)))
    return _round(found[0][0]) if found else None


# --- what happened in the period (history) ------------------------------------------------------------

HISTORY_ACTIONS = ("escalate", "escalate_hierarchical", "return", "reopen", "resolve")


def _events(sql: _Sql, start: datetime, end: datetime) -> dict[str, int]:
    """action -> how many of the incidents' history rows of that action were written in [start, end)
    (counted from the (entity, action, at, entity_id) index alone)."""
    marks = ", ".join("?" for _ in HISTORY_ACTIONS)
    query = (f"SELECT h.action, COUNT(*) FROM history h WHERE h.entity = 'incident' "
             f"AND h.action IN ({marks}) AND h.at >= ? AND h.at < ? GROUP BY h.action")
    found = dict(sql.rows(query, (*HISTORY_ACTIONS, sql.at(start), sql.at(end))))
    return {a: int(found.get(a, 0)) for a in HISTORY_ACTIONS}


def _escalated(sql: _Sql, start: datetime, end: datetime) -> int:
    """How many incidents were escalated (functionally) in [start, end). Apart from `_events`: a
    distinct count sorts its ids, and only this action's are wanted (figure 11)."""
    query = ("SELECT COUNT(DISTINCT h.entity_id) FROM history h WHERE h.entity = 'incident' "
             "AND h.action = 'escalate' AND h.at >= ? AND h.at < ?")
    return int(sql.rows(query, (sql.at(start), sql.at(end)))[0][0] or 0)


def _backlog(sql: _Sql, end: datetime) -> tuple[list[tuple], int]:
    """The incidents open at the period's end (opened before it, not resolved by it), by priority
    and age: [(priority, bucket counts…, oldest minutes)], and their total."""
    age = sql.minutes("i.opened_at", "?")
    cases, bounds = [], []
    low = None
    for days, _name in AGE_BUCKETS:
        cond = []
        if low is not None:
            cond.append(f"{age} >= {low * 1440}")
        if days is not None:
            cond.append(f"{age} < {days * 1440}")
        cases.append(f"SUM(CASE WHEN {' AND '.join(cond)} THEN 1 ELSE 0 END)")
        bounds.append(len(cond))
        low = days
    open_marks = ", ".join(f"'{s}'" for s in incident_flow.OPEN)
    done = ", ".join(f"'{s}'" for s in _DONE)
    # Two halves, each read from an index alone: still open now ((status, priority, opened_at)), and
    # resolved since the end ((resolved_at, status, opened_at, priority)). They cannot overlap.
    halves = (f"SELECT priority, opened_at FROM incident WHERE status IN ({open_marks}) AND opened_at < ? "
              f"UNION ALL SELECT priority, opened_at FROM incident WHERE resolved_at >= ? AND opened_at < ? "
              f"AND {sql.unindexed}status IN ({done})")
    query = (f"SELECT i.priority, COUNT(*), {', '.join(cases)}, MAX({age}) FROM ({halves}) i "
             f"GROUP BY i.priority ORDER BY i.priority")
    e = sql.at(end)
    params = tuple(e for n in bounds for _ in range(n)) + (e,) + (e, e, e)
    rows = sql.rows(query, params)
    return rows, sum(r[1] for r in rows)


def _workload(sql: _Sql, start: datetime, end: datetime) -> list[tuple]:
    """(group_id, agent_id, resolved) of the incidents resolved in [start, end) and resolved still."""
    done = ", ".join(f"'{s}'" for s in _DONE)
    query = (f"SELECT i.resolved_group_id, i.resolved_by_id, COUNT(*) FROM incident i WHERE i.resolved_at >= ? "
             f"AND i.resolved_at < ? AND {sql.unindexed}i.status IN ({done}) GROUP BY i.resolved_group_id, i.resolved_by_id")
    return sql.rows(query, (sql.at(start), sql.at(end)))


# --- the figures ------------------------------------------------------------------------------------

def _summary(sql: _Sql, days: report_days.Span | None) -> report_days.Span | None:
    """`days` if the per-day summary can be read for them, brought in step first; else None (the
    rows are read: no summary before schema 15, or a database this process may not write)."""
    if days is None or not report_days.usable(sql.db):
        return None
    try:
        report_days.refresh(sql, days.tz)
    except OperationalError:  # e.g. a read-only file: the rows give the same figures
        return None
    return days


def headline(desk, start: datetime, end: datetime, now: datetime | None = None, *, detail: bool = True,
             days: report_days.Span | None = None) -> dict:
    """Every incident figure of the period [start, end). `detail=False`: the headline figures only
    (what the comparison with the previous period needs). `days`: the period as the per-day summary
    reads it (report_days.span: a closed period), to read the opened incidents' sums and breakdowns
    from the summary instead of the rows (the same figures)."""
    sql = _Sql(desk.db)
    now = now or desk.now()
    upto = min(end, now)
    days = _summary(sql, days)
    rows = report_days.opened(sql, days) if days else _opened(sql, start, end, upto)
    totals = [0] * 10
    by: dict[str, dict] = {"priority": {}, "category": {}, "source": {}, "group": {}}
    resolved_by_priority: dict = {}
    for priority, *values in rows:
        values = [int(v or 0) for v in values]
        totals = [a + b for a, b in zip(totals, values)]
        by["priority"][str(priority)] = by["priority"].get(str(priority), 0) + values[0]
        resolved_by_priority[str(priority)] = resolved_by_priority.get(str(priority), 0) + values[1]
    opened, resolved, fcr, late, reopened, ever_resolved, responded, response_sum, resolve_sum, known = totals
    events = _events(sql, start, end)
    backlog_rows, backlog_total = _backlog(sql, end)
    figures = {
        "opened": opened,
        "resolved": resolved,
        "resolution_rate": _rate(resolved, opened),
        "first_call_resolved": fcr,
        # over the resolved whose resolving group is known (not recorded by a tool migrated from: no rate)
        "first_call_resolution_rate": _rate(fcr, int(known)),
        "not_resolved_in_time": late,
        "escalations_functional": events["escalate"],
        "escalations_hierarchical": events["escalate_hierarchical"],
        "escalations_returned": events["return"],
        "reopenings": events["reopen"],
        "resolutions": events["resolve"],
        "reopen_rate": _rate(reopened, ever_resolved),
        "mean_response_minutes": _round(response_sum / 60000 / responded) if responded else None,
        "mean_resolve_minutes": _round(resolve_sum / 60000 / resolved) if resolved else None,
        "backlog": backlog_total,
    }
    if not detail:
        return figures
    figures["incidents_escalated"] = _escalated(sql, start, end)
    for category, source, group_id, count in (report_days.breakdowns(sql, days) if days
                                              else _breakdowns(sql, start, end)):
        group = linking.group_code(desk, group_id) if group_id else ""
        for name, key in (("category", category), ("source", source), ("group", group)):
            by[name][key] = by[name].get(key, 0) + int(count)
    figures["p90_response_minutes"] = _percentile(sql, start, end, "first_response_at", responded, False)
    figures["p90_resolve_minutes"] = _percentile(sql, start, end, "resolved_at", resolved, True)
    figures["by"] = {name: _sorted(counts) for name, counts in by.items()}
    figures["resolved_by_priority"] = sorted([[k, v] for k, v in resolved_by_priority.items()])
    names = [name for _, name in AGE_BUCKETS]
    figures["backlog_by_priority"] = [
        {"priority": str(r[0]), "count": int(r[1]), **{n: int(v or 0) for n, v in zip(names, r[2:2 + len(names)])},
         "oldest_minutes": _round(r[-1])} for r in backlog_rows]
    figures["backlog_by_age"] = {n: sum(b[n] for b in figures["backlog_by_priority"]) for n in names}
    groups: dict[str, int] = {}
    agents: dict[str, int] = {}
    for group_id, agent_id, count in _workload(sql, start, end):
        g = linking.group_code(desk, group_id) if group_id else ""
        a = linking.agent_login(desk, agent_id) if agent_id else ""
        groups[g] = groups.get(g, 0) + int(count)
        agents[a] = agents.get(a, 0) + int(count)
    figures["workload"] = {"resolved_by_group": _sorted(groups), "resolved_by_agent": _sorted(agents),
                           "opened_by_group": figures["by"]["group"]}
    return figures


COMPARED = ("opened", "resolved", "resolution_rate", "first_call_resolution_rate", "not_resolved_in_time",
            "escalations_functional", "escalations_hierarchical", "escalations_returned", "reopen_rate",
            "mean_response_minutes", "mean_resolve_minutes", "backlog")


def comparison(current: dict, previous: dict) -> list[dict]:
    """Each headline figure now, in the previous period, and the change."""
    out = []
    for name in COMPARED:
        now, before = current.get(name), previous.get(name)
        change = None if now is None or before is None else round(now - before, 4)
        out.append({"figure": name, "current": now, "previous": before, "change": change})
    return out
