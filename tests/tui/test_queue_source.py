"""The queue's reader thread without a screen: what it posts, in what order, and that windows
and rows are answered while a long id list is still being read."""

from __future__ import annotations

import threading
import time
from datetime import timedelta

import pytest

from desk.models import Incident
from desk.services import queue
from desk.widgets import queue_source
from desk.widgets.queue_source import Changes, Count, Load, Order, Page, QueueSource, Rows


def _bulk(desk, n: int) -> None:
    """n open incidents written directly (the services take ~1 ms each; this is a fixture)."""
    now = desk.now()
    rows = [dict(title=f"bulk {i}", impact=2, urgency=2, priority=1 + i % 4, status="new", tier=1,
                 opened_at=now - timedelta(minutes=i), updated_at=now, due_at=now + timedelta(minutes=i % 97),
                 version=1) for i in range(n)]
    with desk.db.atomic():
        for start in range(0, n, 500):
            Incident.insert_many(rows[start:start + 500]).execute()


class Collector:
    def __init__(self):
        self.items = []
        self.cond = threading.Condition()

    def __call__(self, item):
        with self.cond:
            self.items.append(item)
            self.cond.notify_all()

    def wait_for(self, predicate, timeout=10.0):
        deadline = time.monotonic() + timeout
        with self.cond:
            while not predicate(self.items):
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(f"timed out; got {[type(i).__name__ for i in self.items]}")
                self.cond.wait(left)


@pytest.fixture
def reader(desk):
    posted = Collector()
    ctx = queue.context(desk, "admin", scoped=True)
    source = QueueSource(desk, lambda: ctx, posted)
    thread = threading.Thread(target=source.run, daemon=True)
    thread.start()
    yield source, posted
    source.stop()
    thread.join(5)
    assert not thread.is_alive()


