"""A table's indexes during a first demo load of its kind (incidents, and history on a desk that has
recorded nothing yet; requests and their approvals).

When the tables were empty, their secondary indexes are dropped before the load and recreated
after it with their own SQL (read from the catalogue before dropping, and kept in a setting
until recreated, so an interrupted load gets them back on the next run): one sort per index at
the end instead of a B-tree insert per row and index. For the incidents, on SQLite, the triggers
that keep the title search (incident_fts) in step are dropped too (`search=True`) and the index
filled once at the end ('rebuild', ~7 s for a million incidents; a trigger per row would cost
more). PostgreSQL's trigram index is one of the indexes.

The build is one writer (bulk.sort_in_runs: on ~1.4 cores). What a later load does not write — the
incidents' indexes and the title search while the requests load — is built between that load's
blocks (`alongside`), sharing the two cores with the workers generating requests; `restore`
then builds the rest (history's, the requests') and counts what was built as done."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator

from desk.db import is_sqlite, write_transaction
from desk.models import Setting
from desk.services import schema
from desk.services.demo import bulk
from desk.services.demo.base import Progress

PENDING_INDEXES = "demo.pending_indexes"  # Setting: index SQL dropped by a load that has not finished


def _secondary_indexes(db, table: str) -> list[tuple[str, str]]:
    """(name, CREATE statement) of a table's secondary indexes (not the primary key; on
    PostgreSQL not the unique ones either, which stand for constraints)."""
    if is_sqlite(db):
        query = ("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                 "AND sql IS NOT NULL ORDER BY name")
    else:
        query = ("SELECT i.relname, pg_get_indexdef(i.oid) FROM pg_index x JOIN pg_class i ON i.oid = x.indexrelid "
                 "JOIN pg_class t ON t.oid = x.indrelid WHERE t.relname = %s "
                 "AND t.relnamespace = to_regnamespace(current_schema()) AND NOT x.indisprimary "
                 "AND NOT x.indisunique ORDER BY i.relname")
    return [(name, sql) for name, sql in db.execute_sql(query, (table,)).fetchall()]


def _index_exists(db, name: str) -> bool:
    if is_sqlite(db):
        return db.execute_sql("SELECT 1 FROM sqlite_master WHERE type IN ('index', 'trigger') AND name = ?",
                              (name,)).fetchone() is not None
    return db.execute_sql("SELECT to_regclass(%s) IS NOT NULL", (f'"{name}"',)).fetchone()[0]


def _is_trigger(sql: str) -> bool:
    return sql.lstrip().upper().startswith("CREATE TRIGGER")


def drop(desk, tables: tuple[str, ...], search: bool = False) -> list[tuple[str, str]]:
    """Drop the tables' secondary indexes, and with `search` on SQLite the triggers that keep the
    title search in step (it is filled once at the end instead), keeping their SQL in a setting
    in the same transaction (beside any still pending): a load that dies half-way gets them back
    on the next run."""
    indexes = [found for table in tables for found in _secondary_indexes(desk.db, table)]
    if not indexes:
        return []
    with write_transaction(desk.db):
        for name, _ in indexes:
            desk.db.execute_sql(f'DROP INDEX "{name}"')
        if search and is_sqlite(desk.db):
            indexes += schema.drop_search_triggers(desk.db)
        _keep(pending() + indexes)
    return indexes


def _keep(indexes: list[tuple[str, str]]) -> None:
    if not indexes:
        Setting.delete().where(Setting.key == PENDING_INDEXES).execute()
        return
    value = json.dumps(indexes)
    Setting.insert(key=PENDING_INDEXES, value=value).on_conflict(
        conflict_target=[Setting.key], update={Setting.value: value}).execute()


def pending() -> list[tuple[str, str]]:
    row = Setting.get_or_none(Setting.key == PENDING_INDEXES)
    return [tuple(pair) for pair in json.loads(row.value)] if row else []


def _table(sql: str) -> str:
    """The table an index or trigger statement is on (SQLite's or PostgreSQL's own SQL)."""
    found = _ON.search(sql)
    return found.group(1).lower() if found else ""


_ON = re.compile(r'\sON\s+(?:"?\w+"?\.)?"?(\w+)"?', re.IGNORECASE)


def _fill_search(desk, triggers: list[tuple[str, str]], progress: Progress | None) -> bool:
    """Fill the title search and put its triggers back (one transaction), unless they are back
    already: triggers are only ever created in the transaction that filled it, so it is in step."""
    if not triggers or all(_index_exists(desk.db, name) for name, _ in triggers):
        return False
    if progress:
        progress("search", 0, 1)
    with write_transaction(desk.db):
        schema.fill_search(desk.db)  # 'rebuild': faster than filling in reported steps
        for name, sql in triggers:
            if not _index_exists(desk.db, name):
                desk.db.execute_sql(sql)
    if progress:
        progress("search", 1, 1)
    return True


def _build(desk, indexes: list[tuple[str, str]], progress: Progress | None, label: str, busy: tuple[str, ...]):
    """Build the indexes that are missing, one transaction each, skipping those on a table in
    `busy`; then fill the search if no table of its triggers is busy. Yields after each step
    (True for the search).
    Progress counts the indexes already there as done."""
    triggers = [(name, sql) for name, sql in indexes if _is_trigger(sql)]
    indexes = [(name, sql) for name, sql in indexes if not _is_trigger(sql)]
    total = len(indexes)
    todo = [(name, sql) for name, sql in indexes if not _index_exists(desk.db, name)]
    done = total - len(todo)
    if progress:
        progress(label, done, total)
    for name, sql in todo:
        if _table(sql) in busy:
            continue
        with write_transaction(desk.db):
            if not _index_exists(desk.db, name):
                desk.db.execute_sql(sql)
        done += 1
        if progress:
            progress(label, done, total)
        yield False
    if not any(_table(sql) in busy for _, sql in triggers) and _fill_search(desk, triggers, progress):
        yield True


def alongside(desk, indexes: list[tuple[str, str]], busy: tuple[str, ...], progress: Progress | None,
              label: str = "indexes") -> Iterator[bool]:
    """The steps of `restore` that a load writing the `busy` tables leaves alone: the indexes on
    other tables (and the title search, unless a table it indexes is busy), one a step, for
    bulk.load to take between two blocks while its workers generate the next ones. On two cores
    the build then shares the CPU with the workers instead of following them on ~1.4 cores.
    `restore` afterwards builds the rest and counts these as done."""
    if is_sqlite(desk.db):
        bulk.sort_in_runs(desk.db, helpers=False)  # the workers have the other core; no block written here
    yield from _build(desk, indexes, progress, label, busy)


def restore(desk, indexes: list[tuple[str, str]], progress: Progress | None, label: str = "indexes") -> bool:
    """Recreate dropped indexes with their own SQL, one transaction each (reported as `label`),
    those built already (by `alongside`) counted as done; then, if the title search's triggers
    were dropped and are not back, fill the search index and put the triggers back (one
    transaction); then forget them in the setting. Returns whether it filled the search index."""
    restored = [tuple(pair) for pair in indexes]
    searched = True in list(_build(desk, restored, progress, label, busy=()))
    with write_transaction(desk.db):
        _keep([pair for pair in pending() if pair not in restored])
    return searched
