"""The incident table's indexes during a first demo load.

When the incident table was empty, its secondary indexes are dropped before the load and
recreated after it with their own SQL (read from the catalogue before dropping, and kept in a
setting until recreated, so an interrupted load gets them back on the next run). Likewise, on
SQLite, the triggers that keep the title search (incident_fts) in step are dropped and the index
filled once at the end ('rebuild', ~7 s for a million incidents; a trigger per row would cost
more). PostgreSQL's trigram index is one of the indexes."""

from __future__ import annotations

import json

from desk.db import is_sqlite, write_transaction
from desk.models import Setting
from desk.services import schema
from desk.services.demo.base import Progress

PENDING_INDEXES = "demo.pending_indexes"  # Setting: index SQL dropped by a load that has not finished


def _incident_indexes(db) -> list[tuple[str, str]]:
    """(name, CREATE statement) of the incident table's secondary indexes (not the primary key)."""
    if is_sqlite(db):
        query = ("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'incident' "
                 "AND sql IS NOT NULL ORDER BY name")
    else:
        query = ("SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
                 "JOIN pg_class t ON t.oid = x.indrelid WHERE t.relname = 'incident' "
                 "AND t.relnamespace = to_regnamespace(current_schema()) AND NOT x.indisprimary "
                 "AND NOT x.indisunique ORDER BY i.relname")
    return [(name, sql) for name, sql in db.execute_sql(query).fetchall()]


def _index_exists(db, name: str) -> bool:
    if is_sqlite(db):
        return db.execute_sql("SELECT 1 FROM sqlite_master WHERE type IN ('index', 'trigger') AND name = ?",
                              (name,)).fetchone() is not None
    return db.execute_sql("SELECT to_regclass(%s) IS NOT NULL", (f'"{name}"',)).fetchone()[0]


def _is_trigger(sql: str) -> bool:
    return sql.lstrip().upper().startswith("CREATE TRIGGER")


def drop(desk) -> list[tuple[str, str]]:
    """Drop the incident table's secondary indexes, and on SQLite the triggers that keep the
    title search in step (it is filled once at the end instead), keeping their SQL in a setting
    in the same transaction: a load that dies half-way gets them back on the next run."""
    indexes = _incident_indexes(desk.db)
    if not indexes:
        return []
    with write_transaction(desk.db):
        for name, _ in indexes:
            desk.db.execute_sql(f'DROP INDEX "{name}"')
        if is_sqlite(desk.db):
            indexes += schema.drop_search_triggers(desk.db)
        value = json.dumps(indexes)
        Setting.insert(key=PENDING_INDEXES, value=value).on_conflict(
            conflict_target=[Setting.key], update={Setting.value: value}).execute()
    return indexes


def pending() -> list[tuple[str, str]]:
    row = Setting.get_or_none(Setting.key == PENDING_INDEXES)
    return [tuple(pair) for pair in json.loads(row.value)] if row else []


def restore(desk, indexes: list[tuple[str, str]], progress: Progress | None) -> bool:
    """Recreate dropped indexes with their own SQL, one transaction each; then, if the title
    search's triggers were dropped, fill the search index and put the triggers back (one
    transaction); then forget the setting. Returns whether it filled the search index."""
    triggers = [(name, sql) for name, sql in indexes if _is_trigger(sql)]
    indexes = [(name, sql) for name, sql in indexes if not _is_trigger(sql)]
    total = len(indexes)
    if progress:
        progress("indexes", 0, total)
    for done, (name, sql) in enumerate(indexes, 1):
        with write_transaction(desk.db):
            if not _index_exists(desk.db, name):
                desk.db.execute_sql(sql)
        if progress:
            progress("indexes", done, total)
    if triggers:
        if progress:
            progress("search", 0, 1)
        with write_transaction(desk.db):
            schema.fill_search(desk.db)  # 'rebuild': faster than filling in reported steps
            for name, sql in triggers:
                if not _index_exists(desk.db, name):
                    desk.db.execute_sql(sql)
        if progress:
            progress("search", 1, 1)
    with write_transaction(desk.db):
        Setting.delete().where(Setting.key == PENDING_INDEXES).execute()
    return bool(triggers)


