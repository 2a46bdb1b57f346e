"""A list's reader: one long-lived thread worker with one database connection.

It reads any kind of record through the kind's ListSpec (desk.lists.spec): `ListSource(desk,
context, post, spec)`; `QueueSource` is its old name (the incident queue's).

The screen asks (from the UI thread, never blocking): load a filter+sort, fetch rows by id,
fetch a window of the order, poll for changes. The reader answers in priority order and
hands results back through `post` (the screen's post_message, thread-safe):

1. a new load: the first page (a LIMIT query and its rows) at once, then the count;
2. rows and windows the table is waiting for (what is on screen);
3. a change poll (SQLite data_version + the newest history id: two cheap reads);
4. the full ordered id list, read in chunks — between chunks it answers 1–3 again, so a
   million ids never hold up a page of rows, and a newer load abandons the old list. A load
   does not read it: the table pages through windows of the order, and asks for the whole list
   (`want_order`) only when the user goes deep into a long one; a refresh (someone changed a
   row) reads it to keep the cursor on its record. Reading it on every view, sort or filter key
   cost ~5 ms of CPU a key at 20,000 problems, growing with the table (figure 14).

One connection (rather than one per short worker) keeps `PRAGMA data_version` meaningful,
the page cache warm, and PostgreSQL from connecting per page. Nothing here touches widgets.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

from desk.lists import changes
from desk.widgets.list_scan import SCAN_CACHE_KIB, OrderScan

FIRST_PAGE = 120
FIRST_ROWS = 60  # rows read with the first page: a 200×60 terminal's worth
PAINT_GRACE = 0.05  # seconds the reader waits for the first page to be painted
RETRY_MAX = 5.0  # seconds between tries at most while reads keep failing


from desk.widgets.list_messages import (  # noqa: E402,F401  (the reader's messages, by their first home)
    Changes,
    Count,
    Failed,
    Load,
    Order,
    Page,
    Peeked,
    Rows,
    id_array,
)


from desk.widgets.first_page import FirstPage  # noqa: E402,F401  (the CLI imports it from here)


def _incidents():
    from desk.lists.incident import INCIDENTS

    return INCIDENTS


class _Pending:
    """What the reader has been asked for and not yet done (mutated under the source's lock)."""

    __slots__ = ("load", "refresh", "rows", "windows", "poll", "peek", "order")

    def __init__(self) -> None:
        self.load: Load | None = None
        self.refresh = False
        self.rows: set[int] = set()
        self.windows: dict[int, tuple[int, int]] = {}  # offset -> (gen, limit)
        self.poll = False
        self.peek: Load | None = None
        self.order: int | None = None  # the generation whose whole order the table wants


class ListSource(OrderScan):
    def __init__(self, desk, context: Callable[[], object], post: Callable[[object], None], spec=None) -> None:
        self.desk = desk
        self.spec = spec if spec is not None else _incidents()
        self._context = context
        self._post = post
        self._lock = threading.Condition()
        self._pending = _Pending()
        self._stopped = threading.Event()
        self._current: Load | None = None  # what the order belongs to
        self._marker = None
        self._listener = None  # PostgreSQL: notified of commits (desk.lists.changes.Listener)
        self._resync = False  # reconnected: refresh everything once
        self._history_id: int | None = None
        self._scan = None  # (load, refresh, generator, chunks so far)
        self._shown = threading.Condition()  # the UI painted the first page of generation _shown_gen
        self._shown_gen = 0
        self._peeked: tuple | None = None  # ((filter, sort, descending), ids, rows, complete)
        self._scan_conn = None  # SQLite: the connection the id lists are read on (_scan_execute)
        self._tracked: int | None = None  # the row under the screen's cursor (found in each new order)
        self._ordered = 0  # the generation whose whole order was posted last
        self.failures = 0  # reads failed in a row (the wait before the next try grows with them)

    # --- requests (UI thread) ------------------------------------------------------------------
    def load(self, request: Load) -> None:
        with self._lock:
            self._pending.load = request
            self._pending.windows.clear()
            self._lock.notify()

    def refresh(self) -> None:
        """Re-read the current order (someone changed something): same generation."""
        with self._lock:
            self._pending.refresh = True
            self._lock.notify()

    def fetch_rows(self, ids) -> None:
        with self._lock:
            self._pending.rows.update(ids)
            self._lock.notify()

    def fetch_window(self, gen: int, offset: int, limit: int) -> None:
        with self._lock:
            self._pending.windows[offset] = (gen, limit)
            self._lock.notify()

    def want_order(self, gen: int) -> None:
        """The table needs the whole order of `gen` (the user went deep into a long list): read it
        behind everything the screen waits for, once."""
        with self._lock:
            self._pending.order = gen
            self._lock.notify()

    def track(self, record_id: int | None) -> None:
        """The row under the cursor: each refreshed order comes with its index (searching a
        million ids takes ~17 ms: in the reader, not in a frame)."""
        self._tracked = record_id

    def poll(self) -> None:
        with self._lock:
            self._pending.poll = True
            self._lock.notify()

    def peek(self, request: Load) -> None:
        """Read the first page of a filter being typed, to keep until it is applied (`peeked`).
        Anything the screen is waiting for goes first; a newer peek replaces an older one."""
        with self._lock:
            self._pending.peek = request
            self._lock.notify()

    def peeked(self, f, sort: str, descending: bool):
        """(ids, rows, complete) read ahead for exactly this filter and sort, used once; or None."""
        with self._lock:
            hit, self._peeked = self._peeked, None
        if hit is None or hit[0] != (f, sort, descending):
            return None
        return hit[1:]

    def page_shown(self, gen: int | None = None) -> None:
        """The screen painted the first page of `gen` (None: of whatever it has): the count and
        the id list may have the CPU."""
        with self._shown:
            self._shown_gen = max(self._shown_gen, gen if gen is not None else self._current_gen())
            self._shown.notify_all()

    def _current_gen(self) -> int:
        return self._current.gen if self._current is not None else 0

    def _wait_shown(self, gen: int) -> None:
        """Let the UI paint the page of `gen` before the count and the id list compete with it
        for the GIL (at most PAINT_GRACE)."""
        with self._shown:
            self._shown.wait_for(lambda: self._shown_gen >= gen or self._stopped.is_set(), PAINT_GRACE)

    def stop(self) -> None:
        self._stopped.set()
        with self._shown:
            self._shown.notify_all()
        with self._lock:
            self._lock.notify()

    @property
    def stopped(self) -> bool:
        return self._stopped.is_set()

    # --- the thread --------------------------------------------------------------------------
    def run(self, cancelled: Callable[[], bool] = lambda: False) -> None:
        db = self.desk.db
        db.connect(reuse_if_open=True)
        try:
            self._tune(db)
            try:
                self._listener = changes.listen(db)
                self._poll()  # the starting marker
            except Exception as exc:
                self._failed(exc)
            while not (self._stopped.is_set() or cancelled()):
                try:
                    if not self._step():
                        with self._lock:
                            if not self._has_work():
                                self._lock.wait(0.25)
                                # notifications are a socket read: looked at whenever idle
                                self._pending.poll = self._pending.poll or self._listener is not None
                except Exception as exc:  # a reader must survive a bad moment (locked, lost server)
                    self._failed(exc)
                else:
                    self.failures = 0
        finally:
            self._drop_scan()
            self._close_scan_conn()
            if not db.is_closed():
                db.close()

    def _failed(self, exc: Exception) -> None:
        """Say so, wait (0.5 s, doubling to RETRY_MAX), and start again on a fresh connection: a
        dropped server connection (PostgreSQL restarted, a network cut) never heals by itself.
        What was being read is asked again: the load, the order being scanned (the screen asks
        again for its rows and windows when it hears of the failure)."""
        if self._scan is not None:
            with self._lock:
                self._pending.refresh = True
            self._scan = None  # (its cursor went with the error)
        self.failures += 1
        self._close_scan_conn()
        self._post(Failed(exc, "read"))
        self._stopped.wait(min(RETRY_MAX, 0.5 * 2 ** (self.failures - 1)))
        db = self.desk.db
        try:
            if not db.is_closed():
                db.close()
        except Exception:  # (a connection already gone cannot be closed cleanly)
            pass
        try:
            db.connect(reuse_if_open=True)
            self._tune(db)
            self._marker = ("reconnected",)  # the next poll reads the history since the last one seen
            self._listener = changes.listen(db)
            self._resync = self._listener is not None
        except Exception as again:  # still down: the next turn tries again
            self._post(Failed(again, "connect"))

    def _tune(self, db) -> None:
        from desk.db import is_sqlite

        if is_sqlite(db):
            db.execute_sql(f"PRAGMA cache_size = -{SCAN_CACHE_KIB}")

    def _has_work(self) -> bool:
        p = self._pending
        return bool(p.load or p.refresh or p.rows or p.windows or p.poll or p.peek or p.order or self._scan)

    def _step(self) -> bool:
        """Do the most urgent piece of work; False when there was nothing to do."""
        with self._lock:
            p = self._pending
            load, p.load = p.load, None
            if load is None:
                rows = set(p.rows) if p.rows else None
                p.rows.clear()
                windows = dict(p.windows) if (rows is None and p.windows) else None
                if windows:
                    p.windows.clear()
                poll = refresh = False
                peek = order = None
                if rows is None and windows is None:
                    poll, p.poll = p.poll, False
                    refresh, p.refresh = p.refresh, False
                    if not (poll or refresh):
                        order, p.order = p.order, None
                        if order is None:
                            peek, p.peek = p.peek, None
        if load is not None:
            try:
                self._start(load)
            except Exception:
                with self._lock:  # tried again after the wait (unless a newer load came meanwhile)
                    if self._pending.load is None:
                        self._pending.load = load
                raise
            return True
        if rows:
            self._rows(rows)
            return True
        if windows:
            for offset, (gen, limit) in sorted(windows.items()):
                self._window(gen, offset, limit)
            return True
        if poll:
            self._poll()
            return True
        if refresh and self._current is not None:
            self._begin_scan(self._current, refresh=True)
            return True
        if order is not None:
            self._order_wanted(order)
            return True
        if peek is not None:
            self._peek(peek)
            return True
        if self._scan is not None:
            self._continue_scan()
            return True
        return False

    def _ctx(self):
        return self._context()

    def _order_wanted(self, gen: int) -> None:
        """Read the whole order of the current load, unless it is read or being read (a refresh's
        scan posts one too)."""
        load = self._current
        if load is None or load.gen != gen or self._ordered == gen or self._scan is not None:
            return
        self._begin_scan(load, refresh=False)

    def _start(self, load: Load) -> None:
        self._drop_scan()
        self._current = load
        if load.have_first_page:
            if load.need_count:
                self._wait_shown(load.gen)
                self._post(Count(load.gen, self.spec.count(load.filter, self._ctx())))
            return  # (the whole order: when the table asks for it)
        ctx = self._ctx()
        peeked = self.peeked(load.filter, load.sort, load.descending)  # (typed ahead: already read)
        if peeked is not None:
            ids, rows, _ = peeked
        else:
            ids = self.spec.window(load.filter, ctx, load.sort, 0, FIRST_PAGE, load.descending)
            rows = self.spec.rows(self.desk, ids[:FIRST_ROWS])  # (the table asks for the rest after the paint)
        self._post(Page(load.gen, 0, ids, rows, len(ids) < FIRST_PAGE))
        self._wait_shown(load.gen)
        if len(ids) < FIRST_PAGE:
            self._post(Count(load.gen, len(ids)))
            self._ordered = load.gen
            self._post(Order(load.gen, id_array(ids), False))
            return
        self._post(Count(load.gen, self.spec.count(load.filter, ctx)))

    def _peek(self, load: Load) -> None:
        ids = self.spec.window(load.filter, self._ctx(), load.sort, 0, FIRST_PAGE, load.descending)
        rows = self.spec.rows(self.desk, ids[:FIRST_ROWS])
        with self._lock:
            self._peeked = ((load.filter, load.sort, load.descending), ids, rows, len(ids) < FIRST_PAGE)
        self._post(Peeked(rows, load.sort, load.descending))

    def _rows(self, ids: set[int]) -> None:
        wanted = sorted(ids)
        found = self.spec.rows(self.desk, wanted)
        seen = {r.id for r in found}
        self._post(Rows(found, [i for i in wanted if i not in seen]))

    def _window(self, gen: int, offset: int, limit: int) -> None:
        load = self._current
        if load is None or load.gen != gen:
            return
        ids = self.spec.window(load.filter, self._ctx(), load.sort, offset, limit, load.descending)
        self._post(Page(gen, offset, ids, self.spec.rows(self.desk, ids), len(ids) < limit))

    def _poll(self) -> None:
        if self._listener is not None:  # PostgreSQL: what committed, as notified
            ids = self._listener.changed(self.spec.watched)
            if self._resync:
                self._resync, ids = False, None  # (notifications while disconnected are lost)
            if ids == set():
                return
            self._post(Changes(ids))
            if self._current is not None:
                self._begin_scan(self._current, refresh=True)
            return
        marker = changes.change_marker(self.desk)
        if self._marker is None:
            self._marker = marker
            self._history_id, _ = changes.changed_since(None, entities=self.spec.watched)
            return
        if marker == self._marker:
            return
        self._marker = marker
        self._history_id, ids = changes.changed_since(self._history_id, entities=self.spec.watched)
        if ids == set():
            return  # a commit that touched no row of this kind (a refusal record, an agent)
        self._post(Changes(ids))
        if self._current is not None:
            self._begin_scan(self._current, refresh=True)


QueueSource = ListSource  # (the incident queue's reader, by its first name)
