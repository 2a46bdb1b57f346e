"""Writing demo records fast: blocks of rows, generated here or in worker processes, written in
block order, one write transaction a block: executemany on SQLite, COPY on PostgreSQL.

Any kind of record can use it: `load(desk, make_block, plan, blocks=…)` where `make_block(plan, n)`
is a module-level, pure function returning the n-th block as [(table, columns, rows), …] (the
first table's rows are what progress counts), and `plan` is plain data (it is pickled to the
workers). Big loads run in worker processes (`python -m desk.services.demo --worker`), one per
core, each generating its share of the blocks and writing each block when its turn comes (blocks
are committed in order, so rows and ids are those of a run in one process).

On SQLite, during a load only (`relax` / `restore`): synchronous=OFF and a larger page cache, and
for a first load a rollback journal instead of WAL (each page written once, not twice); index
builds sort in small runs (`sort_in_runs`). All are restored at the end,
synchronous first, so that leaving the rollback journal (or the final checkpoint) syncs the file.
Foreign keys stay enforced. (A desk opened on the file during a first load switches it back to
WAL between two blocks: that costs only speed.)
"""

from __future__ import annotations

import io
import marshal
import os
import pickle
import signal
import subprocess
import sys
import time
import traceback
from collections.abc import Callable, Iterator
from importlib import import_module
from pathlib import Path

from peewee import OperationalError

from desk.db import is_sqlite, open_database, write_transaction
from desk.services.demo.base import Progress

POOL_FROM = 30_000  # below this many records, generate in this process
LOAD_CACHE = -65536  # SQLite page cache (KiB) of a connection writing blocks

Rows = list  # [(table, columns, rows), …]
MakeBlock = Callable[[object, int], Rows]


def default_workers(records: int) -> int:
    """Worker processes for `records`: none for small demos or a single core, else one per core
    (up to 4): each generates blocks and writes them, taking turns to write."""
    cores = os.cpu_count() or 1
    if records < POOL_FROM or cores < 2:
        return 0
    return min(4, cores)


def _write_block(db, writer: Writer, rows: Rows) -> int:
    with write_transaction(db):
        for table, columns, values in rows:
            writer.insert(table, columns, values)
    return len(rows[0][2]) if rows else 0


def _send(sink, message) -> None:
    data = marshal.dumps(message)
    sink.write(len(data).to_bytes(8, "little"))
    sink.write(data)
    sink.flush()


