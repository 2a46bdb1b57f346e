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

import csv
import gzip
import io
import re
import time
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from desk.db import is_sqlite, write_transaction
from desk.domain.errors import DeskError
from desk.domain.history_chain import GENESIS, dump_changes, row_hash
from desk.services.transfer.mapping import (CODE_FIELDS, LEVEL_FIELDS, NUMBER_FIELDS, PEOPLE_FIELDS, PLACEHOLDER,
                                            TIME_FIELDS, Mapping)

TRACKED = ("status", "priority", "impact", "urgency", "category", "group", "assignee", "closure_code")
FORMER = "former"  # a history row the former tool recorded
MIGRATED = "migrate"  # the row that says the ticket was migrated, and by whom
BATCH = 2000
BULK_SEARCH = 20_000  # tickets above which the title search is filled once at the end

Progress = Callable[[int, int], None]


class MigrationRefused(DeskError):
    key = "transfer.migrate.missing_column"


class _TicketRefused(Exception):
    def __init__(self, line: int, column: str, why: str):
        super().__init__(why)
        self.line, self.column, self.why = line, column, why


@dataclass
class MigrateResult:
    rows: int = 0
    tickets: int = 0
    created: int = 0
    already: int = 0
    history: int = 0
    refused: list = field(default_factory=list)  # (line, column, number, why)
    unknown: Counter = field(default_factory=Counter)  # (field, value) -> rows
    by_status: Counter = field(default_factory=Counter)
    by_priority: Counter = field(default_factory=Counter)
    seconds: float = 0.0


def _open(path: str):
    try:
        raw = open(path, "rb")
    except OSError as exc:
        raise MigrationRefused("transfer.migrate.unreadable", path=path, why=exc.strerror or str(exc)) from None
    if path.endswith(".gz"):
        raw = gzip.open(raw)
    return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")


def read_csv(path: str, wanted: set[str], what: str, mapping: str, optional: frozenset = frozenset()):
    """(index of each wanted column, rows as lists of the wanted columns with their line numbers)."""
    fh = _open(path)
    try:
        reader = csv.reader(fh)
        try:
            header = next(reader)
        except StopIteration:
            raise MigrationRefused("transfer.migrate.empty", path=path) from None
        except (csv.Error, UnicodeDecodeError) as exc:
            raise MigrationRefused("transfer.migrate.not_csv", path=path, line=1, why=str(exc)) from None
        header = [h.strip() for h in header]
        missing = sorted(c for c in wanted if c not in header and c not in optional)
        if missing:
            raise MigrationRefused(path=path, mapping=mapping, what=what, column=missing[0],
                                   columns=", ".join(header[:12]) + (" …" if len(header) > 12 else ""))
        names = sorted(wanted)
        width = len(header)
        at = [header.index(c) if c in header else width for c in names]  # width: a missing optional column
        rows = []
        try:
            for row in reader:
                if not row:
                    continue
                row = row[:width] + [""] * (width + 1 - min(len(row), width))
                rows.append((reader.line_num, [row[i].strip() for i in at]))
        except (csv.Error, UnicodeDecodeError) as exc:
            raise MigrationRefused("transfer.migrate.not_csv", path=path, line=reader.line_num + 1,
                                   why=str(exc)) from None
        return {c: i for i, c in enumerate(names)}, rows
    finally:
        fh.close()


ISO = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S.%f")
_FAST = {"%Y": r"(?P<Y>\d{4})", "%m": r"(?P<m>\d{1,2})", "%d": r"(?P<d>\d{1,2})", "%H": r"(?P<H>\d{1,2})",
         "%M": r"(?P<M>\d{1,2})", "%S": r"(?P<S>\d{1,2})"}
_COMPILED: dict = {}
_SEEN: dict = {}


def _compiled(fmt: str):
    """A regular expression for a format made only of %Y %m %d %H %M %S and literal text (strptime
    was half a migration's time), or None for any other format (strptime reads those)."""
    if fmt not in _COMPILED:
        parts = re.split(r"(%.)", fmt)
        ok = all(p in _FAST or not p.startswith("%") for p in parts)
        _COMPILED[fmt] = re.compile("".join(_FAST.get(p, re.escape(p)) for p in parts) + r"\Z") if ok else None
    return _COMPILED[fmt]


def _parse(formats, raw: str):
    if formats[0] in ISO:
        try:
            return datetime.fromisoformat(raw)
        except ValueError:
            pass
    for fmt in formats:
        pattern = _compiled(fmt)
        if pattern is not None:
            found = pattern.match(raw)
            if found:
                g = found.groupdict()
                try:
                    return datetime(int(g["Y"]), int(g["m"]), int(g["d"]), int(g.get("H") or 0),
                                    int(g.get("M") or 0), int(g.get("S") or 0))
                except ValueError:
                    continue
            continue
        try:
            return datetime.strptime(raw, fmt)
        except ValueError:
            continue
    return None


