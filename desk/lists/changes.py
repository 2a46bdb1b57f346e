"""Change detection for lists, per entity: which rows of a kind did other agents change?

Every write appends a history row (entity, entity_id), so the history table is the feed: a list
remembers the newest history id it has seen and asks for the rows after it, keeping those of the
entities it shows (ListSpec.watched). `change_marker` is the cheap test in front of that read.
"""

from __future__ import annotations

from peewee import fn


def change_marker(desk) -> tuple:
    """A cheap value that changes when any connection commits: SQLite's data_version, or on
    PostgreSQL the newest history row id (every write appends one)."""
    from desk.db import is_sqlite
    from desk.models import History

    if is_sqlite(desk.db):
        return (desk.db.execute_sql("PRAGMA data_version").fetchone()[0],
                History.select(fn.MAX(History.id)).scalar())
    return (History.select(fn.MAX(History.id)).scalar(),)


def changed_since(history_id: int | None, limit: int = 2000,
                  entities=frozenset({"incident"})) -> tuple[int | None, set[int] | None]:
    """Rows of `entities` touched by history rows newer than `history_id`: (newest history id,
    their ids), or ids None when more than `limit` rows arrived (the caller then refreshes all)."""
    from desk.models import History

    if history_id is None:  # the starting point (0: no history yet)
        return History.select(fn.MAX(History.id)).scalar() or 0, set()
    rows = list(History.select(History.id, History.entity, History.entity_id)
                .where(History.id > history_id).order_by(History.id).limit(limit + 1).tuples())
    if not rows:
        return history_id, set()
    if len(rows) > limit:
        return History.select(fn.MAX(History.id)).scalar() or 0, None
    return rows[-1][0], {entity_id for _, entity, entity_id in rows if entity in entities}


# --- PostgreSQL: LISTEN/NOTIFY from the writing transaction ------------------------------------
#
# The newest history id cannot say which commits a poll has seen: a transaction holding history
# id N may commit after N+1 was polled, and N is then never read. On PostgreSQL every statement
# that appends history rows notifies (a trigger, so every writer does, in its own transaction;
# the notification is delivered when that transaction commits, never before, never lost): the
# payload lists the rows' "entity:id", or "*" when there are too many for one notification.
# SQLite keeps its change marker (PRAGMA data_version + the history id): its writers are
# serialised, so ids become visible in order.

CHANNEL = "desk_history"  # + "_" + the schema (desk.services.schema creates the trigger that notifies)


def channel(db) -> str:
    schema = db.execute_sql("SELECT current_schema()").fetchone()[0]
    return f"{CHANNEL}_{schema}"


class Listener:
    """A reader's subscription on its own PostgreSQL connection: `changed(entities)` drains what
    committed since the last call -> set of ids of those entities, None (too many: refresh all),
    or an empty set. Created with `listen(db)`, which returns None where nobody notifies (SQLite;
    a database whose trigger has not been created yet: `desk init` creates it)."""

    def __init__(self, db) -> None:
        self.db = db

    def changed(self, entities) -> set[int] | None:
        conn = self.db.connection()
        conn.poll()
        ids: set[int] = set()
        while conn.notifies:
            payload = conn.notifies.pop(0).payload
            if payload == "*":
                conn.notifies.clear()
                return None
            for item in payload.split(","):
                entity, _, record_id = item.rpartition(":")
                if entity in entities and record_id.isdigit():
                    ids.add(int(record_id))
        return ids


def listen(db) -> Listener | None:
    from desk.db import is_sqlite

    if is_sqlite(db):
        return None
    present = db.execute_sql(
        "SELECT 1 FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid WHERE c.relname = 'history' "
        "AND c.relnamespace = to_regnamespace(current_schema()) AND t.tgname = 'history_notify'").fetchone()
    if not present:
        return None
    db.execute_sql(f'LISTEN "{channel(db)}"')
    return Listener(db)
