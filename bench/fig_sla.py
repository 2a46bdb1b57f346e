"""Figure 8: SLA clocks over the big database (issue 15).

Opens the cached big database (the demo generator's; its last stage gives every open incident its
running clock) in a process of its own, on a clock set to the newest incident, and times:
- the wallboard's refresh: every figure and list it shows (`desk.screens.board.read_board`: the
  snapshot's queries plus the business time left of each listed incident), median of warm runs;
- the SLA state of a visible page of 50 rows (the queue's "open" view sorted by SLA): the
  engine's clock of each row from its stored due time and its service's calendar;
- the full clock of one incident with its ledger (what the detail and `desk sla show` read);
- `desk sla tick` when nothing is due (the clock set just before the earliest threshold: one
  index probe).
Nothing is written to the cached file.
"""

from __future__ import annotations

import json
import subprocess
import sys

from bench.harness import ROOT, Context, FigureResult, median, percentile

NUMBER, ID, TITLE = 8, "sla", "SLA clocks: wallboard refresh, a page of clocks, an idle tick"
GOAL_BOARD_MS, GOAL_PAGE_MS, GOAL_TICK_MS = 50.0, 5.0, 50.0

_PROBE = r"""
import json, sys, time
from datetime import timedelta
from desk.config import load_config
from desk.models import Incident, SlaClock
from desk.services import queue, sla_tick, sla_views
from desk.services.context import open_desk
from desk.screens.board import read_board, STATUSES

path, repeat = sys.argv[1], int(sys.argv[2])
desk = open_desk(path, load_config(), user="admin", lang="en", create=False)
user = desk.db.execute_sql("SELECT login FROM agent WHERE roles LIKE '%lead%' AND active LIMIT 1").fetchone()[0]
desk.user = user
newest = Incident.select(Incident.opened_at).order_by(Incident.opened_at.desc()).scalar()
desk.clock = lambda: newest

def timed(fn):
    out = []
    for _ in range(repeat + 1):
        t = time.perf_counter(); fn(); out.append((time.perf_counter() - t) * 1000)
    return out[0], out[1:]

board_cold, board = timed(lambda: read_board(desk))
b, _ = read_board(desk)
ctx = queue.context(desk)
ids = queue.window(queue.QueueFilter(view="open"), ctx, "sla", 0, 50)
rows = queue.rows(ids, desk)
svc = dict(Incident.select(Incident.id, Incident.service).where(Incident.id.in_(ids)).tuples())
def page():
    for r in rows:
        sla_views.row_clock(desk, status=r.status, priority=r.priority, service_id=svc.get(r.id), due_at=r.due_at,
                            resolved_at=r.resolved_at, open_statuses=STATUSES, now=newest)
page_cold, page_ms = timed(page)
one = rows[0].id if rows else 1
detail_cold, detail = timed(lambda: sla_views.incident_sla(desk, one))
first = SlaClock.select(SlaClock.next_at).where(SlaClock.next_at.is_null(False)).order_by(SlaClock.next_at).scalar()
if first is not None:
    desk.clock = lambda: first - timedelta(seconds=1)
tick_cold, ticks = timed(lambda: sla_tick.tick(desk))
assert sla_tick.tick(desk).escalations == 0
clocks = SlaClock.select().count()
print(json.dumps({"board": board, "board_cold": board_cold, "page": page_ms, "detail": detail, "tick": ticks,
                  "tick_cold": tick_cold, "clocks": clocks, "breached": b.breached_total, "soon": b.soon_total,
                  "open": b.open_total, "rows": len(rows)}))
"""


def run(ctx: Context) -> FigureResult:
    result = FigureResult(NUMBER, ID, TITLE)
    path = ctx.database(ctx.large)
    repeat = ctx.reps(full=15, quick=9, smoke=3)
    proc = subprocess.run([sys.executable, "-c", _PROBE, path, str(repeat)], cwd=ROOT, env=ctx.env(),
                          capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        raise RuntimeError(f"the SLA probe failed (exit {proc.returncode}): {proc.stderr[-1500:]}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    label = ctx.large_label
    result.add("board", f"wallboard refresh, median of {repeat} warm reads, {label}", median(out["board"]), "ms",
               "<=", GOAL_BOARD_MS, samples=len(out["board"]))
    result.add("page", f"SLA state of a page of {out['rows']} queue rows, median, {label}", median(out["page"]), "ms",
               "<=", GOAL_PAGE_MS, samples=len(out["page"]))
    result.add("tick", f"desk sla tick with nothing due, median, {label}", median(out["tick"]), "ms", "<=",
               GOAL_TICK_MS, samples=len(out["tick"]))
    result.add("board_p95", "wallboard refresh, slowest warm read", percentile(out["board"], 100), "ms")
    result.add("board_cold", "wallboard refresh, first read of the process", out["board_cold"], "ms", samples=1)
    result.add("detail", "one incident's clocks and ledger (detail), median", median(out["detail"]), "ms")
    result.add("clocks", "running clocks (open incidents with a target)", out["clocks"], "count")
    result.add("open", "open incidents on the board", out["open"], "count")
    result.add("breached", "breached / breaching soon on the board", out["breached"], "count")
    result.notes.append(f"breaching soon: {out['soon']}; SQLite; clock at the newest incident")
    return result
