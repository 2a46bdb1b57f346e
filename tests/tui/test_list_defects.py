"""The list machinery's defects of issue 12, each driven as a user meets it (Pilot) or at the
seam where it happened; each test failed before its fix."""

from __future__ import annotations

from array import array

from tui_helpers import press, queue_ready, wait_until

from desk.services import incidents, queue, queue_rows

# Reconnection after a dropped connection and late commits are PostgreSQL matters: both backends here.
BOTH_BACKENDS = True


class _Flaky:
    """Replaces a function; fails `times` calls from when it is armed."""

    def __init__(self, real, error=None):
        self.real, self.times, self.calls = real, 0, 0
        self.error = error or RuntimeError("the database went away for a moment")

    def __call__(self, *args, **kwargs):
        self.calls += 1
        if self.times:
            self.times -= 1
            raise self.error
        return self.real(*args, **kwargs)


async def test_a_failed_row_read_is_asked_again(make_app, monkeypatch):
    """Defect 1: one failed read of rows left them drawn as '…' for good."""
    flaky = _Flaky(queue_rows.rows)
    monkeypatch.setattr(queue_rows, "rows", flaky)
    app = make_app()
    async with app.run_test(size=app.test_size) as pilot:
        screen = await queue_ready(pilot)
        table = screen.table
        flaky.times = 1
        table._rows.clear()
        table._strips.clear()
        table.refresh()
        await wait_until(pilot, lambda: flaky.times == 0, what="the failed read")
        await queue_ready(pilot)  # the rows come back: asked again after the failure
        assert table.row_at(0) is not None


async def test_a_failed_load_is_tried_again(make_app, monkeypatch):
    """Defect 4: a view whose load failed kept the old rows under the new view's name."""
    flaky = _Flaky(queue.window)
    monkeypatch.setattr(queue, "window", flaky)
    app = make_app()
    async with app.run_test(size=app.test_size) as pilot:
        screen = await queue_ready(pilot)
        flaky.times = 1
        await press(pilot, "8", settle=False)  # all incidents: its first page fails once
        await queue_ready(pilot)
        assert screen.table.gen == screen._gen and screen.view == "all"
        assert screen.table.total == len(queue.ids(queue.QueueFilter(view="all"),
                                                   queue.context(app.desk, "admin", scoped=True)))


async def test_a_mark_keeps_the_version_the_agent_saw(make_app):
    """Defect 5: the version kept for a mark followed every re-read, so a bulk action applied
    over another agent's change instead of reporting it stale."""
    app = make_app()
    async with app.run_test(size=app.test_size) as pilot:
        screen = await queue_ready(pilot)
        table = screen.table
        row = table.cursor_row
        await press(pilot, "space")
        assert table.marked == {row.id: row.version}
        incidents.assign(app.desk, "lead", row.id, to="chen")  # another agent, meanwhile
        await wait_until(pilot, lambda: table._rows.get(row.id) and table._rows.get(row.id).assignee == "chen",
                         what="the other agent's change")
        assert screen.selection("assign") == [(row.id, row.version)]  # what was seen: refused as stale


async def test_a_row_marked_before_it_was_read_takes_the_version_it_shows_first(make_app):
    """Defect 5: a row marked while still '…' was kept at version 0 (stale whatever happens)."""
    app = make_app()
    async with app.run_test(size=app.test_size) as pilot:
        screen = await queue_ready(pilot)
        table = screen.table
        row = table.cursor_row
        table._rows.discard(row.id)
        table.marked[row.id] = 0  # (marked while its row was not in)
        table.refresh()
        await wait_until(pilot, lambda: table._rows.get(row.id) is not None, what="the row")
        await queue_ready(pilot)
        assert table.marked[row.id] == row.version


async def test_a_row_that_no_longer_exists_is_not_asked_for_at_every_frame(make_app):
    """Defect 7: a missing row was fetched again every frame (61 times a second)."""
    app = make_app()
    async with app.run_test(size=app.test_size) as pilot:
        screen = await queue_ready(pilot)
        table = screen.table
        gone = table.id_at(1)
        asked = []
        real = table.source.fetch_rows
        table.source.fetch_rows = lambda ids: (asked.append(set(ids)), real(ids))
        table._rows.discard(gone)
        table.apply_rows([], [gone])  # the reader found no such row
        for _ in range(5):
            table.refresh()
            await pilot.pause(0.02)
        assert not any(gone in ids for ids in asked)


