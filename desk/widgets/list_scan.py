"""A list reader's full ordered id list: read in chunks between the reader's other work, on a
connection of its own on SQLite. A mixin of desk.widgets.queue_source.ListSource (one idea per
module)."""

from __future__ import annotations

from array import array

from desk.widgets.list_messages import Load, Order, id_array

SCAN_CACHE_KIB = 1024  # page cache of the reader's connection: a scan of 1M ids needs none


class OrderScan:
    """`_scan`: (load, refresh, the kind's iter_ids generator, the ids so far) or None."""

    def _drop_scan(self) -> None:
        if self._scan is not None:
            self._scan[2].close()
            self._scan = None

    def _begin_scan(self, load: Load, refresh: bool) -> None:
        self._drop_scan()
        ctx = self._ctx()
        execute = self._scan_execute()
        more = {"execute": execute} if execute is not None else {}
        self._scan = (load, refresh, self.spec.iter_ids(load.filter, ctx, load.sort, load.descending, **more),
                      id_array())

    def _scan_execute(self):
        """SQLite: the id list is read on a connection of its own. A scan keeps its statement, and
        so its read transaction, open between chunks: on the reader's connection that pinned every
        other read to the scan's snapshot (a row just changed was re-read old, and the poll saw
        nothing) until the scan ended. PostgreSQL reads the whole result at once: no need."""
        from desk.db import is_sqlite

        db = self.desk.db
        if not is_sqlite(db):
            return None
        if self._scan_conn is None:
            # peewee's own constructor of a connection: desk's pragmas and functions, not shared
            self._scan_conn = db._connect()
            self._scan_conn.execute(f"PRAGMA cache_size = -{SCAN_CACHE_KIB}")
        conn = self._scan_conn
        return conn.execute

    def _close_scan_conn(self) -> None:
        conn, self._scan_conn = self._scan_conn, None
        if conn is not None:
            try:
                conn.close()
            except Exception:  # (already gone)
                pass

    def _continue_scan(self) -> None:
        load, refresh, chunks, ids = self._scan
        if load is not self._current:
            chunks.close()
            self._scan = None
            return
        chunk = next(chunks, None)
        if chunk is None:
            self._scan = None
            self._ordered = load.gen
            tracked, at = self._tracked, None
            if refresh and tracked is not None:
                try:
                    at = (tracked, ids.index(tracked))
                except ValueError:  # (it left the list)
                    at = (tracked, -1)
            self._post(Order(load.gen, ids, refresh, at))
        else:
            try:
                ids.extend(chunk)
            except OverflowError:  # an id past 2**31: eight bytes a row from here on
                ids = array("q", ids)
                ids.extend(chunk)
                self._scan = (load, refresh, chunks, ids)
