"""Keeping a stored ticket's SLA clock in step with its changes: its pause ledger, its stored due
time and its `sla_clock` row (the tick's and the wallboard's).

`sync` runs inside the transaction of every change that goes through `records.transition` (a
kind's `Clocked.sync`): it opens or ends the pause a status calls for (`[sla.pausing]`), records
the time a reopened ticket stood resolved, stores the due time and keeps the clock's row while it
runs. `backfill` gives clocks to the open tickets that have none (a database from before the SLA
tables, migrated or bulk-written rows), run by `desk init`, the migration and the demo.
"""

from __future__ import annotations

from datetime import datetime

from desk.domain.sla_clock import Pause, open_pause, reopen_gap
from desk.models import SlaClock, SlaPause
from desk.services.sla import Clocked, clocks
from desk.services.sla_sync_sql import clock_state, drop_clock, pauses, store_due, write_clock
from desk.services.sla_terms import terms, version_terms


def follow_status(desk, kind, row, ledger_rows: tuple[Pause, ...], now: datetime,
                  actor_id: int | None) -> tuple[Pause, ...]:
    """The pause a status calls for ([sla.pausing]): a ticket that enters a pausing status gets
    a ledger row (by who changed it); one that leaves it has that row ended. A hold a user asked
    for (a reason no status of the kind gives) is left alone. Returns the ledger as it now is."""
    pausing = desk.config.sla.pausing(kind.entity)
    if not pausing:
        return ledger_rows
    clocked: Clocked = kind.clock
    status = getattr(row, "status", None)
    wanted = pausing.get(status) if status in clocked.open_statuses and clocked.stop(row) is None else None
    current = open_pause(ledger_rows)
    where = (SlaPause.entity == kind.entity) & (SlaPause.entity_id == row.id)
    changed = False
    if current is not None and current.reason in pausing.values() and current.reason != wanted:
        SlaPause.update(ended_at=now, ended_by=actor_id).where(where & SlaPause.ended_at.is_null()).execute()
        current, changed = None, True
    if wanted is not None and current is None:
        SlaPause.insert(entity=kind.entity, entity_id=row.id, reason=wanted, started_at=now,
                        started_by=actor_id).execute()
        changed = True
    return pauses(desk, kind.entity, row.id) if changed else ledger_rows


def reopened(desk, kind, row, before, now: datetime, actor_id: int | None) -> bool:
    """A change that restarts a stopped clock (a reopening): the time it stood resolved goes into
    the ledger as a pause, or not, as `[sla] reopen_gap` says (desk.domain.sla_clock.reopen_gap)."""
    clocked: Clocked = kind.clock
    if before is None or clocked.stop(before) is None or clocked.stop(row) is not None:
        return False
    gap = reopen_gap(desk.config.sla.reopen_gap, clocked.stop(before), now)
    if gap is None:
        return False
    SlaPause.insert(entity=kind.entity, entity_id=row.id, reason=gap.reason, started_at=gap.start,
                    ended_at=gap.end, ended_by=actor_id).execute()
    return True


def sync(desk, kind, record_id: int, now: datetime, actor_id: int | None = None, before=None) -> None:
    """Inside the transaction of a change: open or end the pause its status calls for (and, for a
    reopening, record the time it stood resolved), store the ticket's due time, and keep its
    `sla_clock` row (the tick's and the wallboard's) while its clock runs; drop it once the clock
    stops. `before`: the row as the change found it."""
    from desk.services import records

    clocked: Clocked = kind.clock
    row = records.read(desk, kind, record_id)
    if row is None:
        return
    reopened(desk, kind, row, before, now, actor_id)
    ledger_rows = follow_status(desk, kind, row, pauses(desk, kind.entity, record_id), now, actor_id)
    running = getattr(row, "status", None) in clocked.open_statuses and clocked.stop(row) is None
    if not running and open_pause(ledger_rows) is not None:
        # A clock that stops while held: the pause ends with it (by nobody: the ticket's change did it),
        # before the due time is worked out: held open, it would be unknown (stored empty, which the
        # reports read as a ticket without a target).
        SlaPause.update(ended_at=now).where((SlaPause.entity == kind.entity) & (SlaPause.entity_id == record_id)
                                            & SlaPause.ended_at.is_null()).execute()
        ledger_rows = pauses(desk, kind.entity, record_id)
    state = clocks(desk, clocked, row, now, ledger_rows, kind.entity).resolution
    due = state.due_at
    if getattr(row, clocked.due) != due:
        store_due(desk, kind, record_id, due)
    if not running or state.target_seconds is None:
        drop_clock(desk, kind.entity, record_id)
        return
    held = open_pause(ledger_rows)
    cycle = clocked.cycle_of(row)
    values = {
        "priority": getattr(row, clocked.priority),
        "group_id": getattr(row, clocked.group, None),
        "paused_since": held.start if held else None,
        "warn_at": state.warn_at,
        "due_at": due,
    }
    from desk.services import sla_tick

    sla_tick.raised(desk, kind, row, cycle, now)  # a priority-1 ticket: the shift leads are told once
    current = clock_state(desk, kind.entity, record_id)
    if current is None:
        write_clock(desk, kind.entity, record_id, {**values, "stage": 0, "cycle": cycle,
                                                   "next_at": next_at(0, state.warn_at, due)}, insert=True)
        return
    stage = current[0] if current[1] == cycle else 0
    write_clock(desk, kind.entity, record_id, {**values, "stage": stage, "cycle": cycle,
                                               "next_at": next_at(stage, state.warn_at, due)}, insert=False)


