"""SLA clocks of stored tickets: the engine (desk.domain.sla_clock) fed from the database.

A kind of ticket takes part by naming its fields in a `Clocked` and passing it as its Kind's
`clock` (desk.services.records): every change that goes through `records.transition` then
keeps the ticket's stored due time and its `sla_clock` row in step, in the same transaction
(`sync`); a kind's creation calls `records.created`. Incidents and service requests do so.

Targets: the ticket's catalogue service version (the one in force when it was raised; a ticket
raised before its service had one in force — an incident migrated from an older tool, or opened
before the catalogue — keeps its service's first version), its SLA table and service-hours
calendar, falling back to the [[priority]] defaults. Never the version in force now: a version
published later would move the targets of tickets nobody re-targeted, and their due time shown
away from the stored one the queue sorts by. They change only by a change of priority or service.
The calendar: the version's, else `[sla] default_calendar`. Pauses: the ledger (`sla_pause`) of
the ticket: holds a user asks for, and the statuses `[sla.pausing]` names for its kind (a request
awaiting approval, cost confirmation or the requester), opened and ended by `sync` as the status
comes and goes.
"""

from __future__ import annotations

import json
import time
from datetime import datetime
from typing import Any, NamedTuple

from desk.domain.sla_clock import ClockInput, ClockState, Pause, evaluate, is_paused, open_pause, reopen_gap
from desk.models import Service, ServiceVersion, SlaClock, SlaPause

TERMS_TTL = 5.0  # seconds a service's SLA terms are kept per handle (a published version is rare)


class Clocked(NamedTuple):
    """Which fields of a kind's row the SLA engine reads, and where the due time is stored."""

    open_statuses: frozenset[str]
    started: str = "opened_at"
    stopped: str = "resolved_at"
    responded: str = "first_response_at"
    priority: str = "priority"
    service: str = "service_id"
    group: str = "group_id"
    due: str = "due_at"
    cycle: str | None = "reopen_count"  # a reopened ticket starts a new cycle of escalations
    assignee: str = "assignee_id"  # who `assignee` in [sla.escalation] tells
    closed: str | None = None  # a second stop: a ticket closed without being resolved (a cancelled request)
    version: str | None = None  # the catalogue version the ticket was raised under (None: its service's first)

    def sync(self, desk, kind, record_id: int, now: datetime, actor_id: int | None = None, before=None) -> None:
        sync(desk, kind, record_id, now, actor_id, before)

    def stop(self, row) -> datetime | None:
        """When the clock stopped: resolved, else (for a kind that has it) closed; None: running."""
        got = getattr(row, self.stopped)
        if got is None and self.closed is not None:
            got = getattr(row, self.closed, None)
        return got

    def cycle_of(self, row) -> int:
        return int(getattr(row, self.cycle, 0) or 0) if self.cycle else 0


class Terms(NamedTuple):
    sla: dict
    calendar: Any


# --- a service's terms ----------------------------------------------------------------------------

def _service_terms(desk, service_id: int | None) -> Terms | None:
    """The terms of a ticket of a service that keeps no version of it: the service's first version
    (versions never change, so neither do they), else (a service from before the catalogue's
    versions) the service row's."""
    if service_id is None:
        return None
    first = (ServiceVersion.select(ServiceVersion.id).where(ServiceVersion.service == service_id)
             .order_by(ServiceVersion.number).first())
    if first is not None:
        got = version_terms(desk, first.id)
        if got is not None:
            return got
    row = Service.select(Service.sla, Service.hours).where(Service.id == service_id).first()
    if row is None:
        return None
    return _row_terms(desk, row.sla, row.hours)


def _row_terms(desk, sla_text: str | None, hours) -> Terms:
    """The terms a service row itself holds (a service from before the catalogue's versions)."""
    try:
        table = json.loads(sla_text or "{}")
    except ValueError:
        table = {}
    return Terms(table if isinstance(table, dict) else {}, desk.config.sla.calendar(None, hours))


