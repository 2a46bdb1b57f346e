"""`desk check`: is the database whole, and does every ticket agree with its history?

Checks, in one read snapshot:
- storage: PRAGMA integrity_check (or quick_check) and foreign_key_check on SQLite
  (PostgreSQL enforces both itself, so they are skipped there);
- the history triggers that refuse UPDATE/DELETE are present;
- the incident title search (schema 3) is whole and in step with the titles: on SQLite its
  table, view and triggers exist, the totals FTS5 keeps (titles, trigrams) equal those of the
  incidents, and a sample of incidents is found by its own title (FTS5's 'integrity-check'
  command is not used: it takes the write lock, for seconds at a million incidents); on
  PostgreSQL the trigram index exists wherever pg_trgm is installed;
- every history hash chain verifies (`history.verify_all`, one streamed pass);
- invariants, as SQL aggregates (no per-ticket queries, so a million incidents take seconds):
  a ticket's status is what its last status-changing history row says (`changes` {"status": [old, new]}),
  its version equals its number of history rows (the create row plus one per change), and no
  history row belongs to a ticket that does not exist.

Read-only: nothing here writes. Each problem names the ticket and the row it concerns.
"""

from __future__ import annotations

import json
import re
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from desk.db import is_sqlite
from desk.i18n import t
from desk.models import CatalogueDraft, CatalogueRequirement, Change, History, Incident, Problem, ServiceRequest
from desk.services import history, schema

# Ticket kinds whose rows carry `status` and `version` and whose changes are logged in history
# under this entity name. The requests issue adds ("request", Request) here.
TICKETS: list[tuple[str, type]] = [("incident", Incident), ("problem", Problem), ("change", Change),
                                   ("request", ServiceRequest), ("requirement", CatalogueRequirement),
                                   ("catalogue_draft", CatalogueDraft)]

_TRIGGER_NAME = re.compile(r"CREATE\s+TRIGGER\s+(?:IF\s+NOT\s+EXISTS\s+)?(\w+)", re.I)


def expected_triggers(db) -> list[str]:
    """The trigger names `schema.ensure_history_triggers` creates on this backend."""
    sqls = schema.SQLITE_TRIGGERS if is_sqlite(db) else schema.PG_TRIGGERS
    return sorted(m.group(1) for sql in sqls for m in [_TRIGGER_NAME.search(sql)] if m)


@dataclass(frozen=True)
class Problem:
    """One thing wrong. `kind` picks the message (ops.check.problem.<kind>)."""

    kind: str
    entity: str = ""
    entity_id: int | None = None
    row_id: int | None = None
    seq: int | None = None
    params: dict = field(default_factory=dict)

    def message(self, lang: str = "en") -> str:
        return t(f"ops.check.problem.{self.kind}", lang, entity=self.entity, id=self.entity_id, row=self.row_id,
                 seq=self.seq, **self.params)

    def to_json(self) -> dict:
        return {"kind": self.kind, "entity": self.entity or None, "id": self.entity_id, "row": self.row_id,
                "seq": self.seq, **self.params}


@dataclass
class CheckReport:
    problems: list[Problem] = field(default_factory=list)
    backend: str = "sqlite"
    integrity: str = "full"  # full, quick, or skipped (PostgreSQL)
    tickets: int = 0
    chains: int = 0
    history_rows: int = 0
    triggers: int = 0
    seconds: float = 0.0

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self, lang: str = "en") -> str:
        key = "ops.check.ok" if self.ok else "ops.check.failed"
        return t(key, lang, problems=len(self.problems), tickets=f"{self.tickets:,}", chains=f"{self.chains:,}",
                 rows=f"{self.history_rows:,}", triggers=self.triggers,
                 integrity=t(f"ops.check.integrity.{self.integrity}", lang), seconds=f"{self.seconds:.1f}")

    def to_json(self) -> dict:
        return {"ok": self.ok, "backend": self.backend, "integrity": self.integrity, "tickets": self.tickets,
                "chains": self.chains, "history_rows": self.history_rows, "triggers": self.triggers,
                "seconds": round(self.seconds, 3), "problems": [p.to_json() for p in self.problems]}


# --- storage (SQLite) ---------------------------------------------------------------------------

def _integrity(db, quick: bool) -> Iterator[Problem]:
    pragma = "quick_check" if quick else "integrity_check"
    for (line,) in db.execute_sql(f"PRAGMA {pragma}").fetchall():
        if line != "ok":
            yield Problem("integrity", params={"detail": line})


