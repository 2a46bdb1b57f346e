"""`desk export --format jsonl`: every exported table (desk.services.transfer.spec) as JSON lines,
read in one snapshot while others keep working. The format is in docs/export-format.md:

    {"format": "desk-export", "version": 1, "desk": ..., "schema": ..., "tables": {...}}   the header
    ["incident", null, 1, "VPN drops", ...]                                                 one per row
    {"end": true, "rows": 12345, "sha256": "..."}                                           the trailer

A file without its trailer, or whose bytes do not match the trailer's digest, is refused whole
by `desk import`.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from desk.db import is_sqlite
from desk.domain.errors import DeskError
from desk.services.transfer import spec as specs_

FORMAT = "desk-export"
VERSION = 1
PROGRESS_EVERY = 5000
ORIGIN_TABLE = "transfer_origin"

Progress = Callable[[int, int], None]


@dataclass
class ExportResult:
    rows: int = 0
    tables: dict = field(default_factory=dict)  # table -> rows
    bytes: int = 0


def _q(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


@contextmanager
def snapshot(db):
    """One read snapshot for the whole export: later commits by others are not seen."""
    with db.atomic():
        if is_sqlite(db):
            db.execute_sql("SELECT 1 FROM sqlite_master LIMIT 1").fetchone()  # the read starts here
        else:
            db.execute_sql("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        yield


def stream(db, sql: str, params=()) -> Iterator[tuple]:
    """Rows of a query with bounded memory (PostgreSQL: a server-side cursor, as desk check reads)."""
    if is_sqlite(db):
        yield from db.execute_sql(sql, params)
        return
    # WITH HOLD: psycopg2 refuses a named cursor on an autocommit connection otherwise (peewee BEGINs in SQL).
    cursor = db.connection().cursor(name=f"desk_export_{uuid.uuid4().hex}", withhold=True)
    cursor.itersize = 5000
    try:
        cursor.execute(sql, params)
        yield from cursor
    finally:
        cursor.close()


def has_origins(db) -> bool:
    return db.table_exists(ORIGIN_TABLE)


def row_query(db, spec: specs_.TableSpec) -> str:
    """origin, then the table's columns, in primary-key order."""
    cols = ", ".join(f"t.{_q(c)}" for c in spec.columns)
    if spec.origin_column:
        return f"SELECT t.origin, {cols} FROM {_q(spec.name)} t ORDER BY t.{_q(spec.pk)}"
    if has_origins(db):
        return (f"SELECT o.origin, {cols} FROM {_q(spec.name)} t LEFT JOIN {ORIGIN_TABLE} o "
                f"ON o.tbl = '{spec.name}' AND o.local_id = t.{_q(spec.pk)} ORDER BY t.{_q(spec.pk)}")
    return f"SELECT NULL, {cols} FROM {_q(spec.name)} t ORDER BY t.{_q(spec.pk)}"


def converters(spec: specs_.TableSpec) -> list:
    """Per column: None (the value as the driver gives it) or a function to a JSON value.
    Times are `YYYY-MM-DD HH:MM:SS[.ffffff]` (naive UTC, as desk stores them), booleans true/false."""
    out = []
    for column in spec.columns:
        if column in spec.times:
            out.append(lambda v: v if v is None or isinstance(v, str) else str(v))
        elif column in spec.flags:
            out.append(lambda v: v if v is None else bool(v))
        else:
            out.append(None)
    return out


class _Hashing:
    def __init__(self, raw):
        self.raw = raw
        self.digest = hashlib.sha256()
        self.bytes = 0

    def write(self, data: bytes) -> None:
        self.digest.update(data)
        self.bytes += len(data)
        self.raw.write(data)


def _dumps(value) -> bytes:
    return (json.dumps(value, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def write_jsonl(desk, out, progress: Progress | None = None) -> ExportResult:
    """Write the export to the binary stream `out`."""
    from desk.services.schema import DESK_ID_KEY, schema_version
    from desk.models import Setting

    db = desk.db
    result = ExportResult()
    tables = specs_.specs()
    with snapshot(db):
        desk_row = Setting.get_or_none(Setting.key == DESK_ID_KEY)
        counts, tops = {}, {}
        for s in tables:
            counts[s.name], tops[s.name] = db.execute_sql(
                f"SELECT COUNT(*), MAX({_q(s.pk)}) FROM {_q(s.name)}").fetchone()
        total = sum(counts.values())
        header = {
            "format": FORMAT,
            "version": VERSION,
            "desk": desk_row.value if desk_row else None,
            "schema": schema_version(db),
            "exported_at": str(desk.now()),
            "tables": {s.name: {"columns": list(s.columns), "rows": counts[s.name], "max": tops[s.name]}
                       for s in tables},
        }
        sink = _Hashing(out)
        sink.write(_dumps(header))
        if progress:
            progress(0, total)
        done = 0
        for s in tables:
            convert = list(enumerate(converters(s), start=2))
            convert = [(i, f) for i, f in convert if f is not None]
            name = s.name
            for row in stream(db, row_query(db, s)):
                line = [name, *row]
                for i, f in convert:
                    line[i] = f(line[i])
                sink.write(_dumps(line))
                done += 1
                if progress and done % PROGRESS_EVERY == 0:
                    progress(done, total)
            result.tables[name] = counts[name]
        result.rows = done
        trailer = {"end": True, "rows": done, "sha256": sink.digest.hexdigest()}
        out.write(_dumps(trailer))
        result.bytes = sink.bytes
        if progress:
            progress(total, total)
    return result


@contextmanager
def output_file(path: str | None):
    """A binary stream to write to: stdout for None or "-"; else a temporary file next to PATH,
    renamed onto it only once complete (a failed export leaves no half-written file)."""
    import sys

    if path in (None, "-"):
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    from desk.parse_faults import os_said

    target = os.path.abspath(path)
    partial = os.path.join(os.path.dirname(target), f".{os.path.basename(target)}.partial-{os.getpid()}")
    try:
        fd = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    except OSError as exc:  # a folder that does not exist, or one the user may not write in
        raise DeskError("transfer.export.unwritable", path=path, why=os_said(exc)) from None
    try:
        with os.fdopen(fd, "wb", buffering=1 << 20) as fh:
            yield fh
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(partial, target)
    except BaseException as exc:
        try:
            os.unlink(partial)
        except FileNotFoundError:
            pass
        if isinstance(exc, OSError):  # the disk filled up, the target is a folder …
            raise DeskError("transfer.export.unwritable", path=path, why=os_said(exc)) from None
        raise