def worker_main() -> None:
    """`python -m desk.services.demo --worker`: generates and writes its share of the blocks.

    Reads a pickle (block function's module and name, plan, target, durability, busy timeout,
    block numbers) from stdin and opens its own connection. For each of its blocks: generate it,
    wait for the parent's go (the block's number, sent once the previous block is committed, so
    rows land in block order and ids come out the same on every run), write it in one
    transaction, answer ("ok", records written) — or ("error", traceback) and stop."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # the parent decides when to stop
    source, sink = sys.stdin.buffer, sys.stdout.buffer
    (module, name), plan, target, durability, busy_ms, blocks = pickle.load(source)
    db = open_database(target, durability, busy_ms)
    if is_sqlite(db):
        # The load's settings. No journal_mode: the parent chose it for the file.
        db.init(db.database, pragmas={"foreign_keys": 1, "busy_timeout": busy_ms, "synchronous": "OFF",
                                      "cache_size": LOAD_CACHE},
                timeout=busy_ms / 1000, check_same_thread=False)
    try:
        make_block = getattr(import_module(module), name)
        db.connect()
        writer = Writer(db)
        for block in blocks:
            rows = make_block(plan, block)
            go = source.read(8)
            if len(go) != 8 or int.from_bytes(go, "little") != block:
                return  # the parent stopped
            _send(sink, ("ok", _write_block(db, writer, rows)))
    except Exception:  # reported to the parent, which raises it
        try:
            _send(sink, ("error", traceback.format_exc()))
        except OSError:
            pass
    finally:
        db.close()


def _spawn_worker() -> subprocess.Popen:
    # The worker imports the package by name, from the same tree as ours.
    root = str(Path(__file__).resolve().parents[__name__.count(".")])
    env = dict(os.environ)
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    return subprocess.Popen([sys.executable, "-m", __package__, "--worker"], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, env=env)


def _receive(proc: subprocess.Popen) -> int:
    size = proc.stdout.read(8)
    data = proc.stdout.read(int.from_bytes(size, "little")) if len(size) == 8 else b""
    if len(size) != 8 or len(data) != int.from_bytes(size, "little"):
        raise RuntimeError(f"demo worker {proc.pid} ended early (exit code {proc.wait()})")
    status, payload = marshal.loads(data)
    if status != "ok":
        raise RuntimeError(f"demo worker failed:\n{payload}")
    return payload


def load(desk, make_block: MakeBlock, plan, *, blocks: int, total: int, label: str, workers: int,
         progress: Progress | None, alongside: Iterator | None = None) -> None:
    """Generate and write blocks 0 … blocks-1, in block order: here, or by `workers` processes that
    take blocks in turn (worker w has blocks w, w + workers, …) and write each when told to.
    Reports (label, records written, total) after each block.

    `alongside`: other writing to do in this process while workers generate (an iterator, one
    step per next(), e.g. indexes.alongside). Steps are taken after a block is committed and
    before the next one is let go, so they never wait for the write lock: at least one, and more
    while they have taken less than a block has taken on average (the worker that just wrote is
    generating meanwhile, so two cores stay busy; a longer pause would leave it waiting too).
    Whatever is left when the blocks are done stays for the caller (with no workers nothing is
    taken: this process is busy generating)."""
    workers = min(workers, blocks)
    done = 0
    if workers <= 1:
        writer = Writer(desk.db)
        for block in range(blocks):
            done += _write_block(desk.db, writer, make_block(plan, block))
            if progress:
                progress(label, done, total)
        return
    procs: list[subprocess.Popen] = []
    try:
        for _ in range(workers):  # all start importing at once
            procs.append(_spawn_worker())
        for w, proc in enumerate(procs):
            pickle.dump(((make_block.__module__, make_block.__qualname__), plan, desk.target, desk.config.durability,
                         desk.config.busy_timeout_ms, list(range(w, blocks, workers))),
                        proc.stdin, protocol=pickle.HIGHEST_PROTOCOL)
            proc.stdin.flush()
    except OSError:  # no Python to start here (an embedded interpreter): do it all in this process
        _stop_workers(procs)
        load(desk, make_block, plan, blocks=blocks, total=total, label=label, workers=0, progress=progress)
        return
    started, stepping = time.perf_counter(), 0.0
    try:
        for block in range(blocks):
            proc = procs[block % workers]
            try:
                proc.stdin.write(block.to_bytes(8, "little"))
                proc.stdin.flush()
            except OSError:  # it has stopped: its answer says why
                pass
            done += _receive(proc)
            if progress:
                progress(label, done, total)
            if alongside is not None and block + 1 < blocks:
                began = time.perf_counter()
                budget = (began - started - stepping) / (block + 1)  # a block's time, steps left out
                while True:
                    if next(alongside, None) is None:
                        alongside = None  # nothing left to do
                        break
                    if time.perf_counter() - began >= budget:
                        break
                stepping += time.perf_counter() - began
    finally:
        _stop_workers(procs)


def _stop_workers(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        for pipe in (proc.stdin, proc.stdout):
            if pipe and not pipe.closed:
                try:
                    pipe.close()
                except OSError:
                    pass
        if proc.poll() is None:
            proc.terminate()
        proc.wait()


# --- writing rows ------------------------------------------------------------------------------------

_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})


def _copy_field(value) -> str:
    """One field in PostgreSQL's COPY text format."""
    if value is None:
        return "\\N"
    if isinstance(value, str):
        return value.translate(_COPY_ESCAPES)
    return str(value)


