"""Opening the database: SQLite file (default) or PostgreSQL URL, chosen at start-up.

Models are bound to `database`, a proxy, so nothing connects at import time; `open_database`
initialises it from a path or URL. Writers use `write_transaction`, which on SQLite begins
IMMEDIATE: a deferred transaction that reads then writes fails at once with "database is
locked" under concurrency, whatever the busy timeout.

With durability "full", `write_transaction` commits without SQLite's fsync and syncs the WAL
itself once the writer lock is released, before returning: an acknowledged change is on disk as
before, but the next writer no longer waits out this one's fsync (figure 5: the fsync was most of
the time a writer held the lock). See `write_transaction`.
"""

from __future__ import annotations

import fcntl
import os
import stat
import threading
import time
from contextlib import contextmanager
from pathlib import Path
from typing import NamedTuple
from urllib.parse import parse_qs, unquote, urlparse

from peewee import DatabaseProxy, OperationalError, PostgresqlDatabase, SqliteDatabase

database = DatabaseProxy()

SYNCHRONOUS = {"full": "FULL", "normal": "NORMAL"}


class Target(NamedTuple):
    """Where the database is: `kind` is "sqlite" or "postgres". (A NamedTuple: a frozen dataclass
    costs ~0.6 ms to create at import.)"""

    kind: str
    path: str = ""
    url: str = ""

    @property
    def display(self) -> str:
        """Where the database is, as messages show it: the file, or the URL without its password,
        with the schema when it names one (two desks in one PostgreSQL database differ by it alone)."""
        if self.kind == "sqlite":
            return self.path
        schema = self.schema
        return self.server_url + (f"?schema={schema}" if schema else "")

    @property
    def server_url(self) -> str:
        """A PostgreSQL URL without its password and query (what pg_dump is given)."""
        parsed = urlparse(self.url)
        # Never echo a password.
        host = parsed.hostname or "localhost"
        port = f":{parsed.port}" if parsed.port else ""
        return f"postgresql://{parsed.username or ''}@{host}{port}{parsed.path}"

    @property
    def schema(self) -> str | None:
        """The schema a PostgreSQL URL names (`?schema=`: the first of its search path), else None."""
        if self.kind == "sqlite":
            return None
        names = parse_qs(urlparse(self.url).query).get("schema")
        first = names[-1].split(",")[0].strip() if names else ""
        return first or None

    @property
    def short(self) -> str:
        """The database's name as the header shows it: the file's name, or the PostgreSQL
        database with its schema."""
        if self.kind == "sqlite":
            return os.path.basename(self.path)
        database = urlparse(self.url).path.lstrip("/") or "postgres"
        return f"{database}?schema={self.schema}" if self.schema else database


def default_path() -> Path:
    base = os.environ.get("XDG_DATA_HOME") or os.path.join(os.path.expanduser("~"), ".local", "share")
    return Path(base) / "desk" / "desk.db"


def resolve_target(value: str | None) -> Target:
    value = value or os.environ.get("DESK_DB") or str(default_path())
    if value.startswith(("postgres://", "postgresql://")):
        return Target("postgres", url=value)
    if value.startswith("sqlite:///"):
        value = value[len("sqlite:///"):]
    return Target("sqlite", path=os.path.abspath(os.path.expanduser(value)))


