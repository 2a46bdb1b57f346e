"""Shared by the reliability tests: sizes, the process context, running the CLI, and
snapshots of a database to compare before and after."""

from __future__ import annotations

import multiprocessing
import os
import signal
import subprocess
import sys
from pathlib import Path

from desk.db import is_sqlite

ROOT = Path(__file__).resolve().parents[2]
TESTS = ROOT / "tests"

# CI sizes by default; DESK_STRESS_FULL=1 runs the sizes the issue names.
FULL = os.environ.get("DESK_STRESS_FULL") == "1"


def size(ci: int, full: int) -> int:
    return full if FULL else ci


# How long a command may run before the test calls it hung. Not a speed limit: `desk demo
# --incidents 600` on PostgreSQL took 48 s of wall time at a load of 13 on two cores (1.7 s of its
# own CPU; the rest PostgreSQL's and waiting for a core), and went past the 60 s this was in a run
# of tests/reliability under load (test_check.py's demo desk, 2026-12-07).
HUNG = 600.0

_CTX = None


def mp_context():
    """A forkserver with desk preloaded: children start in milliseconds and share nothing."""
    global _CTX
    if _CTX is None:
        ctx = multiprocessing.get_context("forkserver")
        if str(TESTS) not in sys.path:
            sys.path.insert(0, str(TESTS))
        ctx.set_forkserver_preload(["desk.services.incidents", "desk.services.context", "desk.services.check",
                                    "reliability.workers"])
        _CTX = ctx
    return _CTX


def child_env() -> dict:
    """What a child needs from the test's environment (the forkserver's own may be stale)."""
    keys = ("XDG_CONFIG_HOME", "XDG_DATA_HOME", "XDG_STATE_HOME", "LANG", "DESK_LANG", "DESK_CONFIG")
    env = {k: os.environ[k] for k in keys if k in os.environ}
    for k in ("DESK_CONFIG", "DESK_LANG"):
        env.setdefault(k, "")
    return env


def run_cli(*args, user: str = "admin", db: str | None = None, env: dict | None = None, input: bytes | None = None,
            timeout: float = HUNG) -> subprocess.CompletedProcess:
    """`python -m desk ARGS` as a user would run it; stdout and stderr as bytes. `timeout` only
    stops a command that hangs: it is no speed limit (see HUNG)."""
    full_env = dict(os.environ)
    full_env["DESK_USER"] = user
    if db is not None:
        full_env["DESK_DB"] = db
    full_env.update(env or {})
    argv = [sys.executable, "-m", "desk", *args]
    return subprocess.run(argv, capture_output=True, env=full_env, input=input, timeout=timeout, cwd=str(ROOT))


def run_cli_here(*args, user: str = "admin", db: str | None = None) -> subprocess.CompletedProcess:
    """`desk ARGS` run by desk.cli.main in this process, as run_cli returns it: the status
    `python -m desk` exits with, stdout and stderr as bytes (a traceback if something escaped
    main, as the interpreter would print one). No interpreter start-up: some 0.3 s less a call,
    for tests of what the commands say and do rather than of the process boundary."""
    import io
    import traceback
    from unittest import mock

    from desk.cli import main

    out, err = io.BytesIO(), io.BytesIO()
    stdout = io.TextIOWrapper(out, encoding="utf-8", write_through=True)
    stderr = io.TextIOWrapper(err, encoding="utf-8", write_through=True)
    env = {"DESK_USER": user, **({"DESK_DB": db} if db is not None else {})}
    with mock.patch.dict(os.environ, env), mock.patch.object(sys, "stdout", stdout), \
            mock.patch.object(sys, "stderr", stderr):
        try:
            code = main(list(args))
        except SystemExit as exc:  # argparse's errors; a string is printed and exits 1, as Python does
            code = exc.code if isinstance(exc.code, int) or exc.code is None else 1
            if isinstance(exc.code, str):
                print(exc.code, file=sys.stderr)
        except BaseException:  # noqa: BLE001 (what escapes main is a traceback and exit 1 for a user)
            traceback.print_exc()
            code = 1
    return subprocess.CompletedProcess(["desk", *args], code or 0, out.getvalue(), err.getvalue())


def dump(db) -> list:
    """Everything in the database, for before/after comparisons."""
    if is_sqlite(db):
        return list(db.connection().iterdump())
    out = []
    for table in sorted(db.get_tables()):
        rows = db.execute_sql(f'SELECT * FROM "{table}" ORDER BY 1').fetchall()
        out.append((table, [tuple(map(repr, r)) for r in rows]))
    return out


class Pty:
    """A program on a real pseudo-terminal (120×40), as over SSH; `raw` is every byte it wrote."""

    def __init__(self, argv: list[str], env: dict, cols: int = 120, rows: int = 40):
        import fcntl
        import struct
        import termios

        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
        env = {**env, "TERM": "xterm-256color", "COLUMNS": str(cols), "LINES": str(rows)}

        def controlling_terminal():
            fcntl.ioctl(0, termios.TIOCSCTTY, 0)
            # as a login session starts it: a runner under nohup would otherwise pass on SIGHUP ignored
            signal.signal(signal.SIGHUP, signal.SIG_DFL)

        self.proc = subprocess.Popen(argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=str(ROOT),
                                     start_new_session=True, preexec_fn=controlling_terminal)
        os.close(slave)
        self.master = master
        self.raw = bytearray()

    def read(self, seconds: float) -> None:
        import select
        import time

        # poll, not select: a test process that has opened a thousand files (databases, sockets) gets
        # a pty numbered past select()'s limit of 1024 ("filedescriptor out of range in select()")
        poller = select.poll()
        poller.register(self.master, select.POLLIN)
        end = time.monotonic() + seconds
        while (left := end - time.monotonic()) > 0:
            if not poller.poll(left * 1000):
                continue
            try:
                chunk = os.read(self.master, 65536)
            except OSError:
                return
            if not chunk:
                return
            self.raw += chunk

    def text(self) -> str:
        import re

        return re.sub(rb"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]", b"",
                      bytes(self.raw)).decode("utf-8", "replace")

    def wait_for(self, needle: str, timeout: float = 30) -> bool:
        import time

        end = time.monotonic() + timeout
        while time.monotonic() < end:
            if needle in self.text():
                return True
            if self.proc.poll() is not None:
                self.read(0.2)
                return needle in self.text()
            self.read(0.1)
        return False

    def send(self, data: bytes) -> None:
        os.write(self.master, data)

    def close(self) -> None:
        import signal

        if self.proc.poll() is None:
            os.killpg(self.proc.pid, signal.SIGKILL)
            self.proc.wait(10)
        os.close(self.master)
