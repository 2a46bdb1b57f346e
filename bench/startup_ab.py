"""Figure 1's start, A/B, in CPU time: desk from one or more source trees against the bare app.

    python -m bench.startup_ab --db PATH [--tree LABEL=DIR ...] [--runs N] [--hook] [--json]

Each run starts the program on a 120×40 pty as figure 1 does (bench.tui_sessions) and stops the
clock when the text of a queue row arrives; at that moment it reads the CPU the process has used
(/proc/PID/stat: user + system of every thread, dead ones too; the kernel counts it precisely but
reports it in 10 ms ticks, hence medians over many runs). On a machine shared with other work the
wall time swings with the load; the CPU a start takes does much less. The programs run in turn
(bare, then each tree) so a phase of the machine hits them all alike. A tree other than this one
runs with PYTHONPATH=DIR (its own desk package; the same interpreter and Textual).

With --hook each program runs under bench/startup_hook.py, which also notes the process's CPU to
the nanosecond (time.process_time) when its first whole frame is written ("frame"): a 10 ms
change shows in a dozen runs, where the ticks hide it.

Prints, per program, the median CPU and wall seconds (and the ratios to the bare app).
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time

from bench.bare_app import BARE_TEXT
from bench.harness import ROOT
from bench.ptyrun import PtySession
from bench.tui_sessions import needles_for

TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float | None:
    """User + system CPU of the whole process (every thread, those ended too)."""
    try:
        with open(f"/proc/{pid}/stat") as fh:
            fields = fh.read().rpartition(")")[2].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / TICK  # utime, stime (fields 14 and 15)


def env_for(tree: str | None, cache: str) -> dict:
    env = dict(os.environ)
    home = os.path.join(cache, "home")
    for sub in ("config", "data"):
        os.makedirs(os.path.join(home, sub), exist_ok=True)
    env.update({"XDG_CONFIG_HOME": os.path.join(home, "config"), "XDG_DATA_HOME": os.path.join(home, "data"),
                "XDG_CACHE_HOME": os.path.join(cache, "cache"), "DESK_USER": "admin", "DESK_LANG": "en",
                "LANG": "C.UTF-8"})
    env["PYTHONPATH"] = tree or str(ROOT)
    for name in ("DESK_DB", "DESK_CONFIG", "LC_ALL", "TEXTUAL", "TEXTUAL_DRIVER", "PYTHONDONTWRITEBYTECODE"):
        env.pop(name, None)
    return env


def one(argv: list[str], env: dict, cwd: str, needles: list[str], timeout: float = 120,
        hook: str | None = None) -> dict:
    if hook:
        argv = [argv[0], str(ROOT / "bench" / "startup_hook.py"), hook, *argv[1:]]
    session = PtySession(argv, env, cwd=cwd)
    try:
        ready, _needle = session.wait_for(needles, timeout)
        cpu = cpu_seconds(session.pid)
        if ready is None:
            raise RuntimeError(f"{argv}: no row within {timeout}s: {session.text()[-300:]!r}")
        out = {"wall": ready - session.started, "cpu": cpu}
        if hook:
            with open(hook) as fh:
                out["frame"], out["frame_main"] = (float(x) for x in fh.read().split())
            os.unlink(hook)
        return out
    finally:
        session.close()


def main() -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--db", required=True, action="append", help="a desk database (one per tree, or one for all)")
    p.add_argument("--tree", action="append", default=[], help="LABEL=DIR: desk from another source tree")
    p.add_argument("--runs", type=int, default=8)
    p.add_argument("--cache", default="/tmp/startup/ab", help="XDG dirs of the runs (the caches kept warm)")
    p.add_argument("--hook", action="store_true", help="also the CPU at the first whole frame, to the ns")
    p.add_argument("--json", action="store_true")
    args = p.parse_args()
    trees = [("this", None)] + [tuple(spec.split("=", 1)) for spec in args.tree]
    dbs = args.db * len(trees) if len(args.db) == 1 else args.db
    programs = [("bare", [sys.executable, str(ROOT / "bench" / "bare_app.py")], None, [BARE_TEXT])]
    for (label, tree), db in zip(trees, dbs):
        programs.append((label, [sys.executable, "-m", "desk", "--db", db], tree, needles_for(db)))
    out: dict = {label: [] for label, *_ in programs}
    load = [os.getloadavg()[0]]
    for run in range(args.runs + 1):  # the first round warms the caches (.pyc, CSS, TOML) and is dropped
        for label, argv, tree, needles in programs:
            cache = os.path.join(args.cache, label)
            hook = os.path.join(args.cache, f"{label}.frame") if args.hook else None
            r = one(argv, env_for(tree, cache), tree or str(ROOT), needles, hook=hook)
            if run:
                out[label].append(r)
            frame = f"  frame {r['frame']:.4f} s" if args.hook else ""
            print(f"  {run}/{args.runs} {label:8s} cpu {r['cpu']:.3f} s  wall {r['wall']:.3f} s{frame}",
                  file=sys.stderr, flush=True)
        load.append(os.getloadavg()[0])
    measures = ("cpu", "wall", "frame", "frame_main") if args.hook else ("cpu", "wall")
    summary = {label: {**{m: statistics.median(r[m] for r in rs) for m in measures}, "runs": len(rs)}
               for label, rs in out.items()}
    bare = summary["bare"]
    for label, s in summary.items():
        for m in measures:
            s[f"{m}_x"] = s[m] / bare[m]
    summary["load"] = [min(load), max(load)]
    if args.json:
        print(json.dumps(summary))
    else:
        print(f"load {min(load):.1f}-{max(load):.1f}, {args.runs} runs each, medians")
        for label, s in summary.items():
            if label != "load":
                frame = (f"   frame cpu {s['frame'] * 1000:6.1f} ms ({s['frame_x']:.2f}x, main thread "
                         f"{s['frame_main'] * 1000:.1f})") if args.hook else ""
                print(f"{label:8s} cpu {s['cpu'] * 1000:6.0f} ms ({s['cpu_x']:.2f}x)   "
                      f"wall {s['wall'] * 1000:6.0f} ms ({s['wall_x']:.2f}x){frame}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