def parse_time(formats, raw: str, line: int, column: str):
    """The time in `raw` (None when empty); a value in none of the formats refuses its ticket.
    Exports repeat their times (a ticket's opening time is on each of its rows): each text is read once."""
    if not raw:
        return None
    key = (formats, raw)
    value = _SEEN.get(key)
    if value is None:
        if len(_SEEN) > 200_000:
            _SEEN.clear()
        value = _SEEN[key] = _parse(formats, raw) or False
    if value is False:
        raise _TicketRefused(line, column, f"{raw!r} is not a time in the format {' or '.join(formats)}")
    return value


def _fill(template: str, row: list, col: dict) -> str:
    return PLACEHOLDER.sub(lambda m: row[col[m.group(1)]], template) if template else ""


class _Builder:
    """Turns a ticket's rows into an incident row and its history rows."""

    def __init__(self, desk, mapping: Mapping, col: dict, result: MigrateResult):
        from desk.models import Agent, Caller, Group

        self.desk, self.m, self.col, self.result = desk, mapping, col, result
        self.config = desk.config
        self.codes = {f: set(self.config.codes(t)) for f, t in CODE_FIELDS.items()}
        self.levels = {f: {int(c) for c in self.config.codes(f)} for f in LEVEL_FIELDS}
        self.agents = {login: i for i, login in Agent.select(Agent.id, Agent.login).tuples()}
        self.groups = {code: (i, tier) for i, code, tier in Group.select(Group.id, Group.code, Group.tier).tuples()}
        self.callers = {name: i for i, name in Caller.select(Caller.id, Caller.name).tuples()}
        self.new_callers: list = []
        top = desk.db.execute_sql("SELECT MAX(id) FROM caller").fetchone()[0]
        self.next_caller = (top or 0) + 1

    # --- one row's values -------------------------------------------------------------------
    def _time(self, raw: str, line: int, column: str):
        return parse_time(self.m.time_formats, raw, line, column)

    def _code(self, name: str, raw: str, line: int, column: str):
        if raw == "":
            return None
        table = self.m.values.get(name)
        if table is not None and raw in table:
            return table[raw]
        if name in LEVEL_FIELDS and raw.isdigit() and int(raw) in self.levels[name]:
            return int(raw)
        if name in CODE_FIELDS and raw in self.codes[name]:
            return raw
        self.result.unknown[(name, raw)] += 1
        if self.m.unknown == "refuse":
            raise _TicketRefused(line, column, f"{name} {raw!r} has no mapping")
        return None

    def state(self, row: list, line: int) -> dict:
        """The desk fields one row gives (a plan made once per mapping: a row is read 13 ways)."""
        plan = self.__dict__.get("_plan")
        if plan is None:
            plan = self._plan = []
            for name, column in self.m.fields.items():
                kind = ("time" if name in TIME_FIELDS else "people" if name in PEOPLE_FIELDS
                        else "number" if name in NUMBER_FIELDS else "code")
                plan.append((name, self.col[column], column, kind, self.m.values.get(name) or {}))
        out: dict = {}
        formats = self.m.time_formats
        for name, at, column, kind, table in plan:
            raw = row[at]
            if kind == "code":
                found = table.get(raw)
                out[name] = found if found is not None else self._code(name, raw, line, column)
            elif kind == "time":
                out[name] = parse_time(formats, raw, line, column)
            elif kind == "people":
                out[name] = table.get(raw, raw) or None
            else:
                out[name] = int(raw) if raw.isdigit() else 0
        for name, value in self.m.defaults.items():
            if out.get(name) is None:
                out[name] = value
        return out

    def recorded(self, state: dict) -> dict:
        """What history records for a state: codes as codes, people by login or name."""
        return {f: state.get(f) for f in TRACKED if state.get(f) is not None}

    def agent(self, name) -> int | None:
        if not name:
            return None
        found = self.agents.get(name)
        if found is None:
            self.result.unknown[("agent", name)] += 1
        return found

    def caller(self, name) -> int | None:
        if not name:
            return None
        found = self.callers.get(name)
        if found is None:
            found = self.callers[name] = self.next_caller
            self.next_caller += 1
            self.new_callers.append((found, name))
        return found

    # --- a whole ticket -----------------------------------------------------------------------
    def ticket(self, incident_id: int, number: str, rows: list, events: list, now: datetime, actor_id):
        m, col = self.m, self.col
        history: list = []  # (at, actor id, action, changes, note)
        last: dict = {}
        if m.audit:
            ordered = sorted(rows, key=lambda r: (self._time(r[1][col[m.at]], r[0], m.at) or datetime.min, r[0]))
            for line, row in ordered:
                state = self.state(row, line)
                rec = self.recorded(state)
                changes = {f: [last.get(f), rec.get(f)] for f in TRACKED if rec.get(f) != last.get(f)}
                who = row[col[m.actor]] if m.actor else ""
                at = self._time(row[col[m.at]], line, m.at)
                if at is None:
                    raise _TicketRefused(line, m.at, "no time")
                history.append((at, self.agent(who), FORMER, changes,
                                f"{m.tool}: {who}" if who else m.tool))
                last = rec
            line, row = ordered[-1]
            final = state
        else:
            line, row = rows[-1]
            final = self.state(row, line)
            for at, who, note in events:
                history.append((at, self.agent(who), FORMER, {}, note))
        status = final.get("status")
        if status is None:
            raise _TicketRefused(line, m.fields.get("status", "status"), "no status")
        opened = final.get("opened_at") or (history[0][0] if history else None)
        if opened is None:
            raise _TicketRefused(line, m.fields.get("opened_at", "opened_at"), "no opening time")
        impact, urgency = final.get("impact") or 3, final.get("urgency") or 3
        priority = final.get("priority") or self.config.matrix.priority(impact, urgency)
        final.update(impact=impact, urgency=urgency, priority=priority)
        group = self.groups.get(final.get("group") or "") or self.groups.get(self.config.data.get("incident", {})
                                                                              .get("default_group", "desk"))
        finished = status in ("resolved", "closed")
        resolved_at = final.get("resolved_at") or (final.get("closed_at") if finished else None)
        if finished and resolved_at is None:
            resolved_at = history[-1][0] if history else opened
        closed_at = final.get("closed_at") if status == "closed" else None
        if status == "closed" and closed_at is None:
            closed_at = resolved_at
        final["closure_code"] = (final.get("closure_code") or "fixed") if finished else None
        final["group"] = self._group_code(group)
        rec = self.recorded(final)
        changes = {f: [last.get(f), rec.get(f)] for f in TRACKED if rec.get(f) != last.get(f)}
        history.append((now, actor_id, MIGRATED, changes, f"{m.tool} {number}"))
        targets = self.config.targets(priority)
        times = [t for t in (opened, resolved_at, closed_at, *(h[0] for h in history[:-1])) if t]
        incident = {
            "id": incident_id, "title": _fill(m.title, row, col) or number,
            "description": _fill(m.description, row, col), "source": final.get("source") or "phone",
            "classification": final.get("classification") or "incident", "caller": self.caller(final.get("caller")),
            "category": final.get("category") or "other", "impact": impact, "urgency": urgency,
            "priority": priority, "status": status, "tier": group[1] if group else 1,
            "group": group[0] if group else None, "assignee": self.agent(final.get("assignee")),
            "reopen_count": final.get("reopen_count") or 0, "vendor_ref": "", "escalation_level": 0, "opened_at": opened,
            "first_response_at": final.get("first_response_at"), "resolved_at": resolved_at,
            "closed_at": closed_at, "updated_at": max(times), "closure_code": final["closure_code"],
            "resolution": _fill(m.resolution, row, col) if finished else "",
            "due_at": opened + timedelta(minutes=targets.resolve_minutes) if targets else None,
            "version": len(history), "external_ref": number, "origin": f"migrate:{m.name}:{number}",
        }
        return incident, history

    def _group_code(self, group) -> str | None:
        if group is None:
            return None
        return next(code for code, value in self.groups.items() if value == group)


