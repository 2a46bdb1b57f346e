"""Figure 13: the list reader's read-ahead, A/B (issue 12: a path added for speed stays only if
the bench shows what it saves).

The read-ahead is ListSource.peek: once a list is in, the reader reads the first page of the
order `s` would give next; once typing pauses in the filter bar, the first page of the filter
being typed. The keys it serves are `s` (sort change) and enter (filter apply). bench.tui_probe
times them (120×40, the all-incidents view) with the read-ahead and without it
(`--no-read-ahead`), runs alternating with and without, small and big, in the same run; the
figures are the ratios without / with (above 1: it saves that share). The machine is shared and
noisy: the ratios, made side by side, are what to read.

Also runs alone on any databases: `python -m bench.fig_read_ahead --db SMALL.db --db BIG.db`, and
with `--path` the same A/B of issue 12's other speculative paths (bench.probe_switches.SWITCHES: the
first-page wait at the start, the table's lines drawn ahead, the incident detail read ahead), each
on the keys it serves (PATHS).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys

from bench.fig_keys import filter_word
from bench.harness import ROOT, Context, FigureResult, median, percentile, ratio

NUMBER, ID, TITLE = 13, "read_ahead", "The list reader's read-ahead, A/B on the keys it serves"
GOAL_SAVES = 1.1  # without / with, big database: the read-ahead saves at least a tenth of the key
# path -> the keys it serves, as bench.tui_probe names them ("start": the app's start to its first list)
PATHS = {
    "read_ahead": (("sort", "sort change (s)"), ("filter", "filter apply (enter)")),
    "prerender": (("pagedown", "page down"), ("sort", "sort change (s)"), ("filter", "filter apply (enter)")),
    "detail_read_ahead": (("detail", "open detail (enter)"),),
}
KEYS = PATHS["read_ahead"]  # figure 13's


def _probe(env: dict, db: str, samples: int, word: str, read_ahead: bool, path: str = "read_ahead") -> dict:
    keys = ",".join(key for key, _ in PATHS[path])
    cmd = [sys.executable, "-m", "bench.tui_probe", "--db", db, "--samples", str(samples), "--filter", word,
           "--only", keys, "--no-sla-poll"] + ([] if read_ahead else [f"--no-{path.replace('_', '-')}"])  # (fig_keys)
    proc = subprocess.run(cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=1800)
    if proc.returncode != 0:
        raise RuntimeError(f"tui_probe failed (exit {proc.returncode}): {proc.stderr[-1500:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def collect(env: dict, dbs: list[tuple[str, str]], rounds: int, samples: int, word: str, log=print,
            path: str = "read_ahead") -> dict:
    """{(size, key, on): [ms, ...]}: with and without alternate, the order flipping each round
    and each database. Also {(size, key, on, "cpu"): [s, ...]}: each run's CPU time."""
    got: dict = {}
    keys = PATHS[path]
    for n in range(rounds):
        for index, (size, db) in enumerate(dbs):
            for read_ahead in ((True, False) if (n + index) % 2 == 0 else (False, True)):
                out = _probe(env, db, samples, word, read_ahead, path)
                for key, _ in keys:
                    got.setdefault((size, key, read_ahead), []).extend(
                        x["ms"] for x in out.get(key, []) if x.get("ms") is not None)
                    got.setdefault((size, key, read_ahead, "cpu"), []).extend(
                        x["cpu_ms"] for x in out.get(key, []) if x.get("cpu_ms") is not None)
                log(f"  round {n + 1}/{rounds} {size} {path} {'on' if read_ahead else 'off'}: " + ", ".join(
                    f"{key} {median(got[(size, key, read_ahead)][-samples:]) or 0:.1f} ms" for key, _ in keys)
                    + f"; cpu {sum(out.get('cpu_s') or [0]):.2f} s; load {os.getloadavg()[0]:.1f}")
    return got


def run(ctx: Context) -> FigureResult:
    result = FigureResult(NUMBER, ID, TITLE)
    small, large = ctx.database(ctx.small), ctx.database(ctx.large)
    word, share = filter_word(small)
    rounds = ctx.reps(full=3, quick=2, smoke=1)
    samples = 1 if ctx.smoke else 6 if ctx.quick else 8
    sizes = [("large", large)] if ctx.smoke else [("small", small), ("large", large)]  # (smoke: its shape only)
    got = collect(ctx.env(), sizes, rounds, samples, word, ctx.log)
    labels = {"small": ctx.small_label, "large": ctx.large_label}
    for size in ("large", "small"):
        for key, label in KEYS:
            on, off = got.get((size, key, True), []), got.get((size, key, False), [])
            goal = (">=", GOAL_SAVES) if size == "large" else (None, None)
            result.add(f"{key}_saves_{size}", f"{label}: median without / with, {labels[size]}",
                       ratio(median(off), median(on)), "x", *goal, samples=len(on) + len(off))
    for size in ("large", "small"):
        for key, label in KEYS:
            for read_ahead, word_ in ((True, "with"), (False, "without")):
                values = got.get((size, key, read_ahead), [])
                result.add(f"{key}_{word_}_{size}", f"{label} {word_} it: median, {labels[size]}", median(values),
                           "ms", samples=len(values))
                if size == "large":
                    result.add(f"{key}_{word_}_{size}_p95", f"{label} {word_} it: p95, {labels[size]}",
                               percentile(values, 95), "ms", samples=len(values))
    result.notes.append(f"filter text {word!r} (in {share:.0%} of titles); {rounds} rounds × {samples} samples per "
                        "key, size and variant, with and without alternating")
    return result


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.fig_read_ahead")
    p.add_argument("--db", action="append", required=True, help="a database (give two: small, then big)")
    p.add_argument("--rounds", type=int, default=3)
    p.add_argument("--samples", type=int, default=8)
    p.add_argument("--path", choices=sorted(PATHS), default="read_ahead", help="the speculative path to switch off")
    args = p.parse_args(argv)
    word, share = filter_word(args.db[0])
    print(f"filter text {word!r} (~{share:.1%} of titles); load average {os.getloadavg()}", flush=True)
    env = {**os.environ, "DESK_USER": "admin", "DESK_LANG": "en"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    dbs = [(os.path.basename(db), db) for db in args.db]
    got = collect(env, dbs, args.rounds, args.samples, word, lambda m: print(m, flush=True), args.path)
    print(f"load average at the end {os.getloadavg()}", flush=True)
    rows = []
    for size, _ in dbs:
        for key, label in PATHS[args.path]:
            on, off = got.get((size, key, True), []), got.get((size, key, False), [])
            rows.append({"db": size, "key": label, "with_ms": median(on), "with_p95": percentile(on, 95),
                         "without_ms": median(off), "without_p95": percentile(off, 95), "samples": len(on),
                         "without_over_with": ratio(median(off), median(on)),
                         "with_cpu_ms": median(got.get((size, key, True, "cpu"), [])),
                         "without_cpu_ms": median(got.get((size, key, False, "cpu"), []))})
            r = rows[-1]
            print(f"{size:>16} {label:<22} with {r['with_ms'] or 0:.1f} ms (p95 {r['with_p95'] or 0:.1f}, CPU "
                  f"{r['with_cpu_ms'] or 0:.1f})  without {r['without_ms'] or 0:.1f} ms (p95 {r['without_p95'] or 0:.1f}, "
                  f"CPU {r['without_cpu_ms'] or 0:.1f})  without/with {r['without_over_with'] or 0:.2f}×", flush=True)
    print(json.dumps(rows), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
