"""Another writer injected at the exact moment a PostgreSQL table lock matters (issue 19: the
race-only locks, tools/mutants/services_report_days.toml, services_transfer_importer.toml,
services_transfer_migrate.toml). Not timed: the product's code is hooked at the moment (after a
read, before the write the lock protects), the other writer starts on a connection of its own (a
thread: peewee keeps a connection per thread), and the hook waits until that writer has either
committed (no lock stopped it) or is waiting for a lock, as PostgreSQL's pg_locks shows. Either
way the hooked code then goes on; the test judges what a user sees once both are done."""

from __future__ import annotations

import threading
import time

WAIT_S = 60  # only a broken test waits this long: a writer that neither commits nor waits


class Racer:
    """`write()` run by another connection of `db` once `start()` is called."""

    def __init__(self, db, write):
        self.db, self.write = db, write
        self.pid: int | None = None
        self.error: BaseException | None = None
        self.blocked = False  # whether it was seen waiting for a lock
        self._connected, self._done = threading.Event(), threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        try:
            self.pid = self.db.execute_sql("SELECT pg_backend_pid()").fetchone()[0]
            self._connected.set()
            self.write()
        except BaseException as exc:  # noqa: BLE001 (reported by join())
            self.error = exc
        finally:
            self._connected.set()
            if not self.db.is_closed():
                self.db.close()  # this thread's connection only
            self._done.set()

    def start(self) -> None:
        """Start the write; return once it has committed or waits for a lock (seen in pg_locks,
        from the caller's connection, inside the caller's transaction)."""
        self._thread.start()
        assert self._connected.wait(WAIT_S), "the other writer never connected"
        deadline = time.monotonic() + WAIT_S
        while not self._done.wait(0.002):
            if self.pid is not None and self.db.execute_sql(
                    "SELECT 1 FROM pg_locks WHERE pid = %s AND NOT granted", (self.pid,)).fetchone():
                self.blocked = True
                return
            assert time.monotonic() < deadline, "the other writer neither committed nor waited for a lock"

    def join(self) -> None:
        """Wait for the write to finish (once the hooked transaction has committed) and re-raise
        what it raised."""
        assert self._done.wait(WAIT_S), "the other writer never finished"
        self._thread.join()
        if self.error is not None:
            raise self.error