class _NoIndex(array):
    def index(self, *args):  # noqa: D401
        raise AssertionError("array.index ran on the UI thread")


async def test_a_refresh_does_not_search_the_whole_order_on_the_ui_thread(make_app):
    """Defect 10: array.index over the whole id list ran on the UI thread at every refresh
    (17 ms at 1M rows, inside a frame). The reader finds the cursor's row in its thread."""
    app = make_app()
    async with app.run_test(size=app.test_size) as pilot:
        screen = await queue_ready(pilot)
        table = screen.table
        await press(pilot, "down", "down")
        keep = table.cursor_id
        ids = _NoIndex("i", [i for i in table._order if i != table.id_at(0)])  # the first row went away
        at = list(ids).index(keep)
        table.apply_order(table.gen, ids, True, (keep, at))
        assert table.cursor_id == keep and table.cursor == at


def test_the_reader_reconnects_after_its_connection_drops(desk, monkeypatch):
    """Defect 2: after a dropped connection (a PostgreSQL restart, a network cut) every read
    failed with 'connection already closed' until the app restarted. The reader now starts again
    on a fresh connection, after a wait, and says so meanwhile (Failed)."""
    import threading
    import time

    from desk.widgets import queue_source
    from desk.widgets.queue_source import Failed, ListSource, Rows

    monkeypatch.setattr(queue_source, "RETRY_MAX", 0.05)
    inc = incidents.create(desk, "li", title="still there", impact=3, urgency=3)
    posted, cond = [], threading.Condition()

    def post(item):
        with cond:
            posted.append(item)
            cond.notify_all()

    def wait_for(kind, timeout=10.0):
        deadline = time.monotonic() + timeout
        with cond:
            while not any(isinstance(i, kind) for i in posted):
                assert cond.wait(max(0.0, deadline - time.monotonic())), f"no {kind.__name__}"

    connections = []
    source = ListSource(desk, lambda: queue.context(desk, "admin", scoped=True), post)
    real_tune = source._tune
    monkeypatch.setattr(source, "_tune", lambda db: (connections.append(db.connection()), real_tune(db)))
    thread = threading.Thread(target=source.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 5
        while not connections and time.monotonic() < deadline:
            time.sleep(0.01)
        connections[0].close()  # the server hangs up on the reader
        source.fetch_rows([inc.id])
        wait_for(Failed)
        posted.clear()
        source.fetch_rows([inc.id])  # (the screen asks again when it hears of the failure)
        wait_for(Rows)
        rows = next(i for i in posted if isinstance(i, Rows))
        assert [r.id for r in rows.rows] == [inc.id] and len(connections) == 2
    finally:
        source.stop()
        thread.join(5)


def test_detail_reads_ahead_are_kept_under_a_lock(desk):
    """Defect 8: DetailReads.ahead was changed from the reading thread and the UI thread at once
    without a lock (an eviction could iterate the dict while the other thread inserted)."""
    from desk.widgets.reader import DetailReads

    reads = DetailReads(desk)

    class Guarded(dict):
        def __setitem__(self, key, value):
            assert reads._lock.locked(), "changed without the lock"
            super().__setitem__(key, value)

        def pop(self, *args):
            assert reads._lock.locked(), "changed without the lock"
            return super().pop(*args)

    try:
        reads.ahead = Guarded()
        detail = type("Detail", (), {"version": 1})()
        for i in range(DetailReads.AHEAD + 3):
            reads.remember(i, ("roles", detail))
        assert len(reads.ahead) == DetailReads.AHEAD and reads.take(DetailReads.AHEAD + 2, 1) is not None
    finally:
        reads.close()


def test_a_long_id_scan_does_not_hide_other_agents_changes(desk, monkeypatch):
    """Defect 6: on SQLite an open id scan pinned the reader's snapshot: while a long list was
    read, a row just changed was re-read old and the poll saw nothing until the scan ended."""
    import threading
    import time

    from desk.widgets import queue_source
    from desk.widgets.queue_source import Changes, ListSource, Load, Order, Rows

    monkeypatch.setattr(queue_source, "PAINT_GRACE", 0.0)
    made = [incidents.create(desk, "li", title=f"row {i}", impact=3, urgency=3).id for i in range(60)]
    real = queue.iter_ids
    started, release = threading.Event(), threading.Event()

    def slow_ids(*args, **kwargs):  # a long scan: open after its first chunk until the test lets it go
        inner = real(*args, chunk=10, **kwargs)
        yield next(inner)
        started.set()
        while not release.is_set():
            time.sleep(0.002)  # (the reader answers everything else between two chunks)
            yield []
        yield from inner

    monkeypatch.setattr(queue, "iter_ids", slow_ids)
    monkeypatch.setattr(queue_source, "FIRST_PAGE", 5)
    posted, cond = [], threading.Condition()

    def post(item):
        with cond:
            posted.append(item)
            cond.notify_all()

    source = ListSource(desk, lambda: queue.context(desk, "admin", scoped=True), post)
    thread = threading.Thread(target=source.run, daemon=True)
    thread.start()
    try:
        source.load(Load(1, queue.QueueFilter(view="open"), "priority"))
        source.want_order(1)
        assert started.wait(10)
        incidents.note(desk, "zhao", made[3], text="called back")  # another agent, meanwhile
        source.poll()
        source.fetch_rows([made[3]])
        deadline = time.monotonic() + 5
        with cond:
            while not (any(isinstance(i, Changes) for i in posted)
                       and any(isinstance(i, Rows) and i.rows and i.rows[0].version == 2 for i in posted)):
                assert cond.wait(max(0.0, deadline - time.monotonic())), [type(i).__name__ for i in posted]
        assert not any(isinstance(i, Order) for i in posted)  # (all while the scan was still open)
        assert made[3] in next(i for i in posted if isinstance(i, Changes)).ids
    finally:
        release.set()
        source.stop()
        thread.join(5)


def test_postgresql_live_refresh_misses_no_commit(desk, db_url):
    """Defect 3: on PostgreSQL a commit holding history id N that became visible after N+1 was
    polled was never reported (the poll remembered the newest id). Commits are now notified
    from the writing transaction (LISTEN/NOTIFY), and arrive within a fraction of a second."""
    import threading
    import time

    import pytest

    if db_url.endswith(".db"):
        pytest.skip("PostgreSQL only (SQLite's writers commit one at a time, in id order)")
    from desk.widgets.queue_source import Changes, ListSource

    early = incidents.create(desk, "li", title="written in a long transaction", impact=3, urgency=3)
    late = incidents.create(desk, "li", title="written after it, committed first", impact=3, urgency=3)
    posted, cond = [], threading.Condition()

    def post(item):
        with cond:
            posted.append(item)
            cond.notify_all()

    def changed(record_id, timeout=5.0):
        deadline = time.monotonic() + timeout
        with cond:
            while not any(isinstance(i, Changes) and (i.ids is None or record_id in i.ids) for i in posted):
                assert cond.wait(max(0.0, deadline - time.monotonic())), f"{record_id} never reported"

    source = ListSource(desk, lambda: queue.context(desk, "admin", scoped=True), post)
    thread = threading.Thread(target=source.run, daemon=True)
    thread.start()
    slow = desk.db._connect()  # another writer, on a connection of its own
    try:
        deadline = time.monotonic() + 5
        while source._listener is None and time.monotonic() < deadline:
            time.sleep(0.01)
        assert source._listener is not None
        slow.autocommit = False
        with slow.cursor() as cur:  # takes history id N, commits later
            cur.execute("INSERT INTO history (entity, entity_id, seq, at, actor_id, action, changes, note, "
                        "prev_hash, hash) VALUES ('incident', %s, 1000, now(), NULL, 'note', '{}', 'x', '', '')",
                        (early.id,))
        incidents.note(desk, "zhao", late.id, text="quick")  # N+1, committed at once
        changed(late.id)
        slow.commit()
        changed(early.id)
    finally:
        slow.close()
        source.stop()
        thread.join(5)


async def test_after_the_agents_own_action_a_mark_takes_the_new_version(make_app):
    """Defect 5's other side: a mark a bulk action leaves (on a row it refused; the ones it did are
    unmarked: test_marks_after_bulk.py) takes the version reported by the action: what the agent
    has now seen, so a second try on the same marks is not stale."""
    app = make_app()
    async with app.run_test(size=app.test_size) as pilot:
        screen = await queue_ready(pilot)
        table = screen.table
        row = table.cursor_row
        await press(pilot, "space")
        incidents.assign(app.desk, "admin", row.id, to="chen")  # what the assign dialog does
        screen.incidents_changed([row.id])
        await wait_until(pilot, lambda: table._rows.get(row.id) and table._rows.get(row.id).version > row.version,
                         what="the re-read")
        await wait_until(pilot, lambda: table.marked[row.id] == table._rows.get(row.id).version, what="the mark")
