"""`desk demo`'s index build: what a first load drops comes back whole, and the part that no block
of a load writes is built between its blocks while the workers generate the next ones
(bulk.load's `alongside`, indexes.alongside). SQLite, and PostgreSQL too when DESK_TEST_PG is set."""

import dataclasses
import os
import random
import types

import pytest
from demo_schema import index_sql as _index_sql

from desk.db import is_sqlite
from desk.models import History, Incident, Setting
from desk.services import demo, history, schema


def _names(desk) -> set[str]:
    return {name for name, _ in _index_sql(desk)}


def _incident_plan(desk, incidents: int, block: int, first_id: int = 1):
    people = demo.people.make(desk, random.Random("desk-demo:5:people"), None)
    articles = demo.knowledge.make(desk, random.Random("desk-demo:5:knowledge"), desk.now(), None)
    plan = demo.incident_plan.make_plan(desk, incidents=incidents, seed=5, days=9, now=desk.now(), first_id=first_id,
                                        people=people, articles=articles)
    return dataclasses.replace(plan, block=block)


def test_a_step_alongside_a_load_is_taken_between_two_blocks_with_workers_only(desk, monkeypatch):
    clock = [0.0]  # a step takes longer than a block: one step a gap
    monkeypatch.setattr(demo.bulk, "time", types.SimpleNamespace(perf_counter=lambda: clock[0]))
    plan = _incident_plan(desk, 250, 50)
    seen = []

    def steps():
        for _ in range(100):  # more than the gaps take
            clock[0] += 10
            seen.append((Incident.select().count(), History.select().count() > 0))
            yield False

    demo.bulk.load(desk, demo.incidents.make_block, plan, blocks=5, total=250, label="incidents", workers=2,
                   progress=None, alongside=steps())
    # after each whole block but the last (what is left then is the caller's): never half a block
    assert [count for count, _ in seen] == [50, 100, 150, 200]
    assert Incident.select().count() == 250 and list(history.verify_all()) == []

    seen.clear()
    more = _incident_plan(desk, 100, 50, first_id=251)
    demo.bulk.load(desk, demo.incidents.make_block, more, blocks=2, total=100, label="incidents", workers=0,
                   progress=None, alongside=steps())
    assert seen == []  # in this process the blocks are generated here: no core is left for it


def test_alongside_builds_only_what_the_load_does_not_write_and_restore_the_rest(desk):
    before = _index_sql(desk)
    dropped = demo.indexes.drop(desk, ("incident", "history"), search=True)
    on = {"incident": {n for n, sql in dropped if n.startswith("incident_") and "TRIGGER" not in sql.upper()},
          "history": {n for n, _ in dropped if n.startswith("history_")}}
    assert on["incident"] and on["history"]
    calls = []
    steps = list(demo.indexes.alongside(desk, dropped, ("incident", "sla_clock"), lambda *a: calls.append(a)))
    assert on["history"] <= _names(desk) and not on["incident"] & _names(desk)
    assert True not in steps and not [c for c in calls if c[0] == "search"]  # its table is still being written
    total = len([pair for pair in dropped if "TRIGGER" not in pair[1].upper()])
    assert calls[-1] == ("indexes", len(on["history"]), total)

    calls.clear()
    searched = demo.indexes.restore(desk, dropped, lambda *a: calls.append(a))
    assert calls[0] == ("indexes", len(on["history"]), total)  # those built alongside count as done
    assert [c for c in calls if c[0] == "indexes"][-1] == ("indexes", total, total)
    assert searched == is_sqlite(desk.db)
    assert _index_sql(desk) == before
    assert schema.search_problems(desk.db) == []


def test_a_search_filled_alongside_is_not_filled_again(desk):
    before = _index_sql(desk)
    dropped = demo.indexes.drop(desk, ("incident",), search=True)
    steps = list(demo.indexes.alongside(desk, dropped, ("history",), None))
    assert steps[-1] == is_sqlite(desk.db)  # the last step filled the search (SQLite: its triggers are back)
    calls = []
    assert demo.indexes.restore(desk, dropped, lambda *a: calls.append(a)) is False
    assert [c for c in calls if c[0] == "search"] == []
    assert _index_sql(desk) == before and schema.search_problems(desk.db) == []
    assert Setting.get_or_none(Setting.key == demo.indexes.PENDING_INDEXES) is None


def test_the_incidents_indexes_are_built_while_workers_generate_the_requests(desk, monkeypatch):
    monkeypatch.setattr(demo.request_plan, "BLOCK", 20)  # 50 requests: three blocks, two steps between them
    before = _index_sql(desk)
    calls = []
    demo.generate(desk, incidents=150, seed=4, days=9, workers=2, progress=lambda *a: calls.append(a))
    last_request = max(i for i, c in enumerate(calls) if c[0] == "requests")
    built_meanwhile = [c for c in calls[:last_request] if c[0] == "indexes" and c[1] > 0]
    assert len(built_meanwhile) >= 2 and [c[1] for c in built_meanwhile] == list(range(1, len(built_meanwhile) + 1))
    assert _index_sql(desk) == before
    assert schema.search_problems(desk.db) == []
    assert Setting.get_or_none(Setting.key == demo.indexes.PENDING_INDEXES) is None
    assert list(history.verify_all()) == []


def test_steps_alongside_a_load_stop_after_a_block_s_average_time(desk, monkeypatch):
    """Two cores: while this process steps, one worker waits to write and the other generates;
    steps that take longer than a block would leave that one waiting too. A block here takes 1.0
    on this clock and a step 0.3: four steps after each block (the fourth ends past 1.0)."""
    clock = [0.0]
    monkeypatch.setattr(demo.bulk, "time", types.SimpleNamespace(perf_counter=lambda: clock[0]))
    plan = _incident_plan(desk, 200, 50)
    gaps: list[int] = []

    def steps():
        for _ in range(40):  # more than the gaps take
            clock[0] += 0.3
            gaps[-1] += 1
            yield False

    def block_done(label, done, total):
        clock[0] += 1.0
        gaps.append(0)

    demo.bulk.load(desk, demo.incidents.make_block, plan, blocks=4, total=200, label="incidents", workers=2,
                   progress=block_done, alongside=steps())
    assert gaps == [4, 4, 4, 0]


def test_the_tables_a_request_block_writes_are_all_named_busy(desk):
    """An index built on a table the blocks still write would take every later row one by one."""
    plan = demo.request_plan.make_plan(desk, requests=60, seed=3, days=9, now=desk.now(), first_id=1, delegate=False)
    written = {table for table, _, rows in demo.requests.make_block(plan, 0)}
    assert written and written <= set(demo.requests.WRITES)


def test_builds_beside_workers_sort_in_one_thread_and_after_them_with_helpers(desk):
    """Beside the workers the second core is theirs; after the load nothing else runs, and SQLite's
    helper threads make the build shorter (at 1M history's three: 15.5 s of wall against 18.8)."""
    if not is_sqlite(desk.db):
        pytest.skip("PRAGMA threads is SQLite's")
    dropped = demo.indexes.drop(desk, ("incident",), search=True)
    steps = demo.indexes.alongside(desk, dropped, ("history",), None)
    next(steps)
    assert desk.db.execute_sql("PRAGMA threads").fetchone()[0] == 0
    list(steps)
    demo.bulk.sort_in_runs(desk.db)
    assert desk.db.execute_sql("PRAGMA threads").fetchone()[0] == min(4, os.cpu_count() or 1)