def next_at(stage: int, warn_at: datetime | None, due_at: datetime | None) -> datetime | None:
    """When the tick next has work for a clock: its warning, then its breach (NULL: paused or done)."""
    if stage < 1:
        return warn_at
    if stage < 2:
        return due_at
    return None


def stage(kind) -> str:
    """The progress stage `backfill` reports for a kind (named in [schema.step] beside the steps)."""
    return f"clocks_{kind.entity}"


def backfill(desk, kind, batch: int = 2000, progress=None) -> int:
    """Clocks for open tickets of a kind that have none yet (a database from before the SLA
    tables, or rows the demo wrote in bulk): their due time on business hours and their
    `sla_clock` row. Tickets with a pause ledger, or in a status that pauses the clock, go
    through `sync`; the others (all of them, on a database from before the ledger) are computed
    here and written in batches, one transaction each. Returns how many. Run by `desk init` and
    the demo.

    `progress(stage(kind), done, total)` after each batch: a desk from before the clocks (or one
    whose default terms changed: desk.services.sla_default_terms) has every open ticket to time,
    some 2,000 a second, and `desk init` shows long work."""
    from desk.db import write_transaction

    model, clocked = kind.model, kind.clock
    optional = [clocked.cycle, clocked.version]
    fields = [model.id, getattr(model, clocked.started), getattr(model, clocked.priority),
              getattr(model, clocked.service), getattr(model, clocked.group), getattr(model, clocked.due),
              getattr(model, "status"), *(getattr(model, name) for name in optional if name)]
    has = SlaClock.select(SlaClock.entity_id).where(SlaClock.entity == kind.entity)
    held = SlaPause.select(SlaPause.entity_id).where(SlaPause.entity == kind.entity)
    status = getattr(model, "status")
    stopped = getattr(model, clocked.stopped)
    pausing = desk.config.sla.pausing(kind.entity)
    warning = desk.config.sla.warning
    wanted = status.in_(sorted(clocked.open_statuses)) & stopped.is_null() & model.id.not_in(has)
    # counted first so that the bar has an end (only when shown: a desk with every clock reads one index)
    total = model.select().where(wanted).count() if progress else 0
    done, last, seen = 0, 0, 0
    while True:
        rows = list(model.select(*fields).where(wanted & (model.id > last)).order_by(model.id).limit(batch).tuples())
        if not rows:
            return done
        last = rows[-1][0]
        paused = {i for (i,) in held.where(SlaPause.entity_id.in_([r[0] for r in rows])).tuples()}
        paused |= {r[0] for r in rows if r[6] in pausing}
        inserts, moved = [], []
        for record_id, started, priority, service_id, group_id, stored, _status, *more in rows:
            if record_id in paused:
                continue
            extra = dict(zip([name for name in optional if name], more))
            cycle = int(extra.get(clocked.cycle) or 0) if clocked.cycle else 0
            version_id = extra.get(clocked.version) if clocked.version else None
            got = (version_terms(desk, version_id) if version_id is not None else None) or terms(desk, service_id)
            targets = desk.config.sla.targets(priority, got.sla)
            if targets is None:
                continue
            seconds = targets.resolve_minutes * 60
            due = got.calendar.add(started, seconds)
            warn = got.calendar.add(started, seconds * warning)
            if due != stored:
                moved.append((due, record_id))
            inserts.append({"entity": kind.entity, "entity_id": record_id, "priority": priority,
                            "group_id": group_id, "warn_at": warn, "due_at": due, "stage": 0,
                            "cycle": cycle, "next_at": warn})
        with write_transaction(desk.db):
            for record_id in sorted(paused):
                sync(desk, kind, record_id, desk.now())
            for due, record_id in moved:
                model.update({getattr(model, clocked.due): due}).where(model.id == record_id).execute()
            for start in range(0, len(inserts), 500):
                SlaClock.insert_many(inserts[start:start + 500]).execute()
        done += len(inserts) + len(paused)
        if progress:
            seen += len(rows)
            progress(stage(kind), seen, max(total, seen))
