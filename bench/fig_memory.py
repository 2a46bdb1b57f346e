"""Figure 3: resident memory after opening the queue, big database vs 1k.

VmRSS of the app process (from /proc/PID/status) once the queue has painted and the screen has
stayed quiet for a second. The queue keeps an ordered id list and only the visible rows, so the
big database should cost little more than the small one.
"""

from __future__ import annotations

from bench import tui_sessions
from bench.harness import Context, FigureResult, median, ratio

NUMBER, ID, TITLE = 3, "memory", "Resident memory after opening the queue"
GOAL = 1.2


def run(ctx: Context) -> FigureResult:
    result = FigureResult(NUMBER, ID, TITLE)
    s = tui_sessions.run_sessions(ctx)
    mb = {k: median([(r["rss_kb"] or 0) / 1024 for r in s[k]]) for k in ("bare", "small", "large")}
    n = len(s["large"])
    result.add("ratio", f"RSS {ctx.large_label} / {ctx.small_label}", ratio(mb["large"], mb["small"]), "x", "<=", GOAL,
               samples=n)
    result.add("large_mb", f"desk, {ctx.large_label} incidents", mb["large"], "MB", samples=n)
    result.add("small_mb", f"desk, {ctx.small_label} incidents", mb["small"], "MB", samples=n)
    result.add("bare_mb", "bare Textual app (one Static)", mb["bare"], "MB", samples=n)
    result.add("extra_mb", f"extra for {ctx.large_label} over {ctx.small_label}", mb["large"] - mb["small"], "MB")
    all_mb = {k: median([(r.get("rss_all_kb") or 0) / 1024 for r in s[k]]) for k in ("small", "large")}
    result.add("large_all_mb", f"desk, {ctx.large_label}, after switching to all incidents", all_mb["large"], "MB")
    result.add("small_all_mb", f"desk, {ctx.small_label}, after switching to all incidents", all_mb["small"], "MB")
    result.notes.append("VmRSS after the first frame with rows plus 1 s of quiet; median over runs")
    return result
