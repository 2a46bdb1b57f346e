"""The title search (schema 3 for incidents, 21 for problems and changes): what it is made of,
whether it is in step, and how it is created, repaired and filled. One mechanism, described once
per kind of record (`TitleIndex`); desk.services.schema creates it in its steps and looks after it
after every later step; the names stay importable from there."""

from __future__ import annotations

from collections.abc import Callable
from typing import NamedTuple

from peewee import DatabaseError

from desk.db import is_sqlite
from desk.system_words import own_words

Report = Callable[[int, int], None]  # (done, total)

# SQLite: <kind>_fts, an FTS5 index of the trigrams (every run of three characters) of each
# title. What it indexes is lower(title) — SQLite's lower() folds ASCII letters only, as LIKE
# does, so the index finds exactly what `title LIKE '%text%'` finds — followed by two U+001F
# sentinels, so that every one- or two-character piece of a title starts some indexed trigram
# (a two-character word such as 蓝屏 is found through the index as well; see desk.services.queue).
# External content: the index keeps no copy of the titles; FTS5 reads them through the view
# <kind>_fts_source when it rebuilds. Triggers keep it in step with every insert, title edit
# and delete. <kind>_fts_terms lists the indexed trigrams (fts5vocab).
#
# PostgreSQL: a GIN index with pg_trgm's trigram operator class serves ILIKE '%text%' itself.
# Installing pg_trgm needs a privilege a desk's database user may lack: the upgrade goes on
# without it (searches then scan), and a later `desk init` adds the index once pg_trgm is there.

SEARCH_SINCE = 3
SEARCH_SENTINEL = "\x1f"  # what follows each indexed title, twice; a search containing it is not looked up
_INDEXED = "lower({row}.title) || char(31, 31)"  # the indexed text of a title (SQLite)
FILL_CHUNK = 50_000  # records per step of a reported fill


class TitleIndex(NamedTuple):
    """The title search of one kind of record: its table (also its history entity) and the
    schema step that made its index."""

    entity: str
    since: int

    @property
    def table(self) -> str:
        return f"{self.entity}_fts"

    @property
    def terms(self) -> str:
        return f"{self.entity}_fts_terms"

    @property
    def source(self) -> str:
        return f"{self.entity}_fts_source"

    @property
    def pg_index(self) -> str:
        return f"{self.entity}_title_trgm"

    def objects(self) -> list[tuple[str, str]]:
        e, fts, quoted = self.entity, self.table, f'"{self.entity}"'
        return [
            (self.source, f'CREATE VIEW IF NOT EXISTS {self.source} AS '
                          f'SELECT id, {_INDEXED.format(row=quoted)} AS title FROM "{e}"'),
            (fts, f"CREATE VIRTUAL TABLE IF NOT EXISTS {fts} USING fts5(title, content='{self.source}', "
                  "content_rowid='id', tokenize='trigram case_sensitive 1', columnsize=0)"),
            (self.terms, f"CREATE VIRTUAL TABLE IF NOT EXISTS {self.terms} USING fts5vocab({fts}, row)"),
        ]

    def triggers(self) -> list[tuple[str, str]]:
        e, fts = self.entity, self.table
        add = f"INSERT INTO {fts}(rowid, title) VALUES (new.id, {_INDEXED.format(row='new')});"
        remove = f"INSERT INTO {fts}({fts}, rowid, title) VALUES ('delete', old.id, {_INDEXED.format(row='old')});"
        return [
            (f"{fts}_insert", f'CREATE TRIGGER IF NOT EXISTS {fts}_insert AFTER INSERT ON "{e}" '
                              f"BEGIN {add} END"),
            (f"{fts}_update", f'CREATE TRIGGER IF NOT EXISTS {fts}_update AFTER UPDATE OF title ON "{e}" '
                              f"BEGIN {remove} {add} END"),
            (f"{fts}_delete", f'CREATE TRIGGER IF NOT EXISTS {fts}_delete AFTER DELETE ON "{e}" '
                              f"BEGIN {remove} END"),
        ]


INCIDENTS = TitleIndex("incident", SEARCH_SINCE)
PROBLEMS = TitleIndex("problem", 21)
CHANGES = TitleIndex("change", 21)
KINDS = (INCIDENTS, PROBLEMS, CHANGES)

# The incidents' names, as before the search covered other kinds (tests and checks name them).
SEARCH_TABLE, SEARCH_TERMS, SEARCH_SOURCE = INCIDENTS.table, INCIDENTS.terms, INCIDENTS.source
PG_SEARCH_INDEX = INCIDENTS.pg_index
SQLITE_SEARCH_OBJECTS = INCIDENTS.objects()
SQLITE_SEARCH_TRIGGERS = INCIDENTS.triggers()