def migrate_csv(desk, mapping: Mapping, path: str, events_path: str | None = None, login: str | None = None,
                progress: Progress | None = None) -> MigrateResult:
    from desk.models import Incident
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
            except _TicketRefused as err:
                result.refused.append((events_path, err.line, err.column, row[ecol[ev.number]], err.why))
                continue
            key = (at, row[ecol[ev.order]] if ev.order else "", line)
            events.setdefault(row[ecol[ev.number]], []).append(
                (key, row[ecol[ev.actor]] if ev.actor else "", _fill(ev.note, row, ecol)))
        for number in events:
            events[number] = [(k[0], who, note) for k, who, note in sorted(events[number])]
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
        builder = _Builder(desk, mapping, col, result)
        next_id = (db.execute_sql("SELECT MAX(id) FROM incident").fetchone()[0] or 0) + 1
        incidents: list = []
        history: list = []
        for count, (number, ticket_rows) in enumerate(tickets.items(), start=1):
            if prefix + number in done:
                result.already += 1
                continue
            try:
                incident, rows_ = builder.ticket(next_id, number, ticket_rows, events.get(number, []), now, actor.id)
            except _TicketRefused as err:
                result.refused.append((path, err.line, err.column, number, err.why))
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
        for _name, sql in dropped:
            db.execute_sql(sql)
        if bulk:
            schema.ensure_search(db)
        if not is_sqlite(db):
            for table in ("incident", "history", "caller"):
                db.execute_sql(f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), "
                               f"GREATEST(COALESCE((SELECT MAX(id) FROM \"{table}\"), 0), 1))")
    if progress:
        progress(len(tickets), len(tickets))
    result.seconds = time.monotonic() - started
    return result


_FOREIGN = ("caller", "group", "assignee")


def _write(db, builder: _Builder, incidents: list, history: list) -> None:
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
