"""The incident title search (schema 3): what it is made of, whether it is in step, and how it
is created, repaired and filled. desk.services.schema creates it in step 3 and looks after it
after every later step; the names stay importable from there."""

from __future__ import annotations

from collections.abc import Callable

from peewee import DatabaseError

from desk.db import is_sqlite
from desk.system_words import own_words

Report = Callable[[int, int], None]  # (done, total)

# SQLite: incident_fts, an FTS5 index of the trigrams (every run of three characters) of each
# title. What it indexes is lower(title) — SQLite's lower() folds ASCII letters only, as LIKE
# does, so the index finds exactly what `title LIKE '%text%'` finds — followed by two U+001F
# sentinels, so that every one- or two-character piece of a title starts some indexed trigram
# (a two-character word such as 蓝屏 is found through the index as well; see desk.services.queue).
# External content: the index keeps no copy of the titles; FTS5 reads them through the view
# incident_fts_source when it rebuilds. Triggers keep it in step with every insert, title edit
# and delete. incident_fts_terms lists the indexed trigrams (fts5vocab).
#
# PostgreSQL: a GIN index with pg_trgm's trigram operator class serves ILIKE '%text%' itself.
# Installing pg_trgm needs a privilege a desk's database user may lack: the upgrade goes on
# without it (searches then scan), and a later `desk init` adds the index once pg_trgm is there.

SEARCH_SINCE = 3
SEARCH_TABLE = "incident_fts"
SEARCH_TERMS = "incident_fts_terms"
SEARCH_SOURCE = "incident_fts_source"
SEARCH_SENTINEL = "\x1f"  # what follows each indexed title, twice; a search containing it is not looked up
PG_SEARCH_INDEX = "incident_title_trgm"

_INDEXED = "lower({row}.title) || char(31, 31)"  # the indexed text of a title (SQLite)
SQLITE_SEARCH_OBJECTS = [
    (SEARCH_SOURCE, f"CREATE VIEW IF NOT EXISTS {SEARCH_SOURCE} AS "
                    f"SELECT id, {_INDEXED.format(row='incident')} AS title FROM incident"),
    (SEARCH_TABLE, f"CREATE VIRTUAL TABLE IF NOT EXISTS {SEARCH_TABLE} USING fts5(title, "
                   f"content='{SEARCH_SOURCE}', content_rowid='id', tokenize='trigram case_sensitive 1', "
                   "columnsize=0)"),
    (SEARCH_TERMS, f"CREATE VIRTUAL TABLE IF NOT EXISTS {SEARCH_TERMS} USING fts5vocab({SEARCH_TABLE}, row)"),
]
_ADD = f"INSERT INTO {SEARCH_TABLE}(rowid, title) VALUES (new.id, {_INDEXED.format(row='new')});"
_REMOVE = (f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}, rowid, title) "
           f"VALUES ('delete', old.id, {_INDEXED.format(row='old')});")
SQLITE_SEARCH_TRIGGERS = [
    ("incident_fts_insert", f"CREATE TRIGGER IF NOT EXISTS incident_fts_insert AFTER INSERT ON incident "
                            f"BEGIN {_ADD} END"),
    ("incident_fts_update", f"CREATE TRIGGER IF NOT EXISTS incident_fts_update AFTER UPDATE OF title ON incident "
                            f"BEGIN {_REMOVE} {_ADD} END"),
    ("incident_fts_delete", f"CREATE TRIGGER IF NOT EXISTS incident_fts_delete AFTER DELETE ON incident "
                            f"BEGIN {_REMOVE} END"),
]
FILL_CHUNK = 50_000  # incidents per step of a reported fill


def _sqlite_objects(db) -> set[str]:
    names = [name for name, _ in SQLITE_SEARCH_OBJECTS + SQLITE_SEARCH_TRIGGERS]
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


def search_totals(db) -> tuple[tuple[int, int], tuple[int, int]]:
    """((titles, trigrams) the index holds, (incidents, trigrams) their titles make). Equal when
    the index is in step: a title of n characters is indexed as n + 2 (the sentinels), which
    makes n trigrams. FTS5 keeps its own totals in its averages record (row 1 of its data)."""
    row = db.execute_sql(f"SELECT block FROM {SEARCH_TABLE}_data WHERE id = 1").fetchone()
    held = (_varints(row[0]) + [0, 0])[:2] if row and row[0] else [0, 0]
    count, chars = db.execute_sql("SELECT COUNT(*), COALESCE(SUM(length(title)), 0) FROM incident").fetchone()
    return (held[0], held[1]), (int(count), int(chars))