class WriterGate:
    """Writers on one SQLite file queue on a sidecar file lock before BEGIN IMMEDIATE.

    SQLite's own busy handler sleeps in growing steps up to 100 ms, so under contention a
    writer may wait most of a second after the lock is free (measured: p99 ~1 s with 8 agents).
    Here a waiter polls a kernel file lock every 0.1–2 ms instead. The lock dies with its
    process, so a killed writer never leaves it held. SQLite's own locking still applies
    to writers that bypass desk (the sqlite3 shell).
    """

    def __init__(self, path: str, timeout_s: float):
        self.path = path + ".writer-lock"
        self.timeout_s = timeout_s
        self._local = threading.local()

    def _fd(self) -> int:
        # One open file description per thread: flock between threads of one process must conflict.
        fd = getattr(self._local, "fd", None)
        if fd is None:
            try:
                fd = os.open(self.path, os.O_RDWR | os.O_CREAT, 0o660)
                if os.fstat(fd).st_uid == os.getuid():
                    # Like the database file: every agent of the group must be able to queue here.
                    os.fchmod(fd, 0o660)
            except OSError:
                fd = -1  # e.g. a read-only directory: fall back to SQLite's own locking
            self._local.fd = fd
            self._local.depth = 0
        return fd

    @contextmanager
    def hold(self):
        fd = self._fd()
        if fd < 0:
            yield
            return
        if self._local.depth:
            self._local.depth += 1
            try:
                yield
            finally:
                self._local.depth -= 1
            return
        deadline = time.monotonic() + self.timeout_s
        delay = 0.0001
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise OperationalError("database is locked (waited for another writer)") from None
                time.sleep(delay)
                delay = min(delay * 2, 0.002)
        self._local.depth = 1
        try:
            yield
        finally:
            self._local.depth = 0
            fcntl.flock(fd, fcntl.LOCK_UN)


def _sqlite(path: str, durability: str, busy_timeout_ms: int, create: bool = True) -> SqliteDatabase:
    if not create and not os.path.exists(path):
        # A mistyped --db must not leave an empty file behind.
        raise FileNotFoundError(path)
    parent = os.path.dirname(path)
    if parent:
        os.makedirs(parent, exist_ok=True)
    if not os.path.exists(path):
        # The file's permissions are the boundary on a shared host: owner and group only.
        fd = os.open(path, os.O_CREAT | os.O_WRONLY, 0o660)
        os.close(fd)
        os.chmod(path, stat.S_IRUSR | stat.S_IWUSR | stat.S_IRGRP | stat.S_IWGRP)
    pragmas = {
        "journal_mode": "wal",
        "foreign_keys": 1,
        "busy_timeout": busy_timeout_ms,
        "synchronous": SYNCHRONOUS.get(durability, "FULL"),
        "cache_size": -32000,
    }
    db = SqliteDatabase(path, pragmas=pragmas, timeout=busy_timeout_ms / 1000, check_same_thread=False)
    db.desk_gate = WriterGate(path, busy_timeout_ms / 1000)
    db.desk_wal = _Wal(path) if pragmas["synchronous"] == "FULL" else None
    return db


class _Wal:
    """Syncs a database's WAL file after a commit made without SQLite's own sync.

    A WAL file this handle has not synced before (the first, or one created again after the last
    connection's close removed it) has its directory synced too, as SQLite does under FULL for a
    WAL it creates: else a power cut could leave the file's data without its name."""

    def __init__(self, path: str):
        self.path = path + "-wal"
        self._seen: tuple[int, int] | None = None

    def sync(self) -> None:
        try:
            fd = os.open(self.path, os.O_RDONLY)
        except FileNotFoundError:
            return  # checkpointed into the database and removed: nothing of ours is left in it
        try:
            os.fdatasync(fd)
            st = os.fstat(fd)
        finally:
            os.close(fd)
        if self._seen != (st.st_dev, st.st_ino):
            self._seen = (st.st_dev, st.st_ino)
            dfd = os.open(os.path.dirname(self.path) or ".", os.O_RDONLY)
            try:
                os.fsync(dfd)
            finally:
                os.close(dfd)


def _bind_psycopg2() -> None:
    """What peewee's import does when psycopg2 is installed, for a peewee imported without it
    (desk.cli imports peewee so for a SQLite target: psycopg2 costs ~15 ms of start-up)."""
    import peewee

    if peewee.psycopg2 is not None:
        return
    try:
        import psycopg2
        from psycopg2 import extensions
        from psycopg2.extras import Json, register_uuid
    except ImportError:
        from desk.domain.errors import DatabaseUnavailable

        raise DatabaseUnavailable("error.no_driver") from None
    register_uuid()
    peewee.psycopg2, peewee.pg_extensions, peewee.Json_pg2 = psycopg2, extensions, Json
    adapter = peewee.Psycopg2Adapter
    adapter.txn_idle = extensions.TRANSACTION_STATUS_IDLE
    adapter.txn_inerror = extensions.TRANSACTION_STATUS_INERROR
    adapter.txn_unknown = extensions.TRANSACTION_STATUS_UNKNOWN


