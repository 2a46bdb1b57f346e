"""`desk migrate --from csv --mapping NAME FILE [--events FILE]`: incidents from another tool's CSV.

Three shapes of export (docs/migration.md):
  - one row per ticket (a snapshot): the row gives the ticket's state;
  - the same with an events file (--events): its rows of a ticket, in time order, become history;
  - an audit export (`audit = true`): several rows per ticket, one per update; in `at` order they
    are its history (what changed from one row to the next, when, by whom), the last its state.
Every migrated ticket keeps its number as `external_ref` (the queue filter's `ref:`) and gets a last
history row "migrated", by the agent who ran it, at the time it ran: its history says it was imported.
A ticket already migrated by the same mapping (its origin `migrate:NAME:NUMBER`) is left alone, so
running a migration again adds only what is new. One transaction: the file is refused whole (a
column the mapping names is missing, the file is not CSV) with nothing written; a ticket with a bad
value (a time that is not one) is refused alone and reported with its line and column.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field

from desk.db import is_sqlite, write_transaction
from desk.domain.history_chain import GENESIS, dump_changes, row_hash
from desk.services.transfer.mapping import Mapping
from desk.services.transfer.source import MigrationRefused, Reason, TicketRefused, parse_time, read_csv
from desk.services.transfer.ticket import FORMER, MIGRATED, TRACKED, Builder, fill  # noqa: F401 (importable from here)
from desk.system_words import said

BATCH = 2000
BULK_SEARCH = 20_000  # tickets above which the title search is filled once at the end

Progress = Callable[[int, int], None]


@dataclass
class MigrateResult:
    rows: int = 0
    tickets: int = 0
    created: int = 0
    already: int = 0
    history: int = 0
    refused: list = field(default_factory=list)  # (file, line, column, number, Reason): tickets not migrated
    skipped: list = field(default_factory=list)  # the same, of --events rows left out of their ticket's history
    unknown: Counter = field(default_factory=Counter)  # (field, value) -> rows
    new_codes: list = field(default_factory=list)  # (table, entry) made of unknown values (unknown = "create")
    config_path: str = ""  # the config file the new codes were added to
    by_status: Counter = field(default_factory=Counter)
    by_priority: Counter = field(default_factory=Counter)
    seconds: float = 0.0


def migrate_csv(desk, mapping: Mapping, path: str, events_path: str | None = None, login: str | None = None,
                progress: Progress | None = None) -> MigrateResult:
    from desk.services import actors

    started = time.monotonic()
    result = MigrateResult()
    actor = actors.resolve(desk, login)
    col, rows = read_csv(path, mapping.columns(), "file", mapping.name, mapping.optional)
    result.rows = len(rows)
    tickets: dict[str, list] = {}
    for line, row in rows:
        tickets.setdefault(row[col[mapping.number]], []).append((line, row))
    del rows
    events: dict[str, list] = {}
    if events_path:
        if mapping.events is None:
            raise MigrationRefused("transfer.migrate.no_events", mapping=mapping.name)
        ev = mapping.events
        ecol, erows = read_csv(events_path, ev.columns(), "events", mapping.name)
        for line, row in erows:
            try:
                at = parse_time(mapping.time_formats, row[ecol[ev.at]], line, ev.at)
            except TicketRefused as err:
                result.skipped.append((events_path, err.line, err.column, row[ecol[ev.number]], err.why))
                continue
            if at is None:  # (an empty time: the event cannot take its place in the history)
                result.skipped.append((events_path, line, ev.at, row[ecol[ev.number]], Reason("no_event_time")))
                continue
            key = (at, row[ecol[ev.order]] if ev.order else "", line)
            events.setdefault(row[ecol[ev.number]], []).append(
                (key, row[ecol[ev.actor]] if ev.actor else "", fill(ev.note, row, ecol),
                 row[ecol[ev.kind]] if ev.kind else "", row[ecol[ev.group]] if ev.group else ""))
        for number in events:  # (at, actor, note, kind, group, line), in time order
            events[number] = [(k[0], who, note, kind, group, k[2])
                              for k, who, note, kind, group in sorted(events[number], key=lambda e: e[0])]
    result.tickets = len(tickets)
    now = desk.now()
    db = desk.db
    prefix = f"migrate:{mapping.name}:"
    from desk.services import schema
    from desk.services.transfer.importer import drop_indexes

    bulk = is_sqlite(db) and len(tickets) >= BULK_SEARCH
    with write_transaction(db):
        if not is_sqlite(db):
            for table in ("incident", "history", "caller"):
                db.execute_sql(f'LOCK TABLE "{table}" IN EXCLUSIVE MODE')
        dropped = schema.drop_search_triggers(db) if bulk else []  # the title index is filled once at the end
        dropped += drop_indexes(db, ("incident", "history")) if bulk else []  # and indexes made once
        done = {o for (o,) in db.execute_sql(f"SELECT origin FROM incident WHERE origin LIKE {db.param}",
                                             (prefix + "%",))}
        builder = Builder(desk, mapping, col, result)
        builder.events_path = events_path
        next_id = (db.execute_sql("SELECT MAX(id) FROM incident").fetchone()[0] or 0) + 1
        incidents: list = []
        history: list = []
        for count, (number, ticket_rows) in enumerate(tickets.items(), start=1):
            if prefix + number in done:
                result.already += 1
                continue
            try:
                incident, rows_ = builder.ticket(next_id, number, ticket_rows, events.get(number, []), now, actor.id)
            except TicketRefused as err:
                result.refused.append((err.file or path, err.line, err.column, number, err.why))
                continue
            next_id += 1
            incidents.append(incident)
            prev = GENESIS
            for seq, (at, who, action, changes, note) in enumerate(rows_, start=1):
                text = dump_changes(changes)
                digest = row_hash(prev, "incident", incident["id"], seq, at, who, action, text, note)
                history.append(("incident", incident["id"], seq, at, who, action, text, note, prev, digest))
                prev = digest
            result.created += 1
            result.by_status[incident["status"]] += 1
            result.by_priority[incident["priority"]] += 1
            if len(incidents) >= BATCH:
                _write(db, builder, incidents, history)
                result.history += len(history)
                incidents, history = [], []
            if progress and count % 1000 == 0:
                progress(count, len(tickets))
        _write(db, builder, incidents, history)
        result.history += len(history)
        _write_codes(db, result.new_codes)
        for _name, sql in dropped:
            db.execute_sql(sql)
        if bulk:
            schema.ensure_search(db)
        if not is_sqlite(db):
            for table in ("incident", "history", "caller"):
                db.execute_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                               f"GREATEST(COALESCE((SELECT MAX(id) FROM \"{table}\"), 0), 1))")
    if result.created:
        # The open ones' running clocks (the tick escalates them, the wallboard counts them): without,
        # they stayed off both until the next `desk init` (each batch its own transaction, as there).
        from desk.services import incidents, sla_sync

        sla_sync.backfill(desk, incidents.KIND)
    if progress:
        progress(len(tickets), len(tickets))
    if result.new_codes:
        result.config_path = _save_codes(desk.config, result.new_codes)
    result.seconds = time.monotonic() - started
    return result


_FOREIGN = ("caller", "group", "assignee", "resolved_group", "service", "service_version")


def _write(db, builder: Builder, incidents: list, history: list) -> None:
    if builder.new_callers:
        db.cursor().executemany(f"INSERT INTO caller (id, name, phone, email, vip) VALUES "
                                f"({db.param}, {db.param}, '', '', {db.param})",
                                [(i, n, False) for i, n in builder.new_callers])
        builder.new_callers = []
    if incidents:
        columns = list(incidents[0])
        names = ", ".join(f'"{c}_id"' if c in _FOREIGN else f'"{c}"' for c in columns)
        db.cursor().executemany(f"INSERT INTO incident ({names}) VALUES ({', '.join([db.param] * len(columns))})",
                                [[r[c] for c in columns] for r in incidents])
    if history:
        marks = ", ".join([db.param] * 10)
        db.cursor().executemany(
            "INSERT INTO history (entity, entity_id, seq, at, actor_id, action, changes, note, prev_hash, hash) "
            f"VALUES ({marks})", history)


def _write_codes(db, new_codes: list) -> None:
    """The new codes' rows in the code table (what `desk init` loads from the config), after each table's last."""
    if not new_codes:
        return
    import json

    from peewee import fn

    from desk.models import Code

    for table, entry in new_codes:
        last = Code.select(fn.MAX(Code.position)).where(Code.table == table).scalar()
        extra = {k: v for k, v in entry.items() if k not in ("code", "en", "zh")}
        Code.insert(table=table, code=entry["code"], label_en=entry["en"], label_zh=entry["zh"],
                    position=(last if last is not None else -1) + 1, extra=json.dumps(extra)).execute()


def _save_codes(config, new_codes: list) -> str:
    """Add the new codes to the user's config file (its code tables are what desk knows): after the
    migration committed, so a refused run leaves the file alone. A file that cannot be written is
    said with the codes to add by hand; the migrated incidents stay."""
    from desk.services import code_tables

    added: dict[str, list] = {}
    for table, entry in new_codes:
        added.setdefault(table, []).append(entry)
    try:
        return str(code_tables.add_entries(config, added))
    except (OSError, ValueError) as exc:
        raise MigrationRefused("transfer.migrate.codes_unwritten", path=str(code_tables.user_file(config)),
                               why=said(exc), codes=", ".join(f"{t}: {e['code']}" for t, e in new_codes)) from None