def _reached(db) -> int:
    """The schema version the database is at (the setting desk.services.schema writes)."""
    if not db.table_exists("setting"):
        return 0
    row = db.execute_sql("SELECT value FROM setting WHERE key = 'schema_version'").fetchone()
    return int(row[0]) if row else 0


def kinds(db, reached: int | None = None) -> list[TitleIndex]:
    """The kinds whose title search the database has (at `reached`, else its own version)."""
    version = _reached(db) if reached is None else reached
    return [kind for kind in KINDS if kind.since <= version]


def _sqlite_objects(db, kind: TitleIndex) -> set[str]:
    names = [name for name, _ in kind.objects() + kind.triggers()]
    marks = ", ".join("?" for _ in names)
    return {r[0] for r in db.execute_sql(f"SELECT name FROM sqlite_master WHERE name IN ({marks})", names)}


def _varints(blob: bytes) -> list[int]:
    """SQLite varints (FTS5 writes its records with them)."""
    out, value, count = [], 0, 0
    for byte in blob:
        count += 1
        if count == 9:
            out.append((value << 8) | byte)
            value, count = 0, 0
        elif byte & 0x80:
            value = (value << 7) | (byte & 0x7F)
        else:
            out.append((value << 7) | byte)
            value, count = 0, 0
    return out


def search_totals(db, kind: TitleIndex = INCIDENTS) -> tuple[tuple[int, int], tuple[int, int]]:
    """((titles, trigrams) the index holds, (records, trigrams) their titles make). Equal when
    the index is in step: a title of n characters is indexed as n + 2 (the sentinels), which
    makes n trigrams. FTS5 keeps its own totals in its averages record (row 1 of its data)."""
    row = db.execute_sql(f"SELECT block FROM {kind.table}_data WHERE id = 1").fetchone()
    held = (_varints(row[0]) + [0, 0])[:2] if row and row[0] else [0, 0]
    count, chars = db.execute_sql(
        f'SELECT COUNT(*), COALESCE(SUM(length(title)), 0) FROM "{kind.entity}"').fetchone()
    return (held[0], held[1]), (int(count), int(chars))


