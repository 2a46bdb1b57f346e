"""`desk import FILE`: merge another desk's export into this one, in one transaction.

Each row is recognised by its origin ("<desk>:<id>", docs/export-format.md) — through the table's
`origin` column (incidents), `transfer_origin` (rows imported before), or, for a row first
recorded on this desk, its own id — else by its natural key (a group's code, an agent's login,
a code table entry): those rows are this desk's already and keep this desk's values. A row not
found is created: with its own id when that id is above every id the table held (an empty desk
gets every id unchanged), else with the next id above both desks' (ids that collide are mapped,
and every foreign key and history reference follows the mapping).

A record found again (imported before, or this desk's own coming back) is brought forward when
the file has more of it: a record with a `version` when its history here is the beginning of the
file's (desk.services.transfer.chains); a row without one when it is unchanged here since it was
imported (the digest kept in transfer_origin). Changed on both desks: this desk's is kept and the
record is reported as a conflict. Importing the same file twice changes nothing the second time.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field

from peewee import IntegrityError

from desk.db import is_sqlite, write_transaction
from desk.services.transfer import chains
from desk.services.transfer import spec as specs_
from desk.services.transfer.export import _q, converters
from desk.services.transfer.reader import ImportRefused, Reader
from desk.system_words import own_words

BATCH = 2000
BULK_SEARCH = 20_000  # incidents in a file above which the title search is refilled once at the end

Progress = Callable[[int, int], None]


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    conflicts: int = 0


@dataclass
class ImportResult:
    tables: dict = field(default_factory=dict)  # table -> Counts
    conflicts: list = field(default_factory=list)  # (table, local id, origin)
    rows: int = 0
    seconds: float = 0.0

    def counts(self, table: str) -> Counts:
        return self.tables.setdefault(table, Counts())

    def total(self, name: str) -> int:
        return sum(getattr(c, name) for c in self.tables.values())


def digest(values) -> str:
    return hashlib.sha1(json.dumps(values, ensure_ascii=False, separators=(",", ":"), default=str)
                        .encode("utf-8")).hexdigest()


class _Table:
    """One target table while its rows are read."""

    def __init__(self, imp: "_Importer", spec: specs_.TableSpec, info: dict):
        db, path = imp.db, imp.reader.path
        self.spec = spec
        incoming = list(info.get("columns") or [])
        unknown = [c for c in incoming if c not in spec.columns]
        if unknown:
            raise ImportRefused("transfer.import.newer", path=path, table=spec.name, column=unknown[0],
                                schema=imp.reader.header.get("schema"))
        if spec.pk not in incoming:
            raise ImportRefused("transfer.import.not_export", path=path)
        self.take = [incoming.index(c) if c in incoming else None for c in spec.columns]
        fields = {f.column_name: f for f in spec.model._meta.sorted_fields}
        self.defaults = [None if i is not None else _default(fields[c]) for c, i in zip(spec.columns, self.take)]
        self.src_pk = incoming.index(spec.pk)
        self.refs = [(spec.columns.index(c), t) for c, t in spec.refs.items()]
        col = spec.columns.index
        self.soft = (col("entity"), col("entity_id")) if spec.soft_ref else None
        self.origin_at = col("origin") if spec.origin_column else None
        self.version_at = col("version") if spec.versioned else None
        top = db.execute_sql(f"SELECT MAX({_q(spec.pk)}) FROM {_q(spec.name)}").fetchone()[0]
        self.keep_above = top or 0
        self.next_id = max(self.keep_above, info.get("max") or 0) + 1
        self.map: dict = imp.maps.setdefault(spec.name, {})
        self.expected = info.get("rows")
        self.seen = 0
        self.buffer: list = []
        self.origins: dict = {}  # origin -> (local id, digest)
        if spec.chained:
            return
        if spec.origin_column:
            rows = db.execute_sql(f"SELECT origin, {_q(spec.pk)} FROM {_q(spec.name)} WHERE origin IS NOT NULL")
            self.origins = {o: (i, "") for o, i in rows}
        elif db.table_exists("transfer_origin"):
            rows = db.execute_sql("SELECT origin, local_id, digest FROM transfer_origin WHERE tbl = "
                                  + db.param, (spec.name,))
            self.origins = {o: (i, d) for o, i, d in rows}
        self.natural: dict = {}
        if spec.natural_key:
            cols = ", ".join(_q(c) for c in spec.natural_key)
            self.key_at = [col(c) for c in spec.natural_key]
            rows = db.execute_sql(f"SELECT {cols}, {_q(spec.pk)} FROM {_q(spec.name)}")
            self.natural = {tuple(r[:-1]): r[-1] for r in rows}
        self.unique_at = [(col(c), c) for c in spec.nullable_unique]
        self.convert = converters(spec)
        cols = ", ".join(_q(c) for c in spec.columns)
        self.read_sql = f"SELECT {cols} FROM {_q(spec.name)} WHERE {_q(spec.pk)} = {db.param}"


def _default(field):
    value = field.default
    return value() if callable(value) else value


class _Importer:
    def __init__(self, desk, reader: Reader, result: ImportResult, progress: Progress | None):
        from desk.services.schema import DESK_ID_KEY
        from desk.models import Setting

        self.desk, self.db, self.reader, self.result, self.progress = desk, desk.db, reader, result, progress
        self.src_desk = str(reader.header["desk"])
        row = Setting.get_or_none(Setting.key == DESK_ID_KEY)
        self.own_desk = row.value if row else None
        self.specs = {s.name: s for s in specs_.specs()}
        self.maps: dict = {}
        self.tables: dict = {}
        self.current: _Table | None = None
        self.pending: dict = {}  # (table, local id) -> row: a record the file has more of
        self.new_origins: list = []
        self.origin_updates: list = []
        self.stage = None
        for name, info in reader.header["tables"].items():
            if name not in self.specs and (info or {}).get("rows"):
                raise ImportRefused("transfer.import.newer", path=reader.path, table=name, column="*",
                                    schema=reader.header.get("schema"))

    # --- rows -----------------------------------------------------------------------------------
    def table(self, name: str) -> _Table:
        if self.current is not None and self.current.spec.name == name:
            return self.current
        if name in self.tables or name not in self.specs or name not in self.reader.header["tables"]:
            raise ImportRefused("transfer.import.out_of_place", path=self.reader.path, line=self.reader.line_no,
                                column=1, name=name)
        self.close_table()
        self.current = self.tables[name] = _Table(self, self.specs[name], self.reader.header["tables"][name])
        if self.current.spec.chained:
            self.stage = chains.Stage(self)
        return self.current

    def close_table(self) -> None:
        t = self.current
        if t is None:
            return
        self.flush(t)
        if t.seen != t.expected:
            raise ImportRefused("transfer.import.count", path=self.reader.path, table=t.spec.name, found=t.seen,
                                expected=t.expected)

    def row(self, line: list) -> None:
        t = self.table(line[0])
        t.seen += 1
        src = line[2:]
        if len(src) != len(self.reader.header["tables"][t.spec.name]["columns"]):
            raise ImportRefused("transfer.import.values", path=self.reader.path, line=self.reader.line_no, column=1,
                                name=t.spec.name, found=len(src),
                                expected=len(self.reader.header["tables"][t.spec.name]["columns"]))
        rec = [src[i] if i is not None else d for i, d in zip(t.take, t.defaults)]
        for at, ref in t.refs:
            value = rec[at]
            if value is not None:
                rec[at] = self.maps.get(ref, {}).get(value, value)
        if t.soft:
            entity, at = rec[t.soft[0]], t.soft[1]
            if rec[at] is not None:
                rec[at] = self.maps.get(specs_.entity_table(entity), {}).get(rec[at], rec[at])
        src_id = src[t.src_pk]
        if t.spec.chained:
            self.stage.add(t, rec, src)
            return
        origin = line[1] or f"{self.src_desk}:{src_id}"
        if t.origin_at is not None:
            rec[t.origin_at] = origin
        local, how, kept = self.find(t, origin, rec)
        counts = self.result.counts(t.spec.name)
        if local is None:
            local = src_id if (not t.spec.auto_id or src_id > t.keep_above) else self._next(t)
            rec[0] = local
            self._free_unique(t, rec)
            t.buffer.append(rec)
            if t.origin_at is None and not origin.startswith(f"{self.own_desk}:"):
                self.new_origins.append((t.spec.name, origin, local, digest(rec[1:])))
            counts.created += 1
            if len(t.buffer) >= BATCH:
                self.flush(t)
        else:
            rec[0] = local
            self.merge(t, rec, origin, how, kept, counts)
        if local != src_id:
            t.map[src_id] = local

    def _next(self, t: _Table) -> int:
        value = t.next_id
        t.next_id += 1
        return value

    def find(self, t: _Table, origin: str, rec: list):
        """(local id, how, digest kept at the last import) of the row here, or (None, …)."""
        found = t.origins.get(origin)
        if found is not None:
            return found[0], "origin", found[1]
        desk_id, _, own = origin.rpartition(":")
        if desk_id == self.own_desk and own.lstrip("-").isdigit():
            if self.db.execute_sql(t.read_sql, (int(own),)).fetchone() is not None:
                return int(own), "own", None
        if t.natural:
            local = t.natural.get(tuple(rec[i] for i in t.key_at))
            if local is not None:
                return local, "natural", None
        return None, None, None

    def merge(self, t: _Table, rec: list, origin: str, how: str, kept, counts: Counts) -> None:
        if how == "natural":  # this desk's own row (a code, a group, an agent): kept as it is here
            counts.unchanged += 1
            return
        if t.version_at is not None:
            here = self.db.execute_sql(f"SELECT version FROM {_q(t.spec.name)} WHERE {_q(t.spec.pk)} = "
                                       f"{self.db.param}", (rec[0],)).fetchone()[0]
            if (rec[t.version_at] or 0) > here:
                self.pending[(t.spec.name, rec[0])] = (t, rec, origin)  # decided by its history
            else:
                counts.unchanged += 1
            return
        local_row = list(self.db.execute_sql(t.read_sql, (rec[0],)).fetchone())
        for i, f in enumerate(t.convert):
            if f is not None:
                local_row[i] = f(local_row[i])
        here, there = digest(local_row[1:]), digest(rec[1:])
        if here == there:
            counts.unchanged += 1
        elif how == "origin" and here == kept:
            self.update(t, rec)
            self.origin_updates.append((there, t.spec.name, origin))
            counts.updated += 1
        else:
            counts.conflicts += 1
            self.result.conflicts.append((t.spec.name, rec[0], origin))

    def _free_unique(self, t: _Table, rec: list) -> None:
        """A unique value that may be NULL (an alert's open key) and is taken here is imported as NULL."""
        for at, column in t.unique_at:
            if rec[at] is not None and self.db.execute_sql(
                    f"SELECT 1 FROM {_q(t.spec.name)} WHERE {_q(column)} = {self.db.param}", (rec[at],)).fetchone():
                rec[at] = None

    # --- writing --------------------------------------------------------------------------------
    def flush(self, t: _Table) -> None:
        if not t.buffer:
            return
        cols = ", ".join(_q(c) for c in t.spec.columns)
        marks = ", ".join([self.db.param] * len(t.spec.columns))
        self.executemany(f"INSERT INTO {_q(t.spec.name)} ({cols}) VALUES ({marks})", t.buffer, t.spec.name)
        t.buffer = []

    def update(self, t: _Table, rec: list) -> None:
        sets = ", ".join(f"{_q(c)} = {self.db.param}" for c in t.spec.columns[1:])
        self.executemany(f"UPDATE {_q(t.spec.name)} SET {sets} WHERE {_q(t.spec.pk)} = {self.db.param}",
                         [[*rec[1:], rec[0]]], t.spec.name)

    def executemany(self, sql: str, rows: list, table: str) -> None:
        try:
            cursor = self.db.cursor()
            cursor.executemany(sql, rows)
        except IntegrityError as exc:
            raise ImportRefused("transfer.import.integrity", path=self.reader.path, table=table,
                                why=own_words(exc)) from None
        except Exception as exc:  # psycopg2's own IntegrityError/DataError, not wrapped by peewee here
            if type(exc).__module__.startswith("psycopg2"):
                raise ImportRefused("transfer.import.integrity", path=self.reader.path, table=table,
                                    why=own_words(exc)) from None
            raise

    def follow(self) -> None:
        """Rows that copy the rows just read follow them (spec.FOLLOW)."""
        from importlib import import_module

        for table, (copies, where) in specs_.FOLLOW.items():
            if table in self.tables:
                module, _, name = where.partition(":")
                moved = getattr(import_module(module), name)(self.desk)
                counts = self.result.counts(copies)
                counts.updated += moved
                counts.unchanged -= min(counts.unchanged, moved)  # (read as this desk's own, then moved)

    def finish(self) -> None:
        self.close_table()
        if self.stage is not None:
            self.stage.finish()
        self.follow()
        for key, (t, rec, origin) in self.pending.items():  # newer in the file, but no history to match
            self.result.counts(t.spec.name).conflicts += 1
            self.result.conflicts.append((t.spec.name, rec[0], origin))
        if self.new_origins:
            self.executemany("INSERT INTO transfer_origin (tbl, origin, local_id, digest) VALUES "
                             f"({', '.join([self.db.param] * 4)})", self.new_origins, "transfer_origin")
        if self.origin_updates:
            p = self.db.param
            self.executemany(f"UPDATE transfer_origin SET digest = {p} WHERE tbl = {p} AND origin = {p}",
                             self.origin_updates, "transfer_origin")
        if not is_sqlite(self.db):
            for t in self.tables.values():
                if t.spec.auto_id:
                    self.db.execute_sql(
                        f"SELECT setval(pg_get_serial_sequence('{t.spec.name}', '{t.spec.pk}'), "
                        f"GREATEST(COALESCE((SELECT MAX({_q(t.spec.pk)}) FROM {_q(t.spec.name)}), 0), 1))")


def drop_indexes(db, tables) -> list[tuple[str, str]]:
    """SQLite, a big import: the tables' non-unique indexes are dropped and made again at the end,
    in the same transaction (one sort each instead of a B-tree insert per row and index).
    Returns (name, CREATE statement) of each."""
    marks = ", ".join("?" for _ in tables)
    rows = db.execute_sql(f"SELECT name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL "
                          f"AND tbl_name IN ({marks})", tuple(tables)).fetchall()
    out = [(name, sql) for name, sql in rows if not sql.lstrip().upper().startswith("CREATE UNIQUE")]
    for name, _sql in out:
        db.execute_sql(f'DROP INDEX "{name}"')
    return out


def import_file(desk, path: str, progress: Progress | None = None) -> ImportResult:
    """Merge the export at `path` into the desk, all or nothing."""
    from desk.services import schema

    started = time.monotonic()
    result = ImportResult()
    reader = Reader(path)
    try:
        incidents = (reader.header["tables"].get("incident") or {}).get("rows") or 0
        bulk = is_sqlite(desk.db) and incidents >= BULK_SEARCH
        with write_transaction(desk.db):
            if not is_sqlite(desk.db):
                for s in specs_.specs():
                    desk.db.execute_sql(f"LOCK TABLE {_q(s.name)} IN EXCLUSIVE MODE")
            dropped = schema.drop_search_triggers(desk.db) if bulk else []
            indexes = drop_indexes(desk.db, ("incident", "history")) if bulk else []
            imp = _Importer(desk, reader, result, progress)
            for line in reader.rows():
                imp.row(line)
                result.rows += 1
                if progress and result.rows % 5000 == 0:
                    progress(reader.done_bytes, reader.size)
            imp.finish()
            for _name, sql in dropped + indexes:
                desk.db.execute_sql(sql)
            if bulk:
                schema.ensure_search(desk.db)
        if progress:
            progress(reader.size, reader.size)
    finally:
        reader.close()
    result.seconds = time.monotonic() - started
    return result
