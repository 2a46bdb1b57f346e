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
