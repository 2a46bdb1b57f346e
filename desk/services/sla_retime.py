"""Schema step: tickets raised before their service had a catalogue version in force are timed on
its first version (issue 15).

Such tickets (incidents migrated from an older tool or opened before the catalogue was loaded;
requests raised for a service whose first version was dated later) keep no version of their
own. Their clock used to read the service's version in force at each evaluation, so a version
published later moved their targets without anyone re-targeting them, and their detail showed
another due time than the stored one the queue sorts by and the wallboard counts. Their clock
now reads the service's first version (desk.services.sla_terms.terms_of), which never changes.

The step drops the running clocks (`sla_clock` rows) of the open ones: `desk init`, which runs
the steps, then re-times them on the rule of today with the clocks of tickets that have none
(desk.services.sla_sync.backfill: their stored due time and a new clock row). Escalations already
recorded stay recorded once (their unique key): a clock made again tells nobody twice.

Resolved and closed ones (`stopped`, run once by `desk init`): their stored due time was worked
out on the version in force when they last changed, or, migrated, on the defaults round the
clock, while their detail times them on the first version. The report reads the stored due time,
so the same ticket was "breached" in the report and "met" on its detail. Their due time is worked
out again as their clock reads it; nothing of their history changes (a due time is not a recorded
field, and the history is append-only), nor do reports already generated (their figures are kept
as generated). A report generated after it counts them met or breached on the same terms as the
detail shows: its SLA and lateness figures for the periods they fall in can move.
"""

from __future__ import annotations

from collections import defaultdict
from types import SimpleNamespace

from desk.db import is_sqlite, write_transaction
from desk.domain.sla_clock import Pause
from desk.models import Setting, SlaPause
from desk.services import sla

# (kind's entity, its table, its version column)
UNVERSIONED = (("incident", "incident", "service_version_id"), ("request", "service_request", "service_version"))
STOPPED_KEY = "sla.stopped_retimed"  # Setting: `stopped` has run on this desk (once is enough: see below)
STAGE = "stopped_due"  # the progress stage `stopped` reports (named in [schema.step] beside the steps)


def step(db, report=None) -> None:
    for number, (entity, table, column) in enumerate(UNVERSIONED, 1):
        sql = (f"DELETE FROM sla_clock WHERE entity = %s AND entity_id IN (SELECT id FROM {table} "
               f"WHERE service_id IS NOT NULL AND {column} IS NULL)")
        db.execute_sql(sql.replace("%s", "?") if is_sqlite(db) else sql, (entity,))
        if report:
            report(number, len(UNVERSIONED))


def stopped(desk, kinds, batch: int = 1000, progress=None) -> int:
    """The stored due time of every resolved or closed ticket of these kinds that keeps no
    catalogue version, worked out again on its first version's terms, as its clock reads it.
    Once per desk (STOPPED_KEY): tickets raised since are stored right by their own changes and
    by `desk migrate`, and reading every stopped ticket at each `desk init` of a large desk would
    cost seconds for nothing. Returns how many due times moved.

    `progress(STAGE, done, total)` after each batch: ~100k resolved tickets take seconds to tens of
    seconds, and `desk init` shows long work (its quiet time keeps a small desk silent)."""
    if Setting.get_or_none(Setting.key == STOPPED_KEY) is not None:
        return 0
    moved = restore(desk, [(kind, _where(kind)) for kind in kinds], STAGE, progress, batch)
    with write_transaction(desk.db):
        Setting.insert(key=STOPPED_KEY, value="1").on_conflict_ignore().execute()
    return moved


def restore(desk, wheres, stage: str, progress=None, batch: int = 1000) -> int:
    """The stored due time of the tickets of each (kind, where) worked out again as their clock
    reads it; `progress(stage, done, total)` after each batch. Returns how many moved."""
    # counted first so the bar has an end; a count is an index-free scan, a small part of the work
    total = sum(kind.model.select().where(where).count() for kind, where in wheres) if progress else 0
    counted = [0]

    def batch_done(rows: int) -> None:
        counted[0] += rows
        progress(stage, counted[0], max(total, counted[0]))

    return sum(_stopped(desk, kind, where, batch, batch_done if progress else None) for kind, where in wheres)


def stopped_where(kind):
    """A ticket of the kind whose clock has stopped: resolved, or closed (a cancelled request)."""
    model, clocked = kind.model, kind.clock
    done = getattr(model, clocked.stopped).is_null(False)
    if clocked.closed is not None:
        done |= getattr(model, clocked.closed).is_null(False)
    return done


def _where(kind):
    model, clocked = kind.model, kind.clock
    # the tickets step 20 re-timed while open: of a service, without a version
    of_a_service = getattr(model, clocked.service).is_null(False)
    return getattr(model, clocked.version).is_null() & of_a_service & stopped_where(kind)


def _stopped(desk, kind, where, batch: int, batch_done) -> int:
    model, clocked = kind.model, kind.clock
    # only the columns the clock reads: whole rows (a description each) cost as much as the clocks
    names = ["id", clocked.started, clocked.stopped, clocked.priority, clocked.service, clocked.version, clocked.due]
    names += [clocked.closed] if clocked.closed is not None else []
    fields = [getattr(model, name) for name in names]
    last, moved = 0, 0
    while True:
        rows = [SimpleNamespace(**dict(zip(names, values))) for values in model.select(*fields).where(
            where & (model.id > last)).order_by(model.id).limit(batch).tuples()]
        if not rows:
            return moved
        last = rows[-1].id
        ledgers = defaultdict(list)
        for entity_id, start, end, reason in (
                SlaPause.select(SlaPause.entity_id, SlaPause.started_at, SlaPause.ended_at, SlaPause.reason)
                .where((SlaPause.entity == kind.entity) & SlaPause.entity_id.in_([r.id for r in rows]))
                .order_by(SlaPause.started_at, SlaPause.id).tuples()):
            ledgers[entity_id].append(Pause(start, end, reason))
        changes = []
        for row in rows:
            due = sla.resolution(desk, clocked, row, clocked.stop(row), tuple(ledgers[row.id])).due_at
            if due != getattr(row, clocked.due):
                changes.append((due, row.id))
        with write_transaction(desk.db):
            for due, record_id in changes:
                model.update({getattr(model, clocked.due): due}).where(model.id == record_id).execute()
        moved += len(changes)
        if batch_done:
            batch_done(len(rows))