def terms(desk, service_id: int | None) -> Terms:
    """The SLA table and calendar of a ticket of this service that keeps no version (None: of no
    service: the defaults), kept a few seconds per handle."""
    cache = desk.cache.setdefault("sla.terms", {})
    hit = cache.get(service_id)
    clock = time.monotonic()
    if hit is not None and clock - hit[0] < TERMS_TTL:
        return hit[1]
    got = _service_terms(desk, service_id) or Terms({}, desk.config.sla.calendar(None, None))
    cache[service_id] = (clock, got)
    return got


def version_terms(desk, version_id: int) -> Terms | None:
    """The SLA table and calendar of one catalogue version (versions never change: kept per handle)."""
    cache = desk.cache.setdefault("sla.version_terms", {})
    if version_id in cache:
        return cache[version_id]
    from desk.services import catalogue

    reader = getattr(catalogue, "version_by_id", None)
    version = reader(desk, version_id) if reader is not None else None
    got = _version_terms(desk, version) if version is not None else None
    cache[version_id] = got
    return got


def _version_terms(desk, version) -> Terms:
    table = {str(p): dict(v) for p, v in (version.entry.get("targets") or {}).items()}
    return Terms(table, desk.config.sla.calendar(version.hours))


def terms_of(desk, clocked: Clocked, row) -> Terms:
    """A ticket's terms: the version it was raised under, else its service's first version (or the
    service row), else the defaults."""
    version_id = getattr(row, clocked.version, None) if clocked.version else None
    if version_id is not None:
        got = version_terms(desk, version_id)
        if got is not None:
            return got
    return terms(desk, getattr(row, clocked.service, None))


def warm(desk) -> None:
    """Every service's terms into `config.sla.row_terms` (at most once per TERMS_TTL), so that
    the queue's SLA column finds them without reading the database on the UI's thread. Read in
    two queries, as `terms` gives them, and only the columns they need: asked service by service
    (two queries each, ~10 ms of CPU for the shipped dozen, the catalogue's whole rows built), the
    reader held the interpreter while the first frame was built."""
    cache = desk.config.sla.row_terms
    clock = time.monotonic()
    if clock - cache.get("_at", -TERMS_TTL) < TERMS_TTL:
        return
    from peewee import fn

    first = (ServiceVersion.select(ServiceVersion.service.alias("sid"), fn.MIN(ServiceVersion.number).alias("n"))
             .group_by(ServiceVersion.service)).alias("first")
    firsts = {service_id: (version_id, targets, hours) for service_id, version_id, targets, hours in
              ServiceVersion.select(ServiceVersion.service, ServiceVersion.id, ServiceVersion.targets,
                                    ServiceVersion.hours)
              .join(first, on=((ServiceVersion.service == first.c.sid) & (ServiceVersion.number == first.c.n)))
              .tuples()}
    kept = desk.cache.setdefault("sla.terms", {})
    versions = desk.cache.setdefault("sla.version_terms", {})
    for service_id, sla_text, hours in Service.select(Service.id, Service.sla, Service.hours).tuples():
        version = firsts.get(service_id)
        if version is not None:  # (its first version's terms, as version_terms reads them)
            version_id, targets, version_hours = version
            got = versions.get(version_id)
            if got is None:
                table = {str(p): dict(v) for p, v in json.loads(targets or "{}").items()}
                got = versions[version_id] = Terms(table, desk.config.sla.calendar(version_hours))
        else:
            got = _row_terms(desk, sla_text, hours)
        kept[service_id] = (clock, got)
        cache[service_id] = got
    cache[None] = terms(desk, None)
    cache["_at"] = clock


def warm_versions(desk, version_ids) -> None:
    """These catalogue versions' terms into `config.sla.row_terms` (key ("v", id)), for a queue
    whose rows name the version they were raised under (read in the reading thread)."""
    cache = desk.config.sla.row_terms
    for version_id in {v for v in version_ids if v is not None}:
        if ("v", version_id) not in cache:
            got = version_terms(desk, version_id)
            if got is not None:
                cache[("v", version_id)] = got


def cached_terms(config, service_id: int | None, version_id: int | None = None) -> Terms:
    """A ticket's terms as `warm` / `warm_versions` last read them (no database): its version's,
    else its service's, else the default calendar and the [[priority]] targets."""
    got = config.sla.row_terms.get(("v", version_id)) if version_id is not None else None
    if got is None:
        got = config.sla.row_terms.get(service_id)
    return got if got is not None else Terms({}, config.sla.calendar())


