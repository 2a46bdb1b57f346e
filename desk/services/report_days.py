"""A report of a closed period reads the per-day summary (schema 15, report_days_schema) instead of
every incident of it (figure 11: a month of a million-incident desk is ~330k incidents; the summary
holds a few thousand rows for it).

What a row means. Every summarised figure of an incident opened in the period [S, E) is a step in E:
it counts once E passes some instant of the incident, and never stops counting (the period being
closed, "by the end" is judged at E itself). Resolved, first-call resolved, resolution time and
known resolving group count from the (last) resolution, if the incident is resolved or closed now;
responded and response time from the first response; "not resolved in time" from the due time, if
there is one and the incident is unresolved or was resolved after it (resolved in time: never late;
resolved late: late from the due time on, whether E falls before or after the resolution). Opened,
reopened and "resolved at least once" count at once. So the summary keeps, per local day opened,
priority and `at_day` (the local day of that instant), the sums of the contributions, and a period's
figures are `SUM(...) WHERE S <= day < E AND at_day < E`: exactly the row-based answer, since a local
day boundary is an instant (every zone's offset is a whole number of quarter hours, so the UTC
quarter hour of an instant says its local day). Times are summed as integer milliseconds on both
paths, so that the means are identical. The 90th percentiles are not summarised: they are read from
the rows (docs/kpi.md says why).

The category, source and group breakdowns count at once: `report_day_mix` per local day.

Kept true: the triggers mark the UTC date of each changed incident's `opened_at`; `refresh`
recomputes the local days overlapping each marked date, in the same transaction as it deletes the
markers. The summary is computed for one time zone and one set of service-desk groups (tier 1,
first-call resolution), written in its basis; a different basis recomputes every day.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta, timezone
from typing import NamedTuple

from desk.db import write_transaction
from desk.services.report_days_schema import BASIS_KEY, DIRTY, DIRTY_IDS, MIX, SUMMARY, SUMS, exists

VERSION = 1  # of what a summary row means; a new one recomputes every day
BATCH = 16  # marked UTC dates recomputed per transaction (a full recompute holds the write lock in short turns)
QUARTER = 900  # seconds


class Span(NamedTuple):
    """A closed period as the summary reads it: its first local day and the local day after it."""

    tz: object
    first: date
    end: date


def _tz_name(tz) -> str:
    return getattr(tz, "key", None) or str(tz)


def utc_of(tz, day: date) -> datetime:
    """The UTC instant of the local midnight starting `day` (naive)."""
    local = datetime(day.year, day.month, day.day, tzinfo=tz)
    return local.astimezone(timezone.utc).replace(tzinfo=None)


def local_day(tz, instant: datetime) -> date:
    return instant.replace(tzinfo=timezone.utc).astimezone(tz).date()


def span(tz, start_local: datetime, end_local: datetime, end_utc: datetime, now: datetime) -> Span | None:
    """The summary's span of the period, if it may be read from the summary: closed (its end not
    after `now`, so every "by the end" is judged at the end) and bounded by local midnights."""
    if end_utc > now or start_local.time() != datetime.min.time() or end_local.time() != datetime.min.time():
        return None
    return Span(tz, start_local.date(), end_local.date())


# --- computing the rows of one local day -------------------------------------------------------------

def _slot(sql, column: str) -> str:
    """The UTC quarter hour of `column` (an integer: seconds since the epoch // 900)."""
    if sql.sqlite:
        return f"(CAST(strftime('%s', {column}) AS INTEGER) / {QUARTER})"
    return f"CAST(FLOOR(EXTRACT(EPOCH FROM {column}) / {QUARTER}) AS BIGINT)"


ESCALATED = "temp.report_day_escalated"


def _never_escalated(sql) -> str:
    """The incident `i` has no functional escalation in history. SQLite: not in the set of escalated
    ids `_escalated` made for the transaction's days (building the set once per day would read every
    later escalation again for each day); PostgreSQL hashes its correlated NOT EXISTS itself."""
    return f"i.id NOT IN (SELECT id FROM {ESCALATED})" if sql.sqlite else sql.never_escalated()


def _escalated(sql, a: datetime, b: datetime) -> None:
    """SQLite: the set of incidents opened in [a, b) with an `escalate` row in history written at or
    after a, in a temporary table of this connection, inside the refresh's transaction (so that no
    escalation is written between the set and the days computed from it). Read from history's
    (entity, action, at, entity_id) index: the ids are bounded by the range's smallest and largest."""
    sql.db.execute_sql(f"CREATE TEMP TABLE IF NOT EXISTS {ESCALATED.split('.')[1]} (id INTEGER PRIMARY KEY)")
    sql.db.execute_sql(f"DELETE FROM {ESCALATED}")
    lo, hi = sql.rows("SELECT MIN(i.id), MAX(i.id) FROM incident i WHERE i.opened_at >= ? AND i.opened_at < ?",
                      (sql.at(a), sql.at(b)))[0]
    if lo is None:
        return
    sql.db.execute_sql(f"INSERT OR IGNORE INTO {ESCALATED} SELECT h.entity_id FROM history h "
                       "WHERE h.entity = 'incident' AND h.action = 'escalate' AND h.at >= ? "
                       "AND h.entity_id BETWEEN ? AND ?", (sql.at(a), lo, hi))


def _day_rows(sql, tz, day: date, basis_groups: list[int]) -> tuple[list[tuple], list[tuple]]:
    """The summary's rows and the mix's rows of the incidents opened on the local `day`."""
    from desk.services.report_figures import DONE_SQL

    a, b = utc_of(tz, day), utc_of(tz, day + timedelta(days=1))
    where = "FROM incident i WHERE i.opened_at >= ? AND i.opened_at < ?"
    bounds = (sql.at(a), sql.at(b))
    desk_groups = ", ".join(str(g) for g in basis_groups) or "NULL"
    sums: dict[tuple, list] = {}
    days: dict[int, str] = {}

    def add(priority, slot, values: dict) -> None:
        if slot is None:
            return
        at = days.get(slot)
        if at is None:
            at = days[slot] = local_day(tz, datetime(1970, 1, 1) + timedelta(seconds=int(slot) * QUARTER)).isoformat()
        row = sums.setdefault((priority, at), [0] * len(SUMS))
        for name, value in values.items():
            row[SUMS.index(name)] += int(value or 0)

    base = sql.rows(f"SELECT i.priority, COUNT(*), SUM(CASE WHEN i.reopen_count > 0 THEN 1 ELSE 0 END), "
                    f"SUM(CASE WHEN i.resolved_at IS NOT NULL OR i.reopen_count > 0 THEN 1 ELSE 0 END) "
                    f"{where} GROUP BY i.priority", bounds)
    for priority, opened, reopened, ever in base:
        key = (priority, day.isoformat())
        row = sums.setdefault(key, [0] * len(SUMS))
        row[SUMS.index("opened")] += int(opened)
        row[SUMS.index("reopened")] += int(reopened or 0)
        row[SUMS.index("ever_resolved")] += int(ever or 0)
    resolved = sql.rows(
        f"SELECT i.priority, {_slot(sql, 'i.resolved_at')}, COUNT(*), "
        f"SUM(CASE WHEN i.reopen_count = 0 AND i.escalation_level = 0 AND i.resolved_group_id IN ({desk_groups}) "
        f"AND {_never_escalated(sql)} THEN 1 ELSE 0 END), SUM({sql.millis('i.opened_at', 'i.resolved_at')}), "
        f"SUM(CASE WHEN i.resolved_group_id IS NOT NULL THEN 1 ELSE 0 END) "
        f"{where} AND i.resolved_at IS NOT NULL AND {sql.unindexed}i.status IN ({DONE_SQL}) GROUP BY 1, 2",
        bounds)
    for priority, slot, count, fcr, millis, known in resolved:
        add(priority, slot, {"resolved": count, "fcr": fcr, "resolve_ms": millis, "known": known})
    responded = sql.rows(f"SELECT i.priority, {_slot(sql, 'i.first_response_at')}, COUNT(*), "
                         f"SUM({sql.millis('i.opened_at', 'i.first_response_at')}) {where} "
                         f"AND i.first_response_at IS NOT NULL GROUP BY 1, 2", bounds)
    for priority, slot, count, millis in responded:
        add(priority, slot, {"responded": count, "response_ms": millis})
    late = sql.rows(f"SELECT i.priority, {_slot(sql, 'i.due_at')}, COUNT(*) {where} AND i.due_at IS NOT NULL "
                    f"AND (i.resolved_at IS NULL OR i.resolved_at > i.due_at) GROUP BY 1, 2", bounds)
    for priority, slot, count in late:
        add(priority, slot, {"late": count})
    mix = sql.rows(f"SELECT i.category, i.source, i.group_id, COUNT(*) {where} "
                   "GROUP BY i.category, i.source, i.group_id", bounds)
    rows = [(day.isoformat(), priority, at, *values) for (priority, at), values in sums.items()]
    return rows, [(day.isoformat(), *r) for r in mix]


# --- keeping it true -----------------------------------------------------------------------------------

def basis(sql, tz) -> str:
    return f"{VERSION}|{_tz_name(tz)}|{','.join(str(g) for g in sql.tier_one())}"


def _setting(sql, key: str) -> str | None:
    found = sql.rows("SELECT value FROM setting WHERE key = ?", (key,))
    return found[0][0] if found else None


def _lock(sql) -> None:
    if not sql.sqlite:  # the triggers' ROW EXCLUSIVE waits for it (report_days_schema)
        sql.db.execute_sql(f"LOCK TABLE {DIRTY} IN EXCLUSIVE MODE")


def _rebase(sql, tz, wanted: str) -> None:
    """A new basis: forget every summarised day and mark every date that has incidents."""
    with write_transaction(sql.db):
        _lock(sql)
        for table in (SUMMARY, MIX, DIRTY) + ((DIRTY_IDS,) if sql.sqlite else ()):
            sql.db.execute_sql(f"DELETE FROM {table}")
        day = "date(opened_at)" if sql.sqlite else "to_char(opened_at, 'YYYY-MM-DD')"
        sql.db.execute_sql(f"INSERT INTO {DIRTY} (day) SELECT DISTINCT {day} FROM incident "
                           "WHERE opened_at IS NOT NULL")
        sql.db.execute_sql(f"DELETE FROM setting WHERE key = {sql.p}", (BASIS_KEY,))
        sql.db.execute_sql(f"INSERT INTO setting (key, value) VALUES ({sql.p}, {sql.p})", (BASIS_KEY, wanted))


def _local_days(tz, utc_day: str) -> set[date]:
    """The local days a UTC date overlaps (one or two)."""
    first = datetime.fromisoformat(utc_day)
    return {local_day(tz, first), local_day(tz, first + timedelta(days=1) - timedelta(microseconds=1))}


def _recompute(sql, tz, marked: list[str], groups: list[int]) -> None:
    """One transaction: the local days of `marked` computed again, and those markers deleted."""
    with write_transaction(sql.db):
        _lock(sql)
        days = sorted({d for utc_day in marked for d in _local_days(tz, utc_day)})
        if sql.sqlite:
            _escalated(sql, utc_of(tz, days[0]), utc_of(tz, days[-1] + timedelta(days=1)))
        for day in days:
            rows, mix = _day_rows(sql, tz, day, groups)
            for table in (SUMMARY, MIX):
                sql.db.execute_sql(f"DELETE FROM {table} WHERE day = {sql.p}", (day.isoformat(),))
            if rows:
                marks = ", ".join([sql.p] * (3 + len(SUMS)))
                sql.db.cursor().executemany(
                    f"INSERT INTO {SUMMARY} (day, priority, at_day, {', '.join(SUMS)}) VALUES ({marks})", rows)
            if mix:
                sql.db.cursor().executemany(f"INSERT INTO {MIX} (day, category, source, group_id, opened) "
                                            f"VALUES ({sql.p}, {sql.p}, {sql.p}, {sql.p}, {sql.p})", mix)
        chunk = ", ".join([sql.p] * len(marked))
        sql.db.execute_sql(f"DELETE FROM {DIRTY} WHERE day IN ({chunk})", tuple(marked))


def _dates_of_ids(sql) -> None:
    """SQLite: the dates of the incidents the history trigger marked by id, as date markers."""
    if not sql.sqlite or not sql.rows(f"SELECT 1 FROM {DIRTY_IDS} LIMIT 1"):
        return
    with write_transaction(sql.db):
        sql.db.execute_sql(f"INSERT OR IGNORE INTO {DIRTY} (day) SELECT DISTINCT date(opened_at) FROM incident "
                           f"WHERE id IN (SELECT id FROM {DIRTY_IDS}) AND opened_at IS NOT NULL")
        sql.db.execute_sql(f"DELETE FROM {DIRTY_IDS}")


def refresh(sql, tz) -> None:
    """Bring the summary in step with the incidents: a full recompute if its basis changed (time
    zone, service-desk groups, VERSION), then every marked date, BATCH dates per transaction.
    PostgreSQL: the markers are read under the refresh's lock, inside each transaction."""
    wanted = basis(sql, tz)
    if _setting(sql, BASIS_KEY) != wanted:
        _rebase(sql, tz, wanted)
    _dates_of_ids(sql)
    groups = sql.tier_one()
    while True:
        marked = [r[0] for r in sql.rows(f"SELECT DISTINCT day FROM {DIRTY} ORDER BY day LIMIT {BATCH}")]
        if not marked:
            return
        _recompute(sql, tz, marked, groups)


# --- reading -------------------------------------------------------------------------------------------

def opened(sql, s: Span) -> list[tuple]:
    """What report_figures._opened returns for the span (SUMS is its order), from the summary."""
    sums = ", ".join(f"SUM({name})" for name in SUMS)
    first, end = s.first.isoformat(), s.end.isoformat()
    return sql.rows(f"SELECT priority, {sums} FROM {SUMMARY} WHERE day >= ? AND day < ? AND at_day < ? "
                    "GROUP BY priority", (first, end, end))


def breakdowns(sql, s: Span) -> list[tuple]:
    """What report_figures._breakdowns returns for the span, from the mix."""
    return sql.rows(f"SELECT category, source, group_id, SUM(opened) FROM {MIX} WHERE day >= ? AND day < ? "
                    "GROUP BY category, source, group_id", (s.first.isoformat(), s.end.isoformat()))


def usable(db) -> bool:
    """The summary exists (schema 15)."""
    return exists(db)