def _probe(db, samples: int = 64) -> int | None:
    """Look up a few titles spread over the ids through the index: the first incident it does
    not find, or None. (FTS5's own 'integrity-check' would take the write lock, and hold it
    for seconds at a million incidents: not for a live desk.)"""
    top = db.execute_sql("SELECT MAX(id) FROM incident").fetchone()[0] or 0
    step = max(top // samples, 1)
    rows = db.execute_sql(
        f"SELECT id, lower(title) FROM incident WHERE id IN "
        f"({', '.join(str(i) for i in range(step, top + 1, step)) or '0'}) AND length(title) >= 3").fetchall()
    for incident_id, text in rows:
        phrase = '"' + text[:16].replace('"', '""') + '"'
        found = db.execute_sql(f"SELECT rowid FROM {SEARCH_TABLE} WHERE {SEARCH_TABLE} MATCH ? AND rowid = ?",
                               (phrase, incident_id)).fetchone()
        if found is None:
            return incident_id
    return None


def search_problems(db) -> list[tuple[str, dict]]:
    """What is wrong with the title search, as (kind, params): `search_missing` (name),
    `search_stale` (the totals differ), `search_unfound` (id: an incident its own title does not
    find), `search_broken` (detail: the index cannot be read). Read-only. On PostgreSQL
    only a missing index while pg_trgm is installed counts (without pg_trgm searches scan)."""
    if not is_sqlite(db):
        if _pg_trgm_schema(db) is not None and not _pg_has_index(db):
            return [("search_missing", {"name": PG_SEARCH_INDEX})]
        return []
    present = _sqlite_objects(db)
    missing = [name for name, _ in SQLITE_SEARCH_OBJECTS + SQLITE_SEARCH_TRIGGERS if name not in present]
    if missing:
        return [("search_missing", {"name": name}) for name in missing]
    try:
        (held, held_chars), (count, chars) = search_totals(db)
        if (held, held_chars) != (count, chars):
            return [("search_stale", {"indexed": held, "indexed_chars": held_chars, "incidents": count,
                                      "chars": chars})]
        unfound = _probe(db)
    except DatabaseError as exc:
        return [("search_broken", {"detail": own_words(exc)})]
    return [("search_unfound", {"id": unfound})] if unfound is not None else []


def fill_search(db, report: Report | None = None) -> None:
    """Index every title again (SQLite): all at once, or in steps of FILL_CHUNK ids when
    `report` wants to hear how far it is (about 8 s for a million incidents)."""
    if report is None:
        db.execute_sql(f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}) VALUES ('rebuild')")
        return
    db.execute_sql(f"INSERT INTO {SEARCH_TABLE}({SEARCH_TABLE}) VALUES ('delete-all')")
    low, top = db.execute_sql("SELECT MIN(id), MAX(id) FROM incident").fetchone()
    total = db.execute_sql("SELECT COUNT(*) FROM incident").fetchone()[0]
    report(0, total)
    if top is not None:
        start = low - 1
        while start < top:
            db.execute_sql(f"INSERT INTO {SEARCH_TABLE}(rowid, title) SELECT id, {_INDEXED.format(row='incident')} "
                           "FROM incident WHERE id > ? AND id <= ?", (start, start + FILL_CHUNK))
            start += FILL_CHUNK
            report(min(total, total * (start - low + 1) // (top - low + 1)), total)
    report(total, total)


def drop_search_triggers(db) -> list[tuple[str, str]]:
    """Drop the SQLite triggers that keep the index in step (a bulk load fills it once at the
    end instead): (name, CREATE statement) of each one dropped."""
    present = _sqlite_objects(db)
    dropped = [(name, sql) for name, sql in SQLITE_SEARCH_TRIGGERS if name in present]
    for name, _ in dropped:
        db.execute_sql(f'DROP TRIGGER "{name}"')
    return dropped


def drop_search_view(db) -> None:
    """SQLite will not rename a table while a view names a table that is not there, which is what
    a table rebuild does (peewee's SqliteMigrator): every step runs without the view."""
    if is_sqlite(db):
        db.execute_sql(f"DROP VIEW IF EXISTS {SEARCH_SOURCE}")


def ensure_search(db, report: Report | None = None) -> bool:
    """Create what is missing of the title search; on SQLite refill the index when it was
    created, a trigger was missing (titles may have changed unseen) or it no longer matches the
    titles. Returns whether it refilled. Runs inside the caller's transaction."""
    if not is_sqlite(db):
        _pg_search(db)
        return False
    present = _sqlite_objects(db)
    for name, sql in SQLITE_SEARCH_OBJECTS + SQLITE_SEARCH_TRIGGERS:
        if name not in present:
            db.execute_sql(sql)
    lost = any(name not in present for name, _ in [SQLITE_SEARCH_OBJECTS[1], *SQLITE_SEARCH_TRIGGERS])
    if lost or search_problems(db):
        fill_search(db, report)
        return True
    return False


def _pg_trgm_schema(db) -> str | None:
    row = db.execute_sql("SELECT extnamespace::regnamespace::text FROM pg_extension "
                         "WHERE extname = 'pg_trgm'").fetchone()
    return row[0] if row else None


def _pg_has_index(db) -> bool:
    return db.execute_sql("SELECT to_regclass(%s) IS NOT NULL", (PG_SEARCH_INDEX,)).fetchone()[0]


def _pg_search(db) -> None:
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
    if schema is not None and not _pg_has_index(db):
        db.execute_sql(f"CREATE INDEX {PG_SEARCH_INDEX} ON incident USING gin (title {schema}.gin_trgm_ops)")