def _postgres(url: str, durability: str = "full") -> PostgresqlDatabase:
    _bind_psycopg2()
    parsed = urlparse(url)
    params = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
    kwargs: dict = {
        "user": unquote(parsed.username) if parsed.username else None,
        "password": unquote(parsed.password) if parsed.password else None,
        "host": parsed.hostname,
        "port": parsed.port,
    }
    schema = params.pop("schema", None)
    options = [f"-c search_path={schema}"] if schema else []
    if durability == "normal":
        # As SQLite's synchronous=NORMAL: a commit does not wait for the WAL flush, so a server crash
        # may lose the last moments of work but never leaves the database inconsistent.
        options.append("-c synchronous_commit=off")
    if options:
        kwargs["options"] = " ".join(options)
    kwargs.update(params)
    kwargs = {k: v for k, v in kwargs.items() if v is not None}
    return PostgresqlDatabase(parsed.path.lstrip("/") or "postgres", **kwargs)


def open_database(target: Target, durability: str = "full", busy_timeout_ms: int = 5000, create: bool = True):
    """Bind the models to `target` and return the peewee database (not yet connected).
    With `create=False` a SQLite file that does not exist raises FileNotFoundError."""
    if target.kind == "postgres":
        db = _postgres(target.url, durability)
    else:
        db = _sqlite(target.path, durability, busy_timeout_ms, create)
    database.initialize(db)
    return db


def is_contention(exc: BaseException) -> bool:
    """Another writer held the database past the busy timeout: SQLite's "database is locked" or
    "busy", the writer gate's own "locked (waited for another writer)". Trying again helps, and
    the user is told so in the same words whichever command met it."""
    if not isinstance(exc, OperationalError):
        return False
    message = str(exc).lower()
    return "locked" in message or "busy" in message


def is_sqlite(db=None) -> bool:
    db = db or database.obj
    return isinstance(db, SqliteDatabase)


def _full_in_wal(db) -> bool:
    """The connection is at synchronous=FULL in WAL mode now (a caller may have changed either)."""
    return (db.execute_sql("PRAGMA synchronous").fetchone()[0] == 2
            and str(db.execute_sql("PRAGMA journal_mode").fetchone()[0]).lower() == "wal")


@contextmanager
def write_transaction(db=None):
    """The one way services write: IMMEDIATE on SQLite, a plain transaction on PostgreSQL.

    On SQLite with durability "full", the outermost one commits with synchronous=NORMAL (no
    fsync while the writer lock is held) and then syncs the WAL, outside the lock, before the
    caller goes on. Nothing acknowledged can be lost: a commit returns only once its frames are
    on disk, and a later commit's frames follow it in the WAL, which recovery replays in order up
    to the first frame that is not whole. Writers queued behind it overlap their fsyncs with its
    (a group commit). What changes: another agent may read the change up to one fsync (~1–10 ms)
    before it is on disk; a power cut in that moment loses it, unacknowledged, as FULL would lose
    a commit still being written."""
    db = db or database.obj
    if is_sqlite(db):
        gate = getattr(db, "desk_gate", None)
        if gate is None:
            with db.atomic("IMMEDIATE") as tx:
                yield tx
            return
        wal = getattr(db, "desk_wal", None)
        if wal is None or db.transaction_depth() or not _full_in_wal(db):
            # Also the demo's load, which sets synchronous OFF (and a rollback journal) on its
            # connection and writes through here: its settings are left alone.
            with gate.hold(), db.atomic("IMMEDIATE") as tx:
                yield tx
            return
        db.execute_sql("PRAGMA synchronous = NORMAL")
        try:
            with gate.hold(), db.atomic("IMMEDIATE") as tx:
                yield tx
        finally:
            db.execute_sql("PRAGMA synchronous = FULL")
        wal.sync()
    else:
        with db.atomic() as tx:
            yield tx
