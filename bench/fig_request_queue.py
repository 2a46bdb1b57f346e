"""Figure 15: the request queue (F3) on 300,000 service requests against a small desk (issue 14).

Two databases side by side in the same run, each the demo's people and its requests stage alone
(desk.services.demo: requests written in bulk, with their histories, approvals, ledgers and
clocks, exactly as the services would have; no incidents, which the request queue never reads):
a small desk of 1,000 requests and a big one of 300,000 (what `desk demo --incidents 900000`
makes). bench.request_probe drives the desk app headless at 120×40 and times opening the queue
with F3 from the incident queue and, on its "all" view, cursor down, page down, a sort change, a
view change (`7` ↔ `3`, all ↔ open) and a filter (enter). Goal: the incident queue's key goals
(figure 2): median ≤ 10 ms, p95 ≤ 33 ms, big within 1.3× of small.
"""

from __future__ import annotations

import os
import subprocess
import sys

from bench.harness import ROOT, Context, FigureResult, median, percentile, ratio
from bench.probe_runs import alternate, values

NUMBER, ID, TITLE = 15, "request_queue", "The request queue: 300,000 service requests"
ACTIONS = [("down", "cursor down"), ("pagedown", "page down"), ("sort", "sort change (s)"),
           ("view", "view change (7/3)"), ("filter", "filter apply (enter)")]
GOAL_MEDIAN, GOAL_P95, GOAL_RATIO = 10.0, 33.0, 1.3
BIG, SMALL = 300_000, 1_000


def build(path: str, requests: int) -> None:
    """A desk with the shipped set-up, the demo's people and `requests` demo requests (90 days)."""
    from datetime import datetime

    from desk.config import load_config
    from desk.services import setup
    from desk.services.context import open_desk
    from desk.services.demo import people, requests as demo_requests
    from desk.services.demo.base import Build

    now = datetime(2026, 12, 1, 9, 0)
    desk = open_desk(path, load_config(), user="admin", lang="en", create=True, clock=lambda: now)
    setup.init_database(desk)
    build = Build(desk, incidents=requests * 3, seed=42, days=90, now=now)
    build.made["people"] = people.stage(build)
    build.made["absences"] = demo_requests.absences(build)  # the requests' plan (the demo's stage before them)
    made = demo_requests.stage(build)
    if made != requests:  # (a demo that changed its stages under this build once made an empty desk)
        raise RuntimeError(f"the demo's requests stage made {made} requests, not {requests}")
    desk.db.execute_sql("ANALYZE")
    desk.close()


def _database(ctx: Context, requests: int) -> str:
    path = os.path.join(str(ctx.tmp), f"requests-{requests}.db")
    if os.path.exists(path):
        os.remove(path)
    code = f"from bench.fig_request_queue import build; build({path!r}, {requests})"
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=ctx.env(), capture_output=True, text=True,
                          timeout=3600)
    if proc.returncode != 0:
        raise RuntimeError(f"building the request database failed: {proc.stderr[-1500:]}")
    return path


def run(ctx: Context) -> FigureResult:
    result = FigureResult(NUMBER, ID, TITLE)
    big = SMALL if ctx.smoke else BIG
    small_path = _database(ctx, SMALL)
    big_path = small_path if ctx.smoke else _database(ctx, big)  # (the smoke run reads one desk as both)
    label = f"{big:,} requests"
    rounds = ctx.reps(full=3, quick=2, smoke=1)
    samples = 2 if ctx.smoke else 6 if ctx.quick else 8
    paths = {"small": small_path} if ctx.smoke else {"small": small_path, "large": big_path}
    got = alternate(ctx, "bench.request_probe", paths, samples, rounds)
    got.setdefault("large", got["small"])
    for action, what in ACTIONS:
        lg, sm = values(got, "large", "requests", action), values(got, "small", "requests", action)
        result.add(f"{action}_median", f"{what}: median, {label}", median(lg), "ms", "<=", GOAL_MEDIAN,
                   samples=len(lg))
        result.add(f"{action}_p95", f"{what}: p95, {label}", percentile(lg, 95), "ms", "<=", GOAL_P95,
                   samples=len(lg))
        result.add(f"{action}_ratio", f"{what}: big / small (medians)", ratio(median(lg), median(sm)), "x", "<=",
                   GOAL_RATIO)
    for size, name in (("large", "open"), ("small", "open_small")):
        opened = values(got, size, "requests", "open")
        result.add(name, f"opening the queue (F3 → first page), median, {size} desk", median(opened), "ms",
                   samples=len(opened))
    result.notes.append(f"SQLite; 120×40; {label} from the demo's bulk writer against {SMALL:,}; filter {'laptop'!r}")
    return result
