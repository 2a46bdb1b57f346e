"""Appending to and verifying the one history mechanism shared by every kind of ticket."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import datetime

from desk.db import database, is_sqlite
from desk.domain.history_chain import GENESIS, ChainBreak, ChainRow, dump_changes, row_hash, verify_chain
from desk.models import History
from desk.services.compiled import compiled, fetch_one, insert_columns


_LAST = (History.seq, History.hash)
_ROW = (History.entity, History.entity_id, History.seq, History.at, History.actor, History.action,
        History.changes, History.note, History.prev_hash, History.hash)


def append(entity: str, entity_id: int, actor_id: int | None, action: str, changes: dict, note: str,
           at: datetime, desk) -> None:
    """Call inside the write transaction that changed the ticket (its row lock orders the chain).
    Both statements run from SQL compiled once for the `desk` handle."""
    last = fetch_one(desk, "history.last", lambda: (
        History.select(*_LAST).where((History.entity == "") & (History.entity_id == 0))
        .order_by(History.seq.desc()).limit(1)), (entity, entity_id, 1))
    seq = (last[0] + 1) if last else 1
    prev = last[1] if last else GENESIS
    changes_json = dump_changes(changes)
    digest = row_hash(prev, entity, entity_id, seq, at, actor_id, action, changes_json, note)
    values = (entity, entity_id, seq, at, actor_id, action, changes_json, note, prev, digest)
    sql = compiled(desk, "history.insert", lambda: History.insert({f: None for f in _ROW}), len(_ROW))
    by_column = {f.column_name: (f, v) for f, v in zip(_ROW, values)}
    ordered = [by_column[c] for c in insert_columns(sql)]
    desk.db.execute_sql(sql, [f.db_value(v) if v is not None else None for f, v in ordered])


def _chain_rows(query) -> Iterator[ChainRow]:
    for r in query.tuples().iterator():
        yield ChainRow(*r)


def _columns():
    return (History.id, History.entity, History.entity_id, History.seq, History.at, History.actor,
            History.action, History.changes, History.note, History.prev_hash, History.hash)


def verify(entity: str, entity_id: int) -> ChainBreak | None:
    query = (History.select(*_columns())
             .where((History.entity == entity) & (History.entity_id == entity_id))
             .order_by(History.seq))
    return verify_chain(_chain_rows(query))


def _when(value) -> datetime:
    if isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):
        return datetime.min  # not a time at all: an edited row, which its hash will not match


def _all_rows_in_chain_order() -> Iterator[ChainRow]:
    """Every row in (entity, entity_id, seq) order, streamed with bounded memory. SQLite streams
    by itself; psycopg2 would fetch a whole result at once (millions of rows), so PostgreSQL reads
    through a server-side cursor, a batch at a time. Run it in one snapshot (desk check does)."""
    query = History.select(*_columns()).order_by(History.entity, History.entity_id, History.seq)
    sql, params = query.sql()
    if is_sqlite():
        # The raw cursor: peewee's per-column conversion was half the time of a million-ticket check.
        # Only `at` needs converting (SQLite hands back the ISO text peewee stored).
        for row in database.execute_sql(sql, params):
            yield ChainRow(row[0], row[1], row[2], row[3], _when(row[4]), *row[5:])
        return
    # WITH HOLD: psycopg2 refuses a named cursor on an autocommit connection otherwise.
    cursor = database.connection().cursor(name=f"desk_chains_{uuid.uuid4().hex}", withhold=True)
    cursor.itersize = 5000
    try:
        cursor.execute(sql, params)
        for row in cursor:
            yield ChainRow(*row)
    finally:
        cursor.close()


def verify_all() -> Iterator[tuple[str, int, ChainBreak]]:
    """Every chain, streamed in one ordered pass: yields (entity, id, break) for each broken chain."""
    current: tuple[str, int] | None = None
    bucket: list[ChainRow] = []
    for row in _all_rows_in_chain_order():
        key = (row.entity, row.entity_id)
        if key != current:
            if bucket:
                found = verify_chain(bucket)
                if found:
                    yield (*current, found)
            current, bucket = key, []
        bucket.append(row)
    if bucket:
        found = verify_chain(bucket)
        if found:
            yield (*current, found)
