"""Auto-close (exactly once, however often and from however many desks it runs) and the request
KPIs for the reports issue, on a dataset whose figures are worked out by hand below."""

import threading
from datetime import timedelta

import pytest

from desk.domain.errors import NotAllowed
from desk.models import History, ServiceRequest
from desk.services import request_kpis, request_reads, requests
from desk.services.context import open_desk


def resolved(desk, **kw):
    r = requests.create(desk, "li", title="Mailbox quota", checked=["all"], accept=True, **kw)
    requests.dispatch(desk, "li", r.id, to="chen")
    return requests.fulfil(desk, "chen", r.id, note="raised to 10 GB")


def test_auto_close_closes_silent_resolved_requests_once_after_the_days(desk, clock):
    silent = resolved(desk)
    called = resolved(desk)
    requests.callback(desk, "li", called.id, satisfaction=3)
    clock.advance(days=5)  # exactly five days later
    late = resolved(desk)  # resolved just now: not due
    assert requests.auto_close(desk, "li") == [silent.id]
    assert requests.auto_close(desk, "li") == []  # twice: nothing more
    done = request_reads.get(desk, silent.id)
    assert done.status == "closed" and done.auto_closed and done.close_code == "succeeded"
    assert done.history[-1].action == "auto_close"
    assert request_reads.get(desk, called.id).status == "resolved"
    assert request_reads.get(desk, late.id).status == "resolved"


def test_auto_close_before_the_days_closes_nothing(desk, clock):
    r = resolved(desk)
    clock.advance(days=4, hours=23)
    assert requests.auto_close(desk, "li") == []
    clock.advance(hours=1)
    assert requests.auto_close(desk, "li") == [r.id]


def test_auto_close_needs_the_close_permission(desk):
    with pytest.raises(NotAllowed):
        requests.auto_close(desk, "chen")


def test_two_desks_auto_closing_at_once_close_each_request_once(desk, clock, db_url):
    ids = [resolved(desk).id for _ in range(12)]
    clock.advance(days=6)
    others = [open_desk(db_url, desk.config, clock=clock, user="li", lang="en") for _ in range(2)]
    results, start = [], threading.Barrier(2)

    def run(d):
        start.wait()
        results.append(requests.auto_close(d, "li"))

    threads = [threading.Thread(target=run, args=(d,)) for d in others]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    for d in others:
        d.close()
    assert sorted(results[0] + results[1]) == ids  # each once, between them
    closes = History.select().where((History.entity == "request") & (History.action == "auto_close")).count()
    assert closes == 12
    assert ServiceRequest.select().where(ServiceRequest.auto_closed == True).count() == 12  # noqa: E712


def test_kpis_on_a_hand_checked_dataset(desk, clock):
    start = clock.now
    # r1, priority 3: response 10 min, handled in 70 min, satisfaction 5, closed succeeded
    r1 = requests.create(desk, "li", title="r1", checked=["all"], priority=3)
    clock.advance(minutes=10)
    requests.accept(desk, "li", r1.id)
    requests.dispatch(desk, "li", r1.id, to="chen")
    clock.advance(minutes=60)
    requests.fulfil(desk, "chen", r1.id, note="done")
    requests.callback(desk, "li", r1.id, satisfaction=5)
    requests.close(desk, "li", r1.id)
    # r2, priority 1 (resolve target 240 min): response 20, handled in 300 (overdue), failed, auto-closed
    r2 = requests.create(desk, "li", title="r2", checked=["all"], priority=1)
    clock.advance(minutes=20)
    requests.accept(desk, "li", r2.id)
    requests.dispatch(desk, "li", r2.id, to="chen")
    clock.advance(minutes=280)
    requests.resolve(desk, "chen", r2.id, outcome="failed", note="no stock")
    # r3, priority 3: cancelled 10 minutes later, never answered (no response time, not overdue)
    r3 = requests.create(desk, "li", title="r3", checked=["all"], priority=3)
    clock.advance(minutes=10)
    requests.cancel(desk, "li", r3.id, reason="user withdrew")
    # r4, priority 4 (target 4320 min): response 30, still open five days later (overdue)
    r4 = requests.create(desk, "li", title="r4", checked=["all"], priority=4)
    clock.advance(minutes=30)
    requests.accept(desk, "li", r4.id)
    clock.advance(days=5)
    assert requests.auto_close(desk, "li") == [r2.id]
    end = clock.now
    requests.create(desk, "li", title="after the period", checked=["all"])  # registered at `end`: outside

    k = request_kpis.kpis(desk, "repm", start=start, end=end)
    assert k == request_kpis.RequestKpis(
        total=4, closed=3, closed_rate=0.75, auto_closed=1, auto_closed_rate=0.3333, succeeded=1,
        succeeded_rate=0.3333, mean_response_minutes=20.0, mean_handling_minutes=185.0, mean_satisfaction=5.0,
        overdue=2)
    empty = request_kpis.kpis(desk, "repm", start=end + timedelta(days=1), end=end + timedelta(days=2))
    assert empty.total == 0 and empty.closed_rate is None and empty.mean_satisfaction is None