def _quoted(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _foreign_keys(db) -> Iterator[Problem]:
    columns: dict[tuple[str, int], str] = {}
    for table, rowid, parent, fkid in db.execute_sql("PRAGMA foreign_key_check").fetchall():
        if (table, fkid) not in columns:
            for row in db.execute_sql(f"PRAGMA foreign_key_list({_quoted(table)})").fetchall():
                columns[(table, row[0])] = row[3]
        column = columns.get((table, fkid), "?")
        value = db.execute_sql(f"SELECT {_quoted(column)} FROM {_quoted(table)} WHERE rowid = ?", (rowid,)).fetchone()
        yield Problem("foreign_key", entity=table, entity_id=rowid,
                      params={"table": table, "column": column, "parent": parent,
                              "value": value[0] if value else "?"})


# --- history ------------------------------------------------------------------------------------

def _triggers(db, report: CheckReport) -> Iterator[Problem]:
    present = set(schema.history_triggers(db))
    expected = expected_triggers(db)
    report.triggers = len(present & set(expected))
    for name in expected:
        if name not in present:
            yield Problem("trigger", params={"name": name})
    if schema.schema_version(db) >= schema.CATALOGUE_SINCE:  # published catalogue versions, as immutable
        from desk.services import catalogue_schema

        there = set(catalogue_schema.triggers(db))
        for name in catalogue_schema.expected_triggers(db):
            if name not in there:
                yield Problem("catalogue_trigger", params={"name": name})


def _search(db) -> Iterator[Problem]:
    if schema.schema_version(db) < schema.SEARCH_SINCE:
        return
    for kind, params in schema.search_problems(db):
        if kind == "search_unfound":  # names the record, as the other problems do
            yield Problem(kind, entity=params["entity"], entity_id=params["id"])
        elif kind == "search_stale":
            yield Problem(kind, entity=params["entity"], params={k: v for k, v in params.items() if k != "entity"})
        else:
            yield Problem(kind, params=params)


def _chains() -> Iterator[Problem]:
    for entity, entity_id, found in history.verify_all():
        yield Problem(f"chain_{found.what}", entity=entity, entity_id=entity_id, row_id=found.row_id, seq=found.seq)


def _counts(db, report: CheckReport) -> None:
    rows, chains = db.execute_sql(
        "SELECT COALESCE(SUM(n), 0), COUNT(*) FROM "
        "(SELECT COUNT(*) AS n FROM history GROUP BY entity, entity_id) AS per_chain").fetchone()
    report.history_rows, report.chains = int(rows), int(chains)
    report.tickets = sum(model.select().count() for _, model in TICKETS)


# --- invariants (SQL aggregates) ----------------------------------------------------------------

def _versions(db, entity: str, table: str) -> Iterator[Problem]:
    sql = (f'SELECT i.id, i.version, COALESCE(h.n, 0) FROM "{table}" i '
           "LEFT JOIN (SELECT entity_id, COUNT(*) AS n FROM history WHERE entity = %(p)s GROUP BY entity_id) h "
           "ON h.entity_id = i.id WHERE h.n IS NULL OR i.version <> h.n ORDER BY i.id")
    for tid, version, rows in db.execute_sql(_params(db, sql), (entity,)).fetchall():
        yield Problem("version", entity=entity, entity_id=tid, params={"version": version, "rows": rows})


def _orphans(db, entity: str, table: str) -> Iterator[Problem]:
    sql = (f"SELECT h.entity_id, MIN(h.id), COUNT(*) FROM history h WHERE h.entity = %(p)s AND NOT EXISTS "
           f'(SELECT 1 FROM "{table}" i WHERE i.id = h.entity_id) GROUP BY h.entity_id ORDER BY h.entity_id')
    for tid, row_id, rows in db.execute_sql(_params(db, sql), (entity,)).fetchall():
        yield Problem("orphan", entity=entity, entity_id=tid, row_id=row_id, params={"rows": rows})


def _params(db, sql: str) -> str:
    return sql.replace("%(p)s", "?" if is_sqlite(db) else "%s")


_STATUS_SQLITE = """
WITH last AS (
    SELECT entity_id, MAX(seq) AS seq FROM history
    WHERE entity = ?1 AND changes LIKE '%"status"%' AND json_valid(changes)
          AND json_type(changes, '$.status') = 'array'
    GROUP BY entity_id)
SELECT i.id, i.status, h.id, h.seq, json_extract(h.changes, '$.status[1]')
FROM "{table}" i
LEFT JOIN last ON last.entity_id = i.id
LEFT JOIN history h ON h.entity = ?1 AND h.entity_id = i.id AND h.seq = last.seq
WHERE h.id IS NULL OR json_extract(h.changes, '$.status[1]') IS NOT i.status
ORDER BY i.id
"""

_STATUS_PG = """
WITH last AS (
    SELECT entity_id, MAX(seq) AS seq FROM history
    WHERE entity = %(e)s AND changes LIKE '%%"status"%%'
          AND jsonb_typeof(changes::jsonb -> 'status') = 'array'
    GROUP BY entity_id)
SELECT i.id, i.status, h.id, h.seq, h.changes::jsonb -> 'status' ->> 1
FROM "{table}" i
LEFT JOIN last ON last.entity_id = i.id
LEFT JOIN history h ON h.entity = %(e)s AND h.entity_id = i.id AND h.seq = last.seq
WHERE h.id IS NULL OR (h.changes::jsonb -> 'status' ->> 1) IS DISTINCT FROM i.status
ORDER BY i.id
"""


def _status_problem(entity: str, tid: int, status: str, row_id, seq, said) -> Problem:
    if row_id is None:
        return Problem("status_missing", entity=entity, entity_id=tid, params={"status": status})
    return Problem("status", entity=entity, entity_id=tid, row_id=row_id, seq=seq,
                   params={"status": status, "expected": said})


def _statuses(db, entity: str, table: str) -> Iterator[Problem]:
    if is_sqlite(db):
        rows = db.execute_sql(_STATUS_SQLITE.format(table=table), (entity,)).fetchall()
    else:
        try:
            with db.atomic():  # a savepoint: malformed JSON must not spoil the snapshot
                rows = db.execute_sql(_STATUS_PG.format(table=table), {"e": entity}).fetchall()
        except Exception:
            rows = None
        if rows is None:
            yield from _statuses_streamed(db, entity, table)
            return
    for tid, status, row_id, seq, said in rows:
        yield _status_problem(entity, tid, status, row_id, seq, said)


def _statuses_streamed(db, entity: str, table: str) -> Iterator[Problem]:
    """Fallback when the database cannot parse some `changes` (PostgreSQL, tampered rows): the
    same invariant in one merged pass over tickets and history, both in id order."""
    last: dict[int, tuple[int, int, object]] = {}
    query = (History.select(History.entity_id, History.id, History.seq, History.changes)
             .where((History.entity == entity) & (History.changes.contains('"status"')))
             .order_by(History.entity_id, History.seq))
    for tid, row_id, seq, changes in query.tuples().iterator():
        try:
            said = json.loads(changes).get("status")
        except (ValueError, AttributeError):
            continue
        if isinstance(said, list) and len(said) == 2:
            last[tid] = (row_id, seq, said[1])
    for tid, status in db.execute_sql(f'SELECT id, status FROM "{table}" ORDER BY id').fetchall():
        row_id, seq, said = last.get(tid, (None, None, None))
        if row_id is None or said != status:
            yield _status_problem(entity, tid, status, row_id, seq, said)


# --- the whole check ----------------------------------------------------------------------------

STAGES = ("integrity", "foreign_keys", "triggers", "search", "chains", "invariants")


def run_check(desk, *, quick: bool = False, on_problem: Callable[[Problem], None] | None = None,
              on_stage: Callable[[str], None] | None = None) -> CheckReport:
    """Run every check in one read snapshot. `on_problem` sees each problem as it is found."""
    db = desk.db
    started = time.monotonic()
    sqlite = is_sqlite(db)
    report = CheckReport(backend="sqlite" if sqlite else "postgres",
                         integrity=("quick" if quick else "full") if sqlite else "skipped")

    def found(problems: Iterator[Problem]) -> None:
        for problem in problems:
            report.problems.append(problem)
            if on_problem:
                on_problem(problem)

    def stage(name: str) -> None:
        if on_stage:
            on_stage(name)

    # One snapshot: on SQLite a read transaction (WAL lets writers go on meanwhile); on
    # PostgreSQL a repeatable-read, read-only transaction.
    snapshot = db.atomic() if sqlite else db.atomic(isolation_level="REPEATABLE READ, READ ONLY")
    with snapshot:
        if sqlite:
            stage("integrity")
            found(_integrity(db, quick))
            stage("foreign_keys")
            found(_foreign_keys(db))
        stage("triggers")
        found(_triggers(db, report))
        stage("search")
        found(_search(db))
        stage("chains")
        _counts(db, report)
        found(_chains())
        stage("invariants")
        for entity, model in TICKETS:
            table = model._meta.table_name
            found(_statuses(db, entity, table))
            found(_versions(db, entity, table))
            found(_orphans(db, entity, table))
    report.seconds = time.monotonic() - started
    return report
