"""Figure 11: a monthly report over the big database (`desk report generate`, issue 16).

Opens the cached big database (the demo generator's: incidents over 90 days) in a process of its
own and computes the monthly incident KPI report's figures (`reports.compute`: every incident
section and the comparison with the month before) for the last whole month before the newest
incident, on a clock set to that incident. Beside it, the same SQL statements run bare (their rows
fetched, nothing rolled up): the report's cost over the aggregates it runs; and the same figures
counted from every incident of the two months (the row-based path, what the report ran before the
per-day summary of schema 15). The first call is timed apart (cold page cache for this process); the
figures are medians of the warm calls. What is written: the per-day summary (desk.services.report_days),
computed for every day by the first call after the demo's load (timed apart, "summary_cpu"), in step
after that.
"""

from __future__ import annotations

import json
import subprocess
import sys

from bench.harness import ROOT, Context, FigureResult, median, percentile

NUMBER, ID, TITLE = 11, "reports", "A monthly incident KPI report over the big database"
GOAL_S = 2.0
GOAL_RATIO = 3.0

_PROBE = r"""
import json, sys, time
from desk.config import load_config
from desk.domain import report_flow as flow
from desk.models import Incident
from desk.services import report_days, report_figures as rf, report_list, reports
from desk.services.context import open_desk

path, repeat = sys.argv[1], int(sys.argv[2])
desk = open_desk(path, load_config(), user="admin", lang="en", create=False)
newest = Incident.select(Incident.opened_at).order_by(Incident.opened_at.desc()).scalar()
desk.clock = lambda: newest
period = flow.period_containing("monthly", reports.local(desk, newest)).previous()
entry = report_list.get(desk, "incident-kpi-monthly").content
start, end = reports.bounds(desk, period)
p_start, p_end = reports.bounds(desk, period.previous())
span = reports.summary_span(desk, period, newest)
p_span = reports.summary_span(desk, period.previous(), newest)
cpu_started = time.process_time()
report_days.refresh(rf._Sql(desk.db), span.tz)  # every day marked by the load: computed once
summary_cpu = time.process_time() - cpu_started


def bare():
    sql = rf._Sql(desk.db)
    report_days.refresh(sql, span.tz)  # nothing marked: the checks only
    rows = report_days.opened(sql, span)
    resolved = sum(int(r[2] or 0) for r in rows)
    responded = sum(int(r[7] or 0) for r in rows)
    rf._events(sql, start, end)
    rf._backlog(sql, end)
    rf._escalated(sql, start, end)
    report_days.breakdowns(sql, span)
    rf._percentile(sql, start, end, "first_response_at", responded, False)
    rf._percentile(sql, start, end, "resolved_at", resolved, True)
    rf._workload(sql, start, end)
    report_days.opened(sql, p_span)
    rf._events(sql, p_start, p_end)
    rf._backlog(sql, p_end)


def from_rows():  # the same figures counted from the rows (headline without the summary), both months
    rf.headline(desk, start, end, newest)
    rf.headline(desk, p_start, p_end, newest, detail=False)


def bare_rows():
    sql = rf._Sql(desk.db)
    rows = rf._opened(sql, start, end, end)
    resolved = sum(int(r[2] or 0) for r in rows)
    responded = sum(int(r[7] or 0) for r in rows)
    rf._events(sql, start, end)
    rf._backlog(sql, end)
    rf._escalated(sql, start, end)
    rf._breakdowns(sql, start, end)
    rf._percentile(sql, start, end, "first_response_at", responded, False)
    rf._percentile(sql, start, end, "resolved_at", resolved, True)
    rf._workload(sql, start, end)
    rf._opened(sql, p_start, p_end, p_end)
    rf._events(sql, p_start, p_end)
    rf._backlog(sql, p_end)


def timed(fn, cpu=None):
    started, cpu_started = time.perf_counter(), time.process_time()
    value = fn()
    if cpu is not None:
        cpu.append(time.process_time() - cpu_started)
    return time.perf_counter() - started, value


cold, figures = timed(lambda: reports.compute(desk, entry, period))
report_times, bare_times, report_cpu, bare_cpu, rows_cpu, bare_rows_cpu = [], [], [], [], [], []
for _ in range(repeat):
    report_times.append(timed(lambda: reports.compute(desk, entry, period), report_cpu)[0])
    bare_times.append(timed(bare, bare_cpu)[0])
    timed(from_rows, rows_cpu)
    timed(bare_rows, bare_rows_cpu)
same = rf.headline(desk, start, end, newest, days=span) == rf.headline(desk, start, end, newest)
s = figures["sections"]
print(json.dumps({"cold": cold, "report": report_times, "bare": bare_times, "period": period.key,
                  "report_cpu": report_cpu, "bare_cpu": bare_cpu, "rows_cpu": rows_cpu,
                  "bare_rows_cpu": bare_rows_cpu, "summary_cpu": summary_cpu, "same": same,
                  "opened": s["volume"]["opened"], "backlog": s["backlog"]["backlog"],
                  "escalations": s["escalation"]["escalations_functional"]}))
"""


def run(ctx: Context) -> FigureResult:
    result = FigureResult(NUMBER, ID, TITLE)
    path = ctx.database(ctx.large)
    repeat = ctx.reps(full=7, quick=5, smoke=2)
    proc = subprocess.run([sys.executable, "-c", _PROBE, path, str(repeat)], cwd=ROOT, env=ctx.env(),
                          capture_output=True, text=True, timeout=900)
    if proc.returncode != 0:
        raise RuntimeError(f"the report probe failed (exit {proc.returncode}): {proc.stderr[-1500:]}")
    out = json.loads(proc.stdout.strip().splitlines()[-1])
    label = ctx.large_label
    report, bare = median(out["report"]), median(out["bare"])
    result.add("median", f"monthly KPI report figures, median of {repeat} warm runs, {label}", report, "s", "<=",
               GOAL_S, samples=len(out["report"]))
    result.add("ratio", "report / its bare SQL aggregates (medians)", report / bare if bare else None, "×", "<=",
               GOAL_RATIO)
    result.add("bare", "the same SQL aggregates, bare: median", bare, "s", samples=len(out["bare"]))
    result.add("cpu", "report, CPU time of the process: median (the machine is shared)", median(out["report_cpu"]),
               "s", samples=len(out["report_cpu"]))
    result.add("bare_cpu", "bare SQL aggregates, CPU time: median", median(out["bare_cpu"]), "s",
               samples=len(out["bare_cpu"]))
    result.add("rows_cpu", "the same figures counted from the rows (no summary), CPU time: median",
               median(out["rows_cpu"]), "s", samples=len(out["rows_cpu"]))
    result.add("bare_rows_cpu", "the row-based SQL aggregates, bare, CPU time: median", median(out["bare_rows_cpu"]),
               "s", samples=len(out["bare_rows_cpu"]))
    result.add("summary_cpu", "the per-day summary computed for every day (first report after the load), CPU time",
               out["summary_cpu"], "s", samples=1)
    result.add("same", "summary and rows give the same figures (1 = yes)", 1 if out["same"] else 0, "count")
    result.add("p95", "report, slowest warm run", percentile(out["report"], 100), "s")
    result.add("cold", "report, first run of the process", out["cold"], "s", samples=1)
    result.add("opened", f"incidents opened in {out['period']}", out["opened"], "count")
    result.add("backlog", "backlog at the end of the month", out["backlog"], "count")
    result.notes.append("SQLite; every incident section and the comparison with the previous month; the per-day "
                        "summary written by the first report")
    return result