# --- the ledger -----------------------------------------------------------------------------------

def pauses(desk, entity: str, record_id: int) -> tuple[Pause, ...]:
    rows = (SlaPause.select(SlaPause.started_at, SlaPause.ended_at, SlaPause.reason)
            .where((SlaPause.entity == entity) & (SlaPause.entity_id == record_id))
            .order_by(SlaPause.started_at, SlaPause.id).tuples())
    return tuple(Pause(a, b, r) for a, b, r in rows)


def ledger(desk, entity: str, record_id: int) -> list[SlaPause]:
    """The ledger's rows with who held and resumed the clock (the detail shows them)."""
    return list(SlaPause.select().where((SlaPause.entity == entity) & (SlaPause.entity_id == record_id))
                .order_by(SlaPause.started_at, SlaPause.id))


# --- a ticket's clocks ----------------------------------------------------------------------------

class Clocks(NamedTuple):
    resolution: ClockState
    response: ClockState
    calendar: Any
    pauses: tuple[Pause, ...]


def clocks(desk, clocked: Clocked, row, now: datetime, ledger_rows: tuple[Pause, ...] | None = None,
           entity: str = "incident") -> Clocks:
    """The resolution and response clocks of a row at `now`."""
    if ledger_rows is None:
        ledger_rows = pauses(desk, entity, row.id)
    got = terms_of(desk, clocked, row)
    targets = desk.config.sla.targets(getattr(row, clocked.priority), got.sla)
    started = getattr(row, clocked.started)
    warning = desk.config.sla.warning
    resolution = evaluate(got.calendar, targets.resolve_minutes if targets else None,
                          ClockInput(started, clocked.stop(row), ledger_rows), now, warning)
    response = evaluate(got.calendar, targets.response_minutes if targets else None,
                        ClockInput(started, getattr(row, clocked.responded, None), ledger_rows), now, warning)
    return Clocks(resolution, response, got.calendar, ledger_rows)


def due_for(desk, clocked: Clocked, row, ledger_rows=(), now: datetime | None = None) -> datetime | None:
    """The resolution due time a row should store (None while paused short of it, or no target)."""
    at = now or getattr(row, clocked.started)
    return clocks(desk, clocked, row, at, tuple(ledger_rows)).resolution.due_at


# --- keeping the stored due time and the tick's row in step ----------------------------------------

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
        model = kind.model
        model.update({getattr(model, clocked.due): due}).where(model.id == record_id).execute()
    where = (SlaClock.entity == kind.entity) & (SlaClock.entity_id == record_id)
    if not running or state.target_seconds is None:
        SlaClock.delete().where(where).execute()
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
    current = SlaClock.get_or_none(where)
    if current is None:
        SlaClock.insert(entity=kind.entity, entity_id=record_id, stage=0, cycle=cycle,
                        next_at=_next_at(0, state.warn_at, due), **values).execute()
        return
    stage = current.stage if current.cycle == cycle else 0
    SlaClock.update(**values, stage=stage, cycle=cycle, next_at=_next_at(stage, state.warn_at, due)) \
        .where(where).execute()


def _next_at(stage: int, warn_at: datetime | None, due_at: datetime | None) -> datetime | None:
    """When the tick next has work for a clock: its warning, then its breach (NULL: paused or done)."""
    if stage < 1:
        return warn_at
    if stage < 2:
        return due_at
    return None


def paused_now(ledger_rows, now: datetime) -> bool:
    return is_paused(ledger_rows, now)


def backfill(desk, kind, batch: int = 2000) -> int:
    """Clocks for open tickets of a kind that have none yet (a database from before the SLA
    tables, or rows the demo wrote in bulk): their due time on business hours and their
    `sla_clock` row. Tickets with a pause ledger, or in a status that pauses the clock, go
    through `sync`; the others (all of them, on a database from before the ledger) are computed
    here and written in batches, one transaction each. Returns how many. Run by `desk init` and
    the demo."""
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
    done, last = 0, 0
    while True:
        rows = list(model.select(*fields).where(
            status.in_(sorted(clocked.open_statuses)) & stopped.is_null() & (model.id > last)
            & model.id.not_in(has)).order_by(model.id).limit(batch).tuples())
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
