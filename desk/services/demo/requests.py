"""Demo service requests (stage `requests`, after `problems`): about one request for every three
incidents, in every state — pending, accepted, dispatched, escalated, awaiting approval, cost or
the requester, resolved, closed as succeeded, failed, approval rejected, cancelled and
auto-closed — with approvals (one level or more, each in order), cost confirmations, callbacks
and returns to the desk, their SLA clocks and pause ledgers.

Each request's story is a script (request_story.py) that request_life.py plays into the very
rows the services would write for it — the same planners, the same history records and hash
chain, the same clock — so that a million-incident demo's ~330k requests are written in bulk
(bulk.py: blocks of request_plan.BLOCK, in worker processes for big loads) instead of ~85 ms a
request through the services. tests/services/test_demo_request_bulk.py plays the same scripts
through the services and finds the same rows.

Requests are generated in blocks, each from its own random stream (seeded by the seed, the first
new id and the block number): the result does not depend on how many processes generate them.
Ids are chosen up front, as for incidents."""

from __future__ import annotations

import gc
import random

from desk.db import is_sqlite
from desk.models import ServiceRequest
from desk.services.demo import bulk, indexes, request_delegations
from desk.services.demo.base import Build
from desk.services.demo.request_life import Player
from desk.services.demo.request_plan import Plan, make_plan
from desk.services.demo.request_story import script
from desk.services.demo.request_templates import Templates


# The tables only requests fill: empty on a first load, so their indexes are built at its end.
FIRST_LOAD_TABLES = ("service_request", "request_approval")
# Every table a block writes (request_life.Player.rows): the indexes of others are built meanwhile.
WRITES = (*FIRST_LOAD_TABLES, "history", "sla_pause", "sla_clock")


def held() -> int:
    return ServiceRequest.select().count() if ServiceRequest.table_exists() else 0


def adds(build: Build) -> dict:
    return {"requests": _count(build)}


def _count(build: Build) -> int:
    return max(1, build.incidents // 3) if build.incidents else 0


def make_block(plan: Plan, block: int) -> list:
    """(table, columns, rows) of the block-th plan.block requests (a pure function of the plan and
    the block number): requests, history, approvals, pauses, clocks."""
    rng = random.Random(f"desk-demo:{plan.seed}:{plan.first_id}:requests:{block}")
    player = Player(plan)
    play = Templates(player).play
    collecting = gc.isenabled()
    # A block makes ~100k tuples and lists that stay (its rows), none in a cycle: the collector's
    # passes over them, ever longer as the block grows, were ~8% of its CPU.
    gc.disable()
    try:
        for k in range(block * plan.block, min(plan.n, (block + 1) * plan.block)):
            play(plan.first_id + k, script(plan, rng, k))
    finally:
        if collecting:
            gc.enable()
    return player.rows()


def absences(build: Build) -> Plan | None:
    """Stage `absences`, before the incidents: the requests' plan and the approvers' past absences
    (written through the services, so into indexed history: the incidents stage drops history's
    indexes only if it was empty before these, `build.fresh`)."""
    from desk.models import History

    build.fresh = not History.select(History.id).limit(1).exists()  # nothing recorded on this desk yet
    build.report("absences", 0, 1)
    total = _count(build)
    if not total:
        build.report("absences", 1, 1)
        return None
    first_id = (ServiceRequest.select(ServiceRequest.id).order_by(ServiceRequest.id.desc()).scalar() or 0) + 1
    first_load = not build.held.get("requests")  # nobody works on this desk's requests yet
    plan = make_plan(build.desk, requests=total, seed=build.seed, days=build.days, now=build.now, first_id=first_id,
                     delegate=first_load)
    if plan is not None:
        request_delegations.before(build.desk, plan, build.now)
    build.report("absences", 1, 1)
    return plan


def stage(build: Build) -> int:
    """How many requests were made. Written right after the incidents, while history's indexes
    (dropped by a first load into an empty history) are still away: a request's ~7 history rows
    cost a third as much to write into an unindexed history. Then every index the two stages
    dropped is built once (reported as `indexes`, then `search`): those on tables no block writes
    (the incidents', and the title search) between the blocks, while workers generate requests."""
    desk = build.desk
    plan = build.made.get("absences")
    total = plan.n if plan is not None else 0
    db = desk.db
    sqlite = is_sqlite(db)
    first_load = not build.held.get("requests")
    saved = bulk.relax(db, bulk=first_load) if sqlite else {}  # no disk sync per block
    dropped, build.unbuilt = build.unbuilt, []
    try:
        build.report("requests", 0, total)
        if plan is not None:
            if first_load:
                dropped += indexes.drop(desk, FIRST_LOAD_TABLES)
            workers = bulk.default_workers(total) if build.workers is None else build.workers
            ahead = indexes.alongside(desk, dropped, WRITES, build.progress) if dropped else None
            bulk.load(desk, make_block, plan, blocks=-(-total // plan.block), total=total, label="requests",
                      workers=workers, progress=build.progress, alongside=ahead)
            if not sqlite:
                db.execute_sql("SELECT setval(pg_get_serial_sequence('service_request', 'id'), "
                               "(SELECT MAX(id) FROM service_request))")
        searched = False
        if dropped:
            if sqlite:  # sorting in small runs, with helper threads, builds indexes faster
                bulk.sort_in_runs(db)
            searched = indexes.restore(desk, dropped, build.progress)
            dropped = []
        else:
            build.report("indexes", 1, 1)
        if not searched:  # its triggers kept the title search in step (or PostgreSQL's index)
            build.report("search", 1, 1)
        if not sqlite:
            for table in ("incident", "history", "service_request"):
                db.execute_sql(f"ANALYZE {table}")
    finally:
        if dropped:  # interrupted: the indexes come back before anything else happens
            try:
                indexes.restore(desk, dropped, None)
            except Exception:  # the setting keeps them for the next run
                pass
        if saved:
            bulk.restore(db, saved)
    if plan is not None:
        request_delegations.after(desk, plan, build.now)
    return total
