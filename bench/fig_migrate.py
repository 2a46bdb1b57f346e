"""Migration from another tool (`desk migrate`, issue 17): the real BPIC 2014 sample with its
activities as history, and a 150,000-row ServiceNow-shaped audit export (30,000 tickets of five
updates each, made up here, deterministic) against the goal of 60 s."""

from __future__ import annotations

import csv
import json
import random
import subprocess
import sys
from datetime import datetime, timedelta
from pathlib import Path

from bench.harness import ROOT, Context, FigureResult

NUMBER, ID, TITLE = 10, "migrate", "Migration from another tool's CSV export"
GOAL_S = 60.0
DATA = Path("/work/shared/data")
STATES = ["New", "Active", "Awaiting User Info", "Resolved", "Closed"]

_PROBE = r"""
import json, sys, time
from desk.config import load_config
from desk.services import setup
from desk.services.context import open_desk
from desk.services.transfer import mapping, migrate

target, name, path, events = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] or None
desk = open_desk(target, load_config(), user="admin", lang="en")
setup.init_database(desk)
started = time.perf_counter()
result = migrate.migrate_csv(desk, mapping.load(desk.config, name), path, events)
print(json.dumps({"seconds": time.perf_counter() - started, "rows": result.rows, "created": result.created,
                  "history": result.history, "refused": len(result.refused)}))
"""


def audit_file(path: Path, tickets: int, seed: int = 42) -> int:
    """A ServiceNow-shaped audit export: `tickets` numbers, five rows each, rows shuffled."""
    rng = random.Random(seed)
    start = datetime(2016, 2, 29)
    rows = []
    for n in range(tickets):
        opened = start + timedelta(minutes=7 * n)
        impact = rng.choice(["1 - High", "2 - Medium", "3 - Low"])
        for i, state in enumerate(STATES):
            at = opened + timedelta(hours=3 * i)
            rows.append({"number": f"INC{n:07d}", "incident_state": state, "short_description": f"case {n}",
                         "description": "", "close_notes": "done" if i >= 3 else "", "impact": impact,
                         "urgency": "2 - Medium", "priority": "3 - Moderate", "category": "Network",
                         "closed_code": "Solved (Permanently)" if i >= 3 else "",
                         "assignment_group": "network", "assigned_to": "", "caller_id": f"Caller {n % 500}",
                         "opened_at": opened.strftime("%d/%m/%Y %H:%M"),
                         "resolved_at": (opened + timedelta(hours=9)).strftime("%d/%m/%Y %H:%M") if i >= 3 else "",
                         "closed_at": (opened + timedelta(hours=12)).strftime("%d/%m/%Y %H:%M") if i == 4 else "",
                         "reopen_count": "0", "sys_updated_at": at.strftime("%d/%m/%Y %H:%M"),
                         "sys_updated_by": f"Resolver {n % 40}"})
    rng.shuffle(rows)
    with open(path, "w", newline="", encoding="utf-8") as fh:
        writer = csv.DictWriter(fh, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return len(rows)


def _probe(ctx: Context, name: str, path: Path, events: Path | None) -> dict:
    target = ctx.tmp / f"migrate-{name}.db"
    proc = subprocess.run([sys.executable, "-c", _PROBE, str(target), name, str(path), str(events or "")],
                          cwd=ROOT, env=ctx.env(), capture_output=True, text=True, timeout=3600)
    target.unlink(missing_ok=True)
    if proc.returncode != 0:
        raise RuntimeError(f"the migration probe failed (exit {proc.returncode}): {proc.stderr[-1500:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def run(ctx: Context) -> FigureResult:
    result = FigureResult(NUMBER, ID, TITLE)
    incidents = DATA / "bpic2014_sample_incident.csv.gz"
    if incidents.exists() and not ctx.smoke:  # 10 s: more than a smoke run should take
        data = _probe(ctx, "bpic2014", incidents, DATA / "bpic2014_sample_incident_activity.csv.gz")
        rows = data["rows"] + data["history"] - data["created"]  # incident rows and activity rows read
        result.add("bpic_s", f"BPIC 2014 sample: {data['created']:,} incidents, {data['history']:,} history rows",
                   data["seconds"], "s", samples=1)
        result.add("bpic_rate", "BPIC 2014 sample, source rows per second", rows / data["seconds"], "rows/s")
    tickets = ctx.reps(full=30_000, quick=30_000, smoke=200)
    path = ctx.tmp / "servicenow-audit.csv"
    total = audit_file(path, tickets)
    data = _probe(ctx, "servicenow", path, None)
    path.unlink(missing_ok=True)
    result.add("audit_rate", "audit export, rows per second (150,000 rows in 60 s)", total / data["seconds"],
               "rows/s", ">=", 150_000 / GOAL_S)
    result.add("audit_s", f"ServiceNow-shaped audit export, {total:,} rows ({data['created']:,} tickets)",
               data["seconds"], "s", samples=1)
    result.notes.append("SQLite FULL; one transaction per migration")
    return result
