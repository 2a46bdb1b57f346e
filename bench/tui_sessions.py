"""The terminal sessions behind figures 1, 3 and 4, run once and shared.

Each repetition starts three programs on a real pty, in rotating order: the bare Textual app,
desk on the small database and desk on the big one. For each: process start → first frame
showing a queue row (or the bare app's text), the bytes written until the screen goes quiet,
resident memory after a settle, then (desk only) bytes and timings for cursor-down and
page-down presses on the "all incidents" view (key 8). The first repetition is a warm-up (page cache, .pyc files) and is not counted.
"""

from __future__ import annotations

import sys
import time

from bench import dbs
from bench.bare_app import BARE_TEXT
from bench.harness import ROOT, Context
from bench.ptyrun import KEYS, PtySession

NEEDLE_CHARS = 12


def needles_for(path: str) -> list[str]:
    """Text that only a painted queue row can show: the start of the first rows' titles."""
    seen: list[str] = []
    for rows in dbs.first_rows(path).values():
        for _, title in rows:
            needle = (title or "").strip()[:NEEDLE_CHARS]
            if len(needle) >= 6 and needle not in seen:
                seen.append(needle)
    return seen


def _one(ctx: Context, kind: str, path: str | None, needles: list[str], keys: dict, timeout: float,
         view_key: str | None = "8") -> dict:
    if kind == "bare":
        argv = [sys.executable, str(ROOT / "bench" / "bare_app.py")]
    else:
        argv = [sys.executable, "-m", "desk", "--db", path]
    out: dict = {"kind": kind}
    session = PtySession(argv, ctx.env(), cwd=str(ROOT))
    try:
        ready, needle = session.wait_for(needles, timeout)
        if ready is None:
            tail = session.text()[-400:].replace("\n", " ")
            raise RuntimeError(f"{kind}: no row text within {timeout:.0f}s (exit {session.proc.poll()}); "
                               f"screen ends with: {tail!r}")
        out["tti"] = ready - session.started
        out["needle"] = needle
        out["bytes_at_ready"] = session.total
        session.wait_quiet(0.5, 20)
        out["first_frame_bytes"] = session.total
        session.wait_quiet(1.0, 20)  # settle: workers done, caches warm
        out["rss_kb"] = session.rss_kb()
        if kind != "bare" and view_key:
            # the keys are measured on "all incidents", as in figure 2: rows to move over at any size
            session.send(view_key)
            session.wait_quiet(1.5, 60)
            out["rss_all_kb"] = session.rss_kb()
        for name, (key, count) in keys.items():
            bursts = [session.key_burst(KEYS.get(key, key), quiet=0.3, timeout=5) for _ in range(count)]
            out[name] = bursts
    finally:
        session.close()
    out["exit"] = session.proc.returncode
    return out


def run_sessions(ctx: Context) -> dict:
    """Run (or return the memoised) sessions: {"bare": [...], "small": [...], "large": [...]}."""
    if "tui_sessions" in ctx.memo:
        return ctx.memo["tui_sessions"]
    small = ctx.database(ctx.small)
    large = ctx.database(ctx.large)
    needles = {"small": needles_for(small), "large": needles_for(large), "bare": [BARE_TEXT]}
    moves = ctx.reps(full=10, quick=6, smoke=2)
    keys = {"down": ("down", moves), "pagedown": ("pagedown", max(2, moves // 2))}
    reps = ctx.reps(full=6, quick=4, smoke=1)
    timeout = 60 if ctx.smoke else 180
    out: dict = {"bare": [], "small": [], "large": [], "warmup": []}
    order = ["bare", "small", "large"]
    for rep in range(reps + 1):
        rotated = order[rep % 3:] + order[:rep % 3]
        for kind in rotated:
            path = {"small": small, "large": large}.get(kind)
            started = time.monotonic()
            r = _one(ctx, kind, path, needles[kind], {} if kind == "bare" else keys, timeout)
            label = "warm-up" if rep == 0 else f"{rep}/{reps}"
            ctx.log(f"  pty {label} {kind:5s}: interactive {r['tti']:.2f}s, first frame {r['first_frame_bytes']} B, "
                    f"RSS {(r['rss_kb'] or 0) / 1024:.0f} MB ({time.monotonic() - started:.1f}s)")
            (out["warmup"] if rep == 0 else out[kind]).append(r)
    ctx.memo["tui_sessions"] = out
    return out