class Writer:
    """Bulk inserts of plain rows: executemany on SQLite, COPY on PostgreSQL."""

    def __init__(self, db):
        self.db = db
        self.sqlite = is_sqlite(db)
        self.sql: dict[tuple[str, tuple[str, ...]], str] = {}

    def _statement(self, table: str, columns: tuple[str, ...]) -> str:
        names = ", ".join(f'"{c}"' for c in columns)
        if self.sqlite:
            sql = f'INSERT INTO "{table}" ({names}) VALUES ({", ".join("?" for _ in columns)})'
        else:
            sql = f'COPY "{table}" ({names}) FROM STDIN'
        self.sql[table, columns] = sql
        return sql

    def insert(self, table: str, columns: tuple[str, ...], rows) -> None:
        if not rows:
            return
        sql = self.sql.get((table, columns)) or self._statement(table, columns)
        if self.sqlite:
            self.db.connection().executemany(sql, rows)
        else:
            text = "".join("\t".join(map(_copy_field, row)) + "\n" for row in rows)
            self.db.cursor().copy_expert(sql, io.StringIO(text))


# --- SQLite settings for the load ------------------------------------------------------------------------

def relax(db, bulk: bool) -> dict:
    """synchronous OFF and a big cache for the load; for a first load also a rollback journal
    instead of WAL (pages are written once instead of twice). Returns what to restore."""
    saved = {pragma: db.execute_sql(f"PRAGMA {pragma}").fetchone()[0]
             for pragma in ("synchronous", "cache_size", "journal_mode", "threads")}
    db.execute_sql("PRAGMA synchronous = OFF")
    db.execute_sql(f"PRAGMA cache_size = {LOAD_CACHE}")
    if bulk and str(saved["journal_mode"]).lower() == "wal":
        try:
            db.execute_sql("PRAGMA journal_mode = DELETE")
        except OperationalError:  # another connection is open: stay in WAL
            pass
    return saved


def restore(db, saved: dict) -> None:
    """Put the settings back. synchronous first: leaving the rollback journal (or the checkpoint
    in WAL) then syncs the file, so what was loaded is durable."""
    if not saved:
        return
    db.execute_sql(f"PRAGMA synchronous = {int(saved['synchronous'])}")
    db.execute_sql(f"PRAGMA cache_size = {int(saved['cache_size'])}")
    db.execute_sql(f"PRAGMA threads = {int(saved['threads'])}")
    mode = str(saved["journal_mode"]).lower()
    if str(db.execute_sql("PRAGMA journal_mode").fetchone()[0]).lower() != mode:
        try:
            db.execute_sql(f"PRAGMA journal_mode = {mode}")
        except OperationalError:  # someone holds the file: the next connection sets WAL (desk.db's pragmas)
            return
    if mode == "wal":
        db.execute_sql("PRAGMA wal_checkpoint(PASSIVE)")  # never waits for readers (a TUI may be open)


SORT_CACHE = -2000  # KiB: the page cache, and so the runs SQLite's sorter sorts in memory, of an index build


def sort_in_runs(db, helpers: bool = True) -> None:
    """Before building indexes on SQLite: sort in small runs (2 MB ones fit the processor's
    cache: at 300k incidents a 64 MB cache took 7.2 s of CPU to build history's three indexes,
    2 MB 4.9 s, 0.5 MB 6.6 s). With `helpers`, SQLite's sorter works in helper threads too
    (`PRAGMA threads`): a third more CPU (history's three at 300k 6.4 s instead of 4.9) for ~1.4
    cores, so a shorter build when nothing else runs (at 1M history's three took 15.5 s of wall
    with them, 18.8 s without). Without them while workers generate beside the build
    (indexes.alongside): the second core is theirs."""
    db.execute_sql(f"PRAGMA cache_size = {SORT_CACHE}")
    db.execute_sql(f"PRAGMA threads = {min(4, os.cpu_count() or 1) if helpers else 0}")
