"""Figure 6: generating the demo database, 1M incidents with their histories.

Runs the generator (desk.services.demo.generate, as `desk demo` does) into a fresh file in a
process of its own and times the generation. At 1M the file then becomes the cached big
database the TUI figures use, so a full run generates 1M once. With a smaller N (--quick, --smoke)
the per-row rate is measured and the 1M time is extrapolated from it, and labelled so.
"""

from __future__ import annotations

from bench import dbs
from bench.harness import Context, FigureResult, human_size

NUMBER, ID, TITLE = 6, "demo", "Demo generation: 1M incidents with their histories"
ORDER = 0  # runs first: it builds the big database the other figures need
GOAL_N = 1_000_000
GOAL_S = 60.0


def run(ctx: Context) -> FigureResult:
    result = FigureResult(NUMBER, ID, TITLE)
    n = ctx.large
    target = dbs.cache_path(ctx, n)  # pins the generator for the whole run
    kind = ctx.memo["generator"]["kind"]
    path = target.with_name(f"timing-{human_size(n)}.db")
    ctx.log(f"  generating {human_size(n)} incidents with the {kind} generator")
    report = dbs.build(ctx, path, n)
    seconds = report["seconds"]
    if target.exists():
        dbs._remove(path)
    else:
        dbs.adopt(ctx, path, n)
        ctx.memo.setdefault("databases", {})[str(target)] = True
    per_row_us = seconds / max(report["incidents"], 1) * 1e6
    label = "seconds for 1M" if n == GOAL_N else f"seconds for 1M (extrapolated from {human_size(n)})"
    if kind != "demo":
        label += " [bench loader: no desk.services.demo]"
    result.add("seconds_1m", label, seconds * GOAL_N / n, "s", "<=", GOAL_S)
    result.add("seconds", f"measured: {human_size(n)} incidents", seconds, "s", samples=1)
    result.add("rate", "incidents per second", report["incidents"] / seconds if seconds else None, "/s")
    result.add("history_rows", "history rows written", report["history"], "count")
    result.add("history_per_incident", "history rows per incident", report["history"] / max(report["incidents"], 1))
    result.add("open", "open incidents (new, assigned, in progress)", report["open"], "count")
    result.add("file_mb", "database file size", report["bytes"] / 1e6, "MB")
    result.notes.append(f"generator: {kind}; {per_row_us:.1f} µs per incident; one run (each takes up to a minute)")
    if n != GOAL_N:
        result.notes.append("the 1M time is extrapolated linearly from the per-incident rate at the smaller size")
    return result
