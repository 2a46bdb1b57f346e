"""Many processes changing the same incidents at once lose nothing (Jira's refusal of
simultaneous transitions; RT's one history row per change).

8 processes × N transitions on the same 50 incidents, through the services, each process with
its own desk (`open_desk(url, user=...)`). Each attempt reads an incident's version, then calls a
random transition with `expect_version`. CI runs 8 × 150; DESK_STRESS_FULL=1 runs 8 × 500.
"""

from __future__ import annotations

import time
from collections import Counter

import pytest

from desk.models import History, Incident
from desk.services import agents, incidents
from desk.services.check import run_check
from reliability import workers
from reliability.helpers import child_env, mp_context, size

INCIDENTS = 50


def _setup(db_url, clock, processes):
    from conftest import make_desk

    desk = make_desk(db_url, clock)
    logins = [f"w{i}" for i in range(processes)]
    for login in logins:
        agents.save_agent(desk, "admin", agent_login=login, name=login, roles=["l1", "lead"], group="desk")
    ids = [incidents.create(desk, "admin", title=f"incident {i}", impact=2, urgency=2, caller="Zhang Wei").id
           for i in range(INCIDENTS)]
    desk.close()
    return logins, ids


@pytest.mark.stress
def test_concurrent_transitions_lose_no_update_and_refuse_only_with_typed_errors(db_url, clock, capsys):
    processes, per_process = 8, size(150, 500)
    logins, ids = _setup(db_url, clock, processes)
    ctx = mp_context()
    start, results = ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=workers.transitions,
                         args=(db_url, login, logins, ids, per_process, 1000 + i, child_env(), start, results))
             for i, login in enumerate(logins)]
    for p in procs:
        p.start()
    time.sleep(0.3)  # let every worker open its desk and wait at the start line
    t0 = time.monotonic()
    start.set()
    outs = [results.get(timeout=600) for _ in procs]
    wall = time.monotonic() - t0
    for p in procs:
        p.join(30)

    unexpected = [u for o in outs for u in o["unexpected"]]
    assert unexpected == []  # no DatabaseBusy, no "database is locked", no NotAllowed, no traceback
    attempts = sum(o["attempts"] for o in outs)
    ok = sum(o["ok"] for o in outs)
    stale = sum(o["stale"] for o in outs)
    invalid = sum(o["invalid"] for o in outs)
    assert attempts == processes * per_process
    blamed = Counter()
    for o in outs:
        blamed.update(o["stale_by"])
    # Every StaleVersion named who changed the incident: one of the other workers.
    assert set(blamed) <= set(logins) and stale == sum(blamed.values())

    from desk.services.context import open_desk

    desk = open_desk(db_url, user="admin")
    rows = History.select().where(History.entity == "incident").count()
    assert rows == INCIDENTS + ok  # one history row per creation and per successful transition
    for inc in Incident.select():
        assert inc.version == History.select().where(
            (History.entity == "incident") & (History.entity_id == inc.id)).count()
    report = run_check(desk)
    assert report.problems == []
    statuses = Counter(i.status for i in Incident.select())
    desk.close()
    with capsys.disabled():
        backend = "postgres" if db_url.startswith("postgres") else "sqlite"
        by_action = Counter()
        for o in outs:
            by_action.update(o["ok_by_action"])
        print(f"\n[concurrency {backend}] {processes}×{per_process} attempts in {wall:.1f} s "
              f"({attempts / wall:.0f} attempts/s, {ok / wall:.0f} changes/s): {ok} changes, {stale} stale "
              f"({stale / attempts:.0%}), {invalid} invalid; ok by action {dict(by_action)}; final {dict(statuses)}")
