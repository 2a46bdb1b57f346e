"""`desk backup DEST`: a consistent copy of a SQLite desk while others keep writing.

SQLite's online backup API copies the database page by page. Left to itself, a step that
finds the source changed by another connection starts the copy over, so under a steady
stream of writes a big file would never finish. We hold one read transaction on the source
for the whole copy instead: in WAL mode that pins a snapshot (writers carry on, they only
append to the WAL) and every step copies from that same snapshot — one consistent state, in
bounded time, with progress.

The copy is written to a temporary file next to DEST, checked (PRAGMA quick_check), switched
to a self-contained rollback journal, fsynced and then renamed onto DEST: a crash or a full
disk never leaves a half-written DEST. It gets the source's file permissions (a backup must
not be more readable than the database). PostgreSQL has its own tools: pg_dump.
"""

from __future__ import annotations

import os
import sqlite3
import stat
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import timezone
from pathlib import Path

from desk.domain.errors import DeskError
from desk.timefmt import zone

PAGES_PER_STEP = 1024


class UsePgDump(DeskError):
    """`desk backup` on PostgreSQL: explain pg_dump instead (a usage matter: exit 2)."""

    key = "ops.backup.postgres"
    exit_code = 2


class BackupRefused(DeskError):
    key = "ops.backup.exists"


@dataclass(frozen=True)
class BackupResult:
    path: str
    pages: int
    bytes: int
    seconds: float


def pg_dump_command(target) -> str:
    schema = target.schema
    parts = ["pg_dump", "--format=custom", "--file=DEST"]
    if schema:
        parts.append(f"--schema={schema}")
    # The displayed URL never carries the password: pg_dump reads ~/.pgpass or PGPASSWORD.
    parts.append(f"'{target.server_url}'")
    return " ".join(parts)


def destination(desk, dest: str) -> Path:
    """DEST as given; a directory means a file inside it named by the time in the desk's zone, as
    the operator reading the directory knows it, with its UTC offset (`desk-20261102-170000+0800.db`):
    fixed width, so within one offset the names sort as the backups were made. (Until 2026-12 the
    name was the UTC time without an offset, `desk-20261102-090000.db`: those still sort among
    themselves; nothing in desk reads the names back.)"""
    path = Path(dest).expanduser()
    if path.is_dir():
        stem = Path(desk.target.path).stem or "desk"
        at = desk.now().replace(tzinfo=timezone.utc).astimezone(zone(desk.config))
        path = path / f"{stem}-{at.strftime('%Y%m%d-%H%M%S%z')}.db"
    return path.absolute()


def backup(desk, dest: str, *, force: bool = False,
           progress: Callable[[int, int], None] | None = None,
           pages_per_step: int = PAGES_PER_STEP) -> BackupResult:
    if desk.target.kind != "sqlite":
        raise UsePgDump(command=pg_dump_command(desk.target))
    source = Path(desk.target.path)
    path = destination(desk, dest)
    if path.exists() or path.is_symlink():
        if path.resolve() == source.resolve():
            raise BackupRefused("ops.backup.same_file", path=str(path))
        if not force:
            raise BackupRefused(path=str(path))
        if path.is_dir():
            raise BackupRefused("ops.backup.is_dir", path=str(path))
    if not path.parent.is_dir():
        raise BackupRefused("ops.backup.no_dir", path=str(path.parent))

    started = time.monotonic()
    mode = stat.S_IMODE(os.stat(source).st_mode)
    partial = path.with_name(f".{path.name}.partial-{os.getpid()}")
    # Created with no access for anyone else, whatever the umask; opened up to the source's
    # permissions only once the copy is complete.
    fd = os.open(partial, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600)
    os.close(fd)
    try:
        pages = _copy(str(source), str(partial), desk.config.busy_timeout_ms, progress, pages_per_step)
        os.chmod(partial, mode)
        _fsync(partial)
        os.replace(partial, path)
        _fsync_dir(path.parent)
    except BaseException:
        for leftover in (partial, Path(f"{partial}-journal")):
            try:
                leftover.unlink()
            except FileNotFoundError:
                pass
        raise
    return BackupResult(str(path), pages, os.path.getsize(path), time.monotonic() - started)


def _copy(source: str, target: str, busy_timeout_ms: int, progress, pages_per_step: int) -> int:
    src = sqlite3.connect(source, isolation_level=None, timeout=busy_timeout_ms / 1000)
    dst = sqlite3.connect(target, isolation_level=None)
    total = 0
    try:
        # The read transaction that pins one snapshot for every step (see the module docstring).
        src.execute("BEGIN")
        src.execute("SELECT COUNT(*) FROM sqlite_master").fetchone()

        def step(status, remaining, pages):
            nonlocal total
            total = pages
            if progress:
                progress(pages - remaining, pages)

        src.backup(dst, pages=pages_per_step, progress=step)
        src.execute("COMMIT")
        try:
            (verdict,) = dst.execute("PRAGMA quick_check").fetchone()
        except sqlite3.DatabaseError as exc:  # a page too damaged for the check to go on: its own words
            verdict = str(exc)
        if verdict != "ok":
            raise DeskError("ops.backup.bad_copy", detail=verdict)
        # A backup is one self-contained file: no -wal beside it. desk switches it back to WAL
        # when it is opened as a database again.
        dst.execute("PRAGMA journal_mode=DELETE").fetchone()
    finally:
        dst.close()
        src.close()
    return total


def _fsync(path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path) -> None:
    try:
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
