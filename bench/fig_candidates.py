"""Figure 7: problem candidates over the big database (`desk problem candidates`, issue 18).

Opens the cached big database (the demo generator's: incidents over 90 days, a third of them in
the last 30) in a process of its own and times `problem_candidates.candidates` with the shipped
settings (3 incidents of the same service and category in 30 days, not linked to a problem),
on a clock set to the newest incident, so the window holds the same rows whenever the file was
built. The first call is timed apart (cold page cache for this process); the figure is the
median of the warm calls. Also: how many candidates and incidents that covered.
"""

from __future__ import annotations

import json
import subprocess
import sys

from bench.harness import ROOT, Context, FigureResult, median, percentile

NUMBER, ID, TITLE = 7, "candidates", "Problem candidates over the big database"
GOAL_S = 1.0

_PROBE = r"""
import json, sys, time
from datetime import datetime
from desk.config import load_config
from desk.models import Incident
from desk.services import problem_candidates
from desk.services.context import open_desk

path, repeat = sys.argv[1], int(sys.argv[2])
desk = open_desk(path, load_config(), user="admin", lang="en", create=False)
newest = Incident.select(Incident.opened_at).order_by(Incident.opened_at.desc()).scalar()
desk.clock = lambda: newest
times, found = [], []
for _ in range(repeat + 1):
    started = time.perf_counter()
    found = problem_candidates.candidates(desk)
    times.append(time.perf_counter() - started)
print(json.dumps({"cold": times[0], "warm": times[1:], "candidates": len(found),
                  "incidents": sum(c.count for c in found)}))
"""


def run(ctx: Context) -> FigureResult:
    result = FigureResult(NUMBER, ID, TITLE)
    path = ctx.database(ctx.large)
    repeat = ctx.reps(full=7, quick=5, smoke=2)
    proc = subprocess.run([sys.executable, "-c", _PROBE, path, str(repeat)], cwd=ROOT, env=ctx.env(),
                          capture_output=True, text=True, timeout=600)
    if proc.returncode != 0:
        raise RuntimeError(f"the candidates probe failed (exit {proc.returncode}): {proc.stderr[-1500:]}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    label = ctx.large_label
    result.add("median", f"candidates, median of {repeat} warm runs, {label}", median(out["warm"]), "s", "<=",
               GOAL_S, samples=len(out["warm"]))
    result.add("p95", f"candidates, slowest warm run, {label}", percentile(out["warm"], 100), "s")
    result.add("cold", f"candidates, first run of the process, {label}", out["cold"], "s", samples=1)
    result.add("found", "candidates found (service × category groups)", out["candidates"], "count")
    result.add("incidents", "unlinked incidents in them (30 days)", out["incidents"], "count")
    result.notes.append("SQLite; window 30 days ending at the newest incident; at least 3 per group")
    return result
