"""Figure 14: the problem (F7) and change (F8) queues at a realistic size (issue 18).

Two databases side by side in the same run: a small desk (200 problems, 500 changes) and a big
one (20,000 problems, 50,000 changes: years of a desk with 1M incidents, whose demo makes about
one problem per 50 recurring incidents and a change for most of them). Rows are written straight
into the tables by this module (not through the workflow: the queues read only the rows), in
every status, with owners, groups, services, titles from a small vocabulary ("printer" in about a
tenth of them) and windows spread over two years. bench.list_probe drives the desk app headless
at 120×40 and times, per queue, opening it with its F-key from the incident queue and, on its
"all" view, cursor down, page down, a sort change, a view change and a filter (enter). Goal: the
incident queue's key goals (figure 2): median ≤ 10 ms, p95 ≤ 33 ms, big within 1.3× of small.
"""

from __future__ import annotations

import os
import subprocess
import sys

from bench.harness import ROOT, Context, FigureResult, median, percentile, ratio
from bench.probe_runs import alternate, values

NUMBER, ID, TITLE = 14, "problem_queues", "The problem and change queues: 20,000 problems, 50,000 changes"
QUEUES = ("problems", "changes")
ACTIONS = [("down", "cursor down"), ("pagedown", "page down"), ("sort", "sort change (s)"),
           ("view", "view change (1/7)"), ("filter", "filter apply (enter)")]
GOAL_MEDIAN, GOAL_P95, GOAL_RATIO = 10.0, 33.0, 1.3
BIG, SMALL = (20_000, 50_000), (200, 500)
WORDS = ["VPN", "printer", "mail", "core system", "branch router", "storage", "batch job", "card reader", "Wi-Fi",
         "backup"]
VERBS = ["drops", "slow", "fails", "times out", "offline", "errors", "locks up", "restarts"]


def build(path: str, problems: int, changes: int) -> None:
    """A desk with the shipped set-up and `problems` problems and `changes` changes."""
    from datetime import datetime, timedelta

    from desk.config import load_config
    from desk.db import write_transaction
    from desk.domain import change_flow, problem_flow
    from desk.models import Agent, Change, Group, Problem, Service
    from desk.services import setup
    from desk.services.context import open_desk

    start = datetime(2024, 12, 1, 9, 0)
    now = start + timedelta(days=730)
    desk = open_desk(path, load_config(), user="admin", lang="en", create=True, clock=lambda: now)
    setup.init_database(desk)
    agents = [a.id for a in Agent.select(Agent.id)]
    groups = [g.id for g in Group.select(Group.id)] or [None]
    services = [s.id for s in Service.select(Service.id)] or [None]
    codes = [s.code for s in Service.select(Service.code)] or ["network"]
    categories = desk.config.codes("category")
    p_status, c_status = problem_flow.STATUSES, change_flow.STATUSES

    def title(n: int) -> str:
        return f"{WORDS[n % len(WORDS)].capitalize()} {VERBS[n // len(WORDS) % len(VERBS)]} ({n})"

    with write_transaction(desk.db):
        rows = []
        for n in range(problems):
            opened = start + timedelta(minutes=(n * 730 * 1440) // max(problems, 1))
            impact, urgency = 1 + n % 3, 1 + (n // 3) % 3
            rows.append({"title": title(n), "category": categories[n % len(categories)],
                         "service": services[n % len(services)], "impact": impact, "urgency": urgency,
                         "priority": desk.config.matrix.priority(impact, urgency), "status": p_status[n % len(p_status)],
                         "owner": agents[n % len(agents)] if n % 3 else None, "group": groups[n % len(groups)],
                         "created_by": agents[0], "opened_at": opened, "updated_at": opened + timedelta(hours=n % 97),
                         "version": 1 + n % 5})
            if len(rows) == 500:
                Problem.insert_many(rows).execute()
                rows = []
        if rows:
            Problem.insert_many(rows).execute()
        rows = []
        for n in range(changes):
            created = start + timedelta(minutes=(n * 730 * 1440) // max(changes, 1))
            status = c_status[n % len(c_status)]
            planned = created + timedelta(days=7, hours=n % 12) if status not in ("draft", "assessment") else None
            rows.append({"title": title(n * 7 + 3), "type": change_flow.TYPES[n % 3],
                         "services": ", ".join(codes[(n + k) % len(codes)] for k in range(1 + n % 2)),
                         "risk": change_flow.RISKS[n % 3], "status": status, "requester": agents[n % len(agents)],
                         "planned_start": planned, "planned_end": planned + timedelta(hours=2) if planned else None,
                         "created_at": created, "updated_at": created + timedelta(hours=n % 53),
                         "version": 1 + n % 7})
            if len(rows) == 500:
                Change.insert_many(rows).execute()
                rows = []
        if rows:
            Change.insert_many(rows).execute()
    desk.close()


def _database(ctx: Context, size: tuple[int, int]) -> str:
    path = os.path.join(str(ctx.tmp), f"queues-{size[0]}-{size[1]}.db")
    if os.path.exists(path):
        os.remove(path)
    code = f"from bench.fig_problem_queues import build; build({path!r}, {size[0]}, {size[1]})"
    proc = subprocess.run([sys.executable, "-c", code], cwd=ROOT, env=ctx.env(), capture_output=True, text=True,
                          timeout=1800)
    if proc.returncode != 0:
        raise RuntimeError(f"building the problem and change database failed: {proc.stderr[-1500:]}")
    return path


def run(ctx: Context) -> FigureResult:
    result = FigureResult(NUMBER, ID, TITLE)
    # (the smoke run checks the figure's shape, not its speed: one small database, read as both)
    big = SMALL if ctx.smoke else BIG
    small_path = _database(ctx, SMALL)
    big_path = small_path if ctx.smoke else _database(ctx, big)
    label = f"{big[0]:,} problems / {big[1]:,} changes"
    rounds = ctx.reps(full=3, quick=2, smoke=1)
    samples = 2 if ctx.smoke else 6 if ctx.quick else 8
    # (the smoke run reads the one small database as both sizes)
    paths = {"small": small_path} if ctx.smoke else {"small": small_path, "large": big_path}
    got = alternate(ctx, "bench.list_probe", paths, samples, rounds)
    got.setdefault("large", got["small"])

    for name in QUEUES:
        for action, what in ACTIONS:
            lg, sm = values(got, "large", name, action), values(got, "small", name, action)
            key = f"{name}_{action}"
            result.add(f"{key}_median", f"{name}: {what}: median, {label}", median(lg), "ms", "<=", GOAL_MEDIAN,
                       samples=len(lg))
            result.add(f"{key}_p95", f"{name}: {what}: p95, {label}", percentile(lg, 95), "ms", "<=", GOAL_P95,
                       samples=len(lg))
            result.add(f"{key}_ratio", f"{name}: {what}: big / small (medians)", ratio(median(lg), median(sm)), "x",
                       "<=", GOAL_RATIO)
        opened = values(got, "large", name, "open")
        result.add(f"{name}_open", f"{name}: opening the queue (F-key → first page), median, {label}",
                   median(opened), "ms", samples=len(opened))
        small_open = values(got, "small", name, "open")
        result.add(f"{name}_open_small", f"{name}: opening the queue, small desk", median(small_open), "ms",
                   samples=len(small_open))
    result.notes.append(f"SQLite; 120×40; {label} written straight into the tables, every status; filter 'printer'")
    return result
