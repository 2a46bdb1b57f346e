"""Opening the database: SQLite file (default) or PostgreSQL URL, chosen at start-up.

Models are bound to `database`, a proxy, so nothing connects at import time; `open_database`
initialises it from a path or URL. Writers use `write_transaction`, which on SQLite begins
IMMEDIATE: a deferred transaction that reads then writes fails at once with "database is
locked" under concurrency, whatever the busy timeout.
"""

from __future__ import annotations

import os
import stat
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlparse

from peewee import DatabaseProxy, PostgresqlDatabase, SqliteDatabase

database = DatabaseProxy()

SYNCHRONOUS = {"full": "FULL", "normal": "NORMAL"}


@dataclass(frozen=True)
class Target:
    """Where the database is: `kind` is "sqlite" or "postgres"."""

    kind: str
    path: str = ""
    url: str = ""

    @property
    def display(self) -> str:
        if self.kind == "sqlite":
            return self.path
        parsed = urlparse(self.url)
        # Never echo a password.
        host = parsed.hostname or "localhost"
        port = f":{parsed.port}" if parsed.port else ""
        return f"postgresql://{parsed.username or ''}@{host}{port}{parsed.path}"


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


def _sqlite(path: str, durability: str, busy_timeout_ms: int) -> SqliteDatabase:
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
    return SqliteDatabase(path, pragmas=pragmas, timeout=busy_timeout_ms / 1000, check_same_thread=False)


def _postgres(url: str) -> PostgresqlDatabase:
    parsed = urlparse(url)
    params = {k: v[-1] for k, v in parse_qs(parsed.query).items()}
    kwargs: dict = {
        "user": unquote(parsed.username) if parsed.username else None,
        "password": unquote(parsed.password) if parsed.password else None,
        "host": parsed.hostname,
        "port": parsed.port,
    }
    schema = params.pop("schema", None)
    if schema:
        kwargs["options"] = f"-c search_path={schema}"
    kwargs.update(params)
    kwargs = {k: v for k, v in kwargs.items() if v is not None}
    return PostgresqlDatabase(parsed.path.lstrip("/") or "postgres", **kwargs)


def open_database(target: Target, durability: str = "full", busy_timeout_ms: int = 5000):
    """Bind the models to `target` and return the peewee database (not yet connected)."""
    if target.kind == "postgres":
        db = _postgres(target.url)
    else:
        db = _sqlite(target.path, durability, busy_timeout_ms)
    database.initialize(db)
    return db


def is_sqlite(db=None) -> bool:
    db = db or database.obj
    return isinstance(db, SqliteDatabase)


@contextmanager
def write_transaction(db=None):
    """The one way services write: IMMEDIATE on SQLite, a plain transaction on PostgreSQL."""
    db = db or database.obj
    if is_sqlite(db):
        with db.atomic("IMMEDIATE") as tx:
            yield tx
    else:
        with db.atomic() as tx:
            yield tx