def _settled(source, posted, timeout=5.0):
    """Wait until the reader has nothing left to do (what it was going to post is posted)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with source._lock:
            idle = not source._has_work()
        if idle:
            time.sleep(0.05)
            with source._lock:
                if not source._has_work():
                    return
        time.sleep(0.01)
    raise AssertionError("the reader did not go idle")


def test_a_load_posts_first_page_then_count_and_the_whole_order_only_when_asked(desk, reader, monkeypatch):
    monkeypatch.setattr(queue_source, "PAINT_GRACE", 0.0)
    _bulk(desk, 1200)
    source, posted = reader
    f = queue.QueueFilter(view="open")
    scans = []
    real = queue.iter_ids
    monkeypatch.setattr(queue, "iter_ids", lambda *a, **k: (scans.append(a), real(*a, **k))[1])
    source.load(Load(1, f, "sla"))
    posted.wait_for(lambda items: any(isinstance(i, Count) for i in items))
    _settled(source, posted)
    kinds = [type(i).__name__ for i in posted.items if not isinstance(i, Changes)]
    assert kinds == ["Page", "Count"] and scans == []  # a view, sort or filter key reads no more
    page, count = (next(i for i in posted.items if isinstance(i, k)) for k in (Page, Count))
    expected = queue.ids(f, queue.context(desk, "admin", scoped=True), "sla")
    assert page.ids == expected[:queue_source.FIRST_PAGE]
    assert [r.id for r in page.rows] == page.ids[:queue_source.FIRST_ROWS]  # the rest: asked after the paint
    assert count.total == 1200
    scans.clear()  # (queue.ids reads through it too)
    source.want_order(1)  # the user went deep into the list
    posted.wait_for(lambda items: any(isinstance(i, Order) for i in items))
    order = next(i for i in posted.items if isinstance(i, Order))
    assert list(order.ids) == expected and not order.refresh and order.gen == 1
    source.want_order(1)  # asked again (or for an older load): read once
    source.want_order(0)
    _settled(source, posted)
    assert len(scans) == 1 and sum(isinstance(i, Order) for i in posted.items) == 1


def test_a_short_list_posts_its_whole_order_with_its_first_page(desk, reader, monkeypatch):
    monkeypatch.setattr(queue_source, "PAINT_GRACE", 0.0)
    _bulk(desk, 30)
    source, posted = reader
    source.load(Load(1, queue.QueueFilter(view="open"), "priority"))
    posted.wait_for(lambda items: any(isinstance(i, Order) for i in items))
    kinds = [type(i).__name__ for i in posted.items if not isinstance(i, Changes)]
    assert kinds == ["Page", "Count", "Order"] and len(next(i for i in posted.items if isinstance(i, Order)).ids) == 30


def test_windows_and_rows_are_answered_while_the_id_list_is_read(desk, reader, monkeypatch):
    _bulk(desk, 3000)
    source, posted = reader
    started = threading.Event()
    real = queue.iter_ids

    def slow_ids(*args, **kwargs):  # a million ids, slowed down: 30 chunks of 100, 20 ms each
        for chunk in real(*args, chunk=100, **kwargs):
            started.set()
            time.sleep(0.02)
            yield chunk

    monkeypatch.setattr(queue, "iter_ids", slow_ids)
    monkeypatch.setattr(queue_source, "PAINT_GRACE", 0.0)
    source.load(Load(7, queue.QueueFilter(view="open"), "priority"))
    source.want_order(7)
    assert started.wait(5)
    source.fetch_window(7, 2800, 200)
    source.fetch_rows([5, 6])
    posted.wait_for(lambda items: any(isinstance(i, Order) for i in items))
    kinds = [(type(i).__name__, getattr(i, "offset", None)) for i in posted.items]
    order_at = kinds.index(("Order", None))
    assert kinds.index(("Page", 2800)) < order_at and kinds.index(("Rows", None)) < order_at
    window = next(i for i in posted.items if isinstance(i, Page) and i.offset == 2800)
    assert len(window.ids) == 200 and window.complete is False
    order = posted.items[order_at]
    assert list(order.ids[2800:3000]) == window.ids


def test_a_newer_load_abandons_the_old_list(desk, reader, monkeypatch):
    monkeypatch.setattr(queue_source, "PAINT_GRACE", 0.0)
    _bulk(desk, 2000)
    source, posted = reader
    source.load(Load(1, queue.QueueFilter(view="open"), "priority"))
    source.want_order(1)
    source.load(Load(2, queue.QueueFilter(view="open", priorities=frozenset({1})), "age"))
    source.want_order(2)
    posted.wait_for(lambda items: any(isinstance(i, Order) and i.gen == 2 for i in items))
    order = next(i for i in posted.items if isinstance(i, Order) and i.gen == 2)
    assert len(order.ids) == 500
    assert all(i.gen == 2 for i in posted.items if isinstance(i, Order))


def test_a_poll_reports_what_another_connection_changed(desk, reader):
    from desk.services import incidents

    source, posted = reader
    source.load(Load(1, queue.QueueFilter(view="open"), "priority"))
    posted.wait_for(lambda items: any(isinstance(i, Count) for i in items))
    inc = incidents.create(desk, "li", title="written elsewhere", impact=1, urgency=1)
    source.poll()
    posted.wait_for(lambda items: any(isinstance(i, Changes) for i in items))
    changes = next(i for i in posted.items if isinstance(i, Changes))
    assert changes.ids == {inc.id}
    posted.wait_for(lambda items: any(isinstance(i, Order) and i.refresh for i in items))
    assert inc.id in next(i for i in posted.items if isinstance(i, Order) and i.refresh).ids


def test_a_peeked_page_is_kept_for_exactly_its_filter_and_a_load_uses_it(desk, reader, monkeypatch):
    monkeypatch.setattr(queue_source, "PAINT_GRACE", 0.0)
    _bulk(desk, 300)
    source, posted = reader
    typed = queue.QueueFilter(view="all", text="bulk 1")  # bulk 1, 10-19, 100-199: 111 incidents
    source.peek(Load(0, typed, "priority"))
    deadline = time.monotonic() + 5
    while source._peeked is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert source.peeked(typed.with_(text="bulk 2"), "priority", False) is None  # another filter: not it
    source.peek(Load(0, typed, "priority"))
    while source._peeked is None and time.monotonic() < deadline:
        time.sleep(0.01)
    windows = []
    real = queue.window
    monkeypatch.setattr(queue, "window", lambda *a, **k: (windows.append(a), real(*a, **k))[1])
    source.load(Load(1, typed, "priority"))  # the screen did not take it: the reader does
    posted.wait_for(lambda items: any(isinstance(i, Order) for i in items))
    page = next(i for i in posted.items if isinstance(i, Page))
    expected = queue.ids(typed, queue.context(desk, "admin", scoped=True))
    assert len(expected) == 111 and page.ids == expected[:queue_source.FIRST_PAGE]
    assert windows == []  # no second query
    assert next(i for i in posted.items if isinstance(i, Count)).total == len(expected)
