"""Figure 1: time to an interactive queue, against a bare Textual app started the same way.

Both run on a real pty (120×40): the clock starts when the process is spawned and stops when the
first bytes showing a queue row (for the bare app: its one Static) arrive. Medians over the
repetitions, run alternately in the same run; the headline is desk on the big database divided by
the bare app.
"""

from __future__ import annotations

from bench import tui_sessions
from bench.harness import Context, FigureResult, median, ratio

NUMBER, ID, TITLE = 1, "startup", "Time to interactive queue vs a bare Textual app"
GOAL = 1.25


def run(ctx: Context) -> FigureResult:
    result = FigureResult(NUMBER, ID, TITLE)
    s = tui_sessions.run_sessions(ctx)
    bare = median([r["tti"] for r in s["bare"]])
    small = median([r["tti"] for r in s["small"]])
    large = median([r["tti"] for r in s["large"]])
    n = len(s["large"])
    result.add("ratio", f"desk {ctx.large_label} / bare app", ratio(large, bare), "x", "<=", GOAL, samples=n)
    result.add("desk_large_s", f"desk, {ctx.large_label} incidents", large, "s", samples=n)
    result.add("desk_small_s", f"desk, {ctx.small_label} incidents", small, "s", samples=n)
    result.add("bare_s", "bare Textual app (one Static)", bare, "s", samples=n)
    result.add("ratio_small", f"desk {ctx.small_label} / bare app", ratio(small, bare), "x", samples=n)
    result.notes.append("process spawn to the first bytes that complete a queue row's title on a 120×40 pty; "
                        f"median of {n} alternating runs after one warm-up")
    return result
