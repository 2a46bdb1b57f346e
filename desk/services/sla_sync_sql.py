"""The statements `sla_sync.sync` runs inside every change's write transaction, from SQL compiled
once per handle (desk.services.compiled).

They run while the writer lock is held, so their cost is every other agent's wait: built by
peewee on each call they were ~0.6 ms of the ~1.5 ms of CPU a transition spent inside the lock
(figure 5, docs/performance.md "Figure 5: the fsync out of the lock, less SQL inside it").
Each returns or writes what the peewee query it replaces did.
"""

from __future__ import annotations

from datetime import datetime

from desk.domain.sla_clock import Pause
from desk.models import SlaClock, SlaPause
from desk.services.compiled import compiled, fetch_all, fetch_one, insert_columns, set_columns

_KEY = (SlaClock.entity == "") & (SlaClock.entity_id == 0)
# The clock row's columns a change writes, besides its key.
_CLOCK = (SlaClock.priority, SlaClock.group_id, SlaClock.paused_since, SlaClock.warn_at, SlaClock.due_at,
          SlaClock.stage, SlaClock.cycle, SlaClock.next_at)


def _db(field, value):
    return field.db_value(value) if value is not None else None


def _py(field, value):
    return field.python_value(value) if value is not None else None


def pauses(desk, entity: str, record_id: int) -> tuple[Pause, ...]:
    """The ledger in order, as desk.services.sla.pauses reads it."""
    rows = fetch_all(desk, "sla_sync.pauses", lambda: (
        SlaPause.select(SlaPause.started_at, SlaPause.ended_at, SlaPause.reason)
        .where((SlaPause.entity == "") & (SlaPause.entity_id == 0))
        .order_by(SlaPause.started_at, SlaPause.id)), (entity, record_id))
    return tuple(Pause(_py(SlaPause.started_at, a), _py(SlaPause.ended_at, b), r) for a, b, r in rows)


def clock_state(desk, entity: str, record_id: int) -> tuple[int, int] | None:
    """(stage, cycle) of the ticket's clock row; None: it has none."""
    return fetch_one(desk, "sla_sync.clock", lambda: (
        SlaClock.select(SlaClock.stage, SlaClock.cycle).where(_KEY).limit(1)), (entity, record_id, 1))


def drop_clock(desk, entity: str, record_id: int) -> None:
    desk.db.execute_sql(compiled(desk, "sla_sync.drop", lambda: SlaClock.delete().where(_KEY), 2),
                        (entity, record_id))


def write_clock(desk, entity: str, record_id: int, values: dict, insert: bool) -> None:
    """Insert or update the ticket's clock row with `values` (every column of _CLOCK, by name)."""
    by_column = {f.column_name: f for f in _CLOCK}
    if insert:
        fields = (SlaClock.entity, SlaClock.entity_id, *_CLOCK)
        sql = compiled(desk, "sla_sync.insert", lambda: SlaClock.insert({f: None for f in fields}), len(fields))
        given = {"entity": entity, "entity_id": record_id, **values}
        order = [by_column.get(c) or getattr(SlaClock, c) for c in insert_columns(sql)]
        desk.db.execute_sql(sql, [_db(f, given[f.name]) for f in order])
        return
    sql = compiled(desk, "sla_sync.update", lambda: SlaClock.update({f: None for f in _CLOCK}).where(_KEY),
                   len(_CLOCK) + 2)
    order = [by_column[c] for c in set_columns(sql)]
    desk.db.execute_sql(sql, [*(_db(f, values[f.name]) for f in order), entity, record_id])


def store_due(desk, kind, record_id: int, due: datetime | None) -> None:
    """The ticket's stored due time (the column its kind's clock names)."""
    model = kind.model
    field = getattr(model, kind.clock.due)
    sql = compiled(desk, (f"{kind.entity}.store_due",), lambda: model.update({field: None}).where(model.id == 0), 2)
    desk.db.execute_sql(sql, (_db(field, due), record_id))
