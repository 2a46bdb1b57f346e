"""A long-lived reading thread for a screen's quick reads (the incident detail).

Starting a thread worker and opening a connection for every read costs about 4 ms before the
first query runs, on a path (enter → the detail) where the whole answer should take under 10.
This keeps one thread, with its own connection kept open between reads; reads run in the order
asked. A read that fails closes the connection, so the next one starts from a fresh one (a
restarted PostgreSQL, a file that was moved back). Nothing here touches widgets: `done` runs in
the reading thread and is expected to post a message.
"""

from __future__ import annotations

import contextvars
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from weakref import WeakKeyDictionary


class Reader:
    def __init__(self, desk, name: str = "desk-reader") -> None:
        self._desk = desk
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix=name)
        self._lock = threading.Lock()
        self._pending = 0
        self._closed = False

    @property
    def pending(self) -> int:
        """Reads asked for and not yet answered (tests wait for 0)."""
        return self._pending

    def read(self, fn: Callable[[], Any], done: Callable[[Any, BaseException | None], None]) -> bool:
        """Run `fn()` in the reading thread, then `done(result, None)` or `done(None, error)`.
        False when the reader is closed (the caller reads another way)."""
        with self._lock:
            if self._closed:
                return False
            self._pending += 1
        try:
            # in the asker's context (as a Textual worker would be): `done` may post to a screen
            # that is not mounted yet, which finds its app through that context
            self._pool.submit(contextvars.copy_context().run, self._run, fn, done)
        except RuntimeError:  # shut down meanwhile (the app is exiting)
            with self._lock:
                self._pending -= 1
            return False
        return True

    def _run(self, fn, done) -> None:
        db = self._desk.db
        try:
            try:
                db.connect(reuse_if_open=True)
                result = fn()
            except Exception as exc:  # noqa: BLE001 — handed to `done`, which shows it
                self._disconnect()
                done(None, exc)
            else:
                done(result, None)
        finally:
            with self._lock:
                self._pending -= 1

    def _disconnect(self) -> None:
        db = self._desk.db
        try:
            if not db.is_closed():
                db.close()
        except Exception:  # noqa: BLE001 — a broken connection may refuse even to close
            pass

    def close(self) -> None:
        """Close the connection (in the reading thread, which owns it) and end the thread."""
        with self._lock:
            if self._closed:
                return
            self._closed = True
        try:
            self._pool.submit(self._disconnect)
        except RuntimeError:
            pass
        self._pool.shutdown(wait=False)


def fetch_detail(desk, incident_id: int) -> tuple:
    """(the user's roles, the incident's detail): what the detail screen shows. Runs in a thread."""
    from desk.services import incidents, lookup

    return frozenset(lookup.me(desk).roles), incidents.get(desk, incident_id)


class DetailReads:
    """Per app: the incident detail's reading thread, and the incidents read ahead while the
    queue's cursor rested on them (by id, with the version read). Opening an incident whose
    version has not moved since then shows it at once, with no read on the way."""

    AHEAD = 16  # incidents kept; the oldest read goes first

    def __init__(self, desk) -> None:
        self.desk = desk
        self.reader = Reader(desk, name="desk-detail")
        self.ahead: dict[int, tuple] = {}  # id -> (roles, IncidentDetail)
        # remember() runs in the reading thread (a read ahead) and in the UI thread (an open)
        self._lock = threading.Lock()

    def read(self, incident_id: int, done: Callable[[Any, BaseException | None], None]) -> bool:
        return self.reader.read(lambda: fetch_detail(self.desk, incident_id), done)

    def read_ahead(self, incident_id: int, version: int | None,
                   ready: Callable[[], None] | None = None) -> None:
        """Read this incident now; `ready()` (in the reading thread: post a message) once it is in."""
        if version is None:
            return
        if self.take(incident_id, version) is not None:
            if ready is not None:
                ready()
            return

        def keep(result, error) -> None:
            if error is None:
                self.remember(incident_id, result)
                if ready is not None:
                    ready()

        self.read(incident_id, keep)

    def remember(self, incident_id: int, result: tuple) -> None:
        with self._lock:
            self.ahead.pop(incident_id, None)
            self.ahead[incident_id] = result
            while len(self.ahead) > self.AHEAD:
                self.ahead.pop(next(iter(self.ahead)), None)

    def take(self, incident_id: int, version: int | None):
        """(roles, detail) read ahead for exactly this version of the incident, else None."""
        with self._lock:
            hit = self.ahead.get(incident_id)
        if hit is None or version is None or hit[1].version != version:
            return None
        return hit

    def close(self) -> None:
        self.reader.close()


_READS: WeakKeyDictionary = WeakKeyDictionary()  # app -> DetailReads


def detail_reads(app) -> DetailReads:
    """The app's DetailReads (made on first use; `close_detail_reads` ends it with the app)."""
    reads = _READS.get(app)
    if reads is None:
        reads = _READS[app] = DetailReads(app.desk)
    return reads


def close_detail_reads(app) -> None:
    reads = _READS.pop(app, None)
    if reads is not None:
        reads.close()


def reads_pending(app) -> int:
    """Detail reads asked for and not answered yet (tests wait for 0)."""
    reads = _READS.get(app)
    return reads.reader.pending if reads is not None else 0