def _probe(db, kind: TitleIndex, samples: int = 64) -> int | None:
    """Look up a few titles spread over the ids through the index: the first record it does
    not find, or None. (FTS5's own 'integrity-check' would take the write lock, and hold it
    for seconds at a million incidents: not for a live desk.)"""
    fts = kind.table
    top = db.execute_sql(f'SELECT MAX(id) FROM "{kind.entity}"').fetchone()[0] or 0
    step = max(top // samples, 1)
    rows = db.execute_sql(
        f'SELECT id, lower(title) FROM "{kind.entity}" WHERE id IN '
        f"({', '.join(str(i) for i in range(step, top + 1, step)) or '0'}) AND length(title) >= 3").fetchall()
    for incident_id, text in rows:
        phrase = '"' + text[:16].replace('"', '""') + '"'
        found = db.execute_sql(f"SELECT rowid FROM {fts} WHERE {fts} MATCH ? AND rowid = ?",
                               (phrase, incident_id)).fetchone()
        if found is None:
            return incident_id
    return None


def search_problems(db, reached: int | None = None) -> list[tuple[str, dict]]:
    """What is wrong with the title search of every kind the database has, as (kind, params):
    `search_missing` (name), `search_stale` (the totals differ; `entity`), `search_unfound`
    (entity, id: a record its own title does not find), `search_broken` (detail: the index cannot
    be read). Read-only. On PostgreSQL only a missing index while pg_trgm is installed counts
    (without pg_trgm searches scan)."""
    return [found for kind in kinds(db, reached) for found in _kind_problems(db, kind)]


def _kind_problems(db, kind: TitleIndex) -> list[tuple[str, dict]]:
    if not is_sqlite(db):
        if _pg_trgm_schema(db) is not None and not _pg_has_index(db, kind):
            return [("search_missing", {"name": kind.pg_index})]
        return []
    present = _sqlite_objects(db, kind)
    missing = [name for name, _ in kind.objects() + kind.triggers() if name not in present]
    if missing:
        return [("search_missing", {"name": name}) for name in missing]
    try:
        (held, held_chars), (count, chars) = search_totals(db, kind)
        if (held, held_chars) != (count, chars):
            return [("search_stale", {"entity": kind.entity, "indexed": held, "indexed_chars": held_chars,
                                      "records": count, "chars": chars})]
        unfound = _probe(db, kind)
    except DatabaseError as exc:
        return [("search_broken", {"detail": own_words(exc)})]
    return [("search_unfound", {"entity": kind.entity, "id": unfound})] if unfound is not None else []


def fill_search(db, report: Report | None = None, reached: int | None = None) -> None:
    """Index every title again (SQLite), of every kind the database has."""
    for kind in kinds(db, reached):
        _fill(db, kind, report if kind is INCIDENTS else None)


def _fill(db, kind: TitleIndex, report: Report | None = None) -> None:
    """Index a kind's titles again: all at once, or in steps of FILL_CHUNK ids when `report`
    wants to hear how far it is (about 8 s for a million incidents)."""
    fts, quoted = kind.table, f'"{kind.entity}"'
    if report is None:
        db.execute_sql(f"INSERT INTO {fts}({fts}) VALUES ('rebuild')")
        return
    db.execute_sql(f"INSERT INTO {fts}({fts}) VALUES ('delete-all')")
    low, top = db.execute_sql(f'SELECT MIN(id), MAX(id) FROM "{kind.entity}"').fetchone()
    total = db.execute_sql(f'SELECT COUNT(*) FROM "{kind.entity}"').fetchone()[0]
    report(0, total)
    if top is not None:
        start = low - 1
        while start < top:
            db.execute_sql(f"INSERT INTO {fts}(rowid, title) SELECT id, {_INDEXED.format(row=quoted)} "
                           f'FROM "{kind.entity}" WHERE id > ? AND id <= ?', (start, start + FILL_CHUNK))
            start += FILL_CHUNK
            report(min(total, total * (start - low + 1) // (top - low + 1)), total)
    report(total, total)


def drop_search_triggers(db) -> list[tuple[str, str]]:
    """Drop the SQLite triggers that keep the indexes in step (a bulk load fills them once at
    the end instead): (name, CREATE statement) of each one dropped."""
    dropped = []
    for kind in kinds(db):
        present = _sqlite_objects(db, kind)
        dropped += [(name, sql) for name, sql in kind.triggers() if name in present]
    for name, _ in dropped:
        db.execute_sql(f'DROP TRIGGER "{name}"')
    return dropped


def drop_search_view(db) -> None:
    """SQLite will not rename a table while a view names a table that is not there, which is what
    a table rebuild does (peewee's SqliteMigrator): every step runs without the views."""
    if is_sqlite(db):
        for kind in KINDS:
            db.execute_sql(f"DROP VIEW IF EXISTS {kind.source}")


def ensure_search(db, report: Report | None = None, reached: int | None = None) -> bool:
    """Create what is missing of the title search of every kind the database has (at `reached`,
    else its own version); on SQLite refill an index when it was created, a trigger was missing
    (titles may have changed unseen) or it no longer matches the titles. Returns whether it
    refilled one. Runs inside the caller's transaction."""
    refilled = False
    for kind in kinds(db, reached):
        refilled = _ensure(db, kind, report if kind is INCIDENTS else None) or refilled
    return refilled


def _ensure(db, kind: TitleIndex, report: Report | None) -> bool:
    if not is_sqlite(db):
        _pg_search(db, kind)
        return False
    present = _sqlite_objects(db, kind)
    for name, sql in kind.objects() + kind.triggers():
        if name not in present:
            db.execute_sql(sql)
    lost = any(name not in present for name, _ in [kind.objects()[1], *kind.triggers()])
    if lost or _kind_problems(db, kind):
        _fill(db, kind, report)
        return True
    return False


def _pg_trgm_schema(db) -> str | None:
    row = db.execute_sql("SELECT extnamespace::regnamespace::text FROM pg_extension "
                         "WHERE extname = 'pg_trgm'").fetchone()
    return row[0] if row else None


def _pg_has_index(db, kind: TitleIndex = INCIDENTS) -> bool:
    return db.execute_sql("SELECT to_regclass(%s) IS NOT NULL", (kind.pg_index,)).fetchone()[0]


def _pg_search(db, kind: TitleIndex) -> None:
    schema = _pg_trgm_schema(db)
    if schema is None:
        # In public where allowed (a schema dropped with its desk would take the extension, and
        # every other desk's index, with it); else in the desk's own schema.
        for sql in ("CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public", "CREATE EXTENSION IF NOT EXISTS pg_trgm"):
            try:
                with db.atomic():  # a savepoint: a refusal must not spoil the upgrade's transaction
                    db.execute_sql(sql)
                break
            except DatabaseError:
                continue
        schema = _pg_trgm_schema(db)
    if schema is not None and not _pg_has_index(db, kind):
        db.execute_sql(f'CREATE INDEX {kind.pg_index} ON "{kind.entity}" USING gin (title {schema}.gin_trgm_ops)')
