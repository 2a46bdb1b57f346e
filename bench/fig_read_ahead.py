"""Figure 13: the list reader's read-ahead, A/B (issue 12: a path added for speed stays only if
the bench shows what it saves).

The read-ahead is ListSource.peek: once a list is in, the reader reads the first page of the
order `s` would give next; once typing pauses in the filter bar, the first page of the filter
being typed. The keys it serves are `s` (sort change) and enter (filter apply). bench.tui_probe
times them (120×40, the all-incidents view) with the read-ahead and without it
(`--no-read-ahead`), runs alternating with and without, small and big, in the same run; the
figures are the ratios without / with (above 1: it saves that share). The machine is shared and
noisy: the ratios, made side by side, are what to read.

Also runs alone on any databases: `python -m bench.fig_read_ahead --db SMALL.db --db BIG.db`.
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
KEYS = (("sort", "sort change (s)"), ("filter", "filter apply (enter)"))
GOAL_SAVES = 1.1  # without / with, big database: the read-ahead saves at least a tenth of the key


def _probe(env: dict, db: str, samples: int, word: str, read_ahead: bool) -> dict:
    cmd = [sys.executable, "-m", "bench.tui_probe", "--db", db, "--samples", str(samples), "--filter", word,
           "--only", "sort,filter"] + ([] if read_ahead else ["--no-read-ahead"])
    proc = subprocess.run(cmd, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=1800)
    if proc.returncode != 0:
        raise RuntimeError(f"tui_probe failed (exit {proc.returncode}): {proc.stderr[-1500:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def collect(env: dict, dbs: list[tuple[str, str]], rounds: int, samples: int, word: str, log=print) -> dict:
    """{(size, key, read_ahead): [ms, ...]}: with and without alternate, the order flipping each
    round and each database."""
    got: dict = {}
    for n in range(rounds):
        for index, (size, db) in enumerate(dbs):
            for read_ahead in ((True, False) if (n + index) % 2 == 0 else (False, True)):
                out = _probe(env, db, samples, word, read_ahead)
                for key, _ in KEYS:
                    got.setdefault((size, key, read_ahead), []).extend(
                        x["ms"] for x in out.get(key, []) if x.get("ms") is not None)
                log(f"  round {n + 1}/{rounds} {size} read-ahead {'on' if read_ahead else 'off'}: " + ", ".join(
                    f"{key} {median(got[(size, key, read_ahead)][-samples:]) or 0:.1f} ms" for key, _ in KEYS))
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
    args = p.parse_args(argv)
    word, share = filter_word(args.db[0])
    print(f"filter text {word!r} (~{share:.1%} of titles)", flush=True)
    env = {**os.environ, "DESK_USER": "admin", "DESK_LANG": "en"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    dbs = [(os.path.basename(db), db) for db in args.db]
    got = collect(env, dbs, args.rounds, args.samples, word, lambda m: print(m, flush=True))
    rows = []
    for size, _ in dbs:
        for key, label in KEYS:
            on, off = got.get((size, key, True), []), got.get((size, key, False), [])
            rows.append({"db": size, "key": label, "with_ms": median(on), "with_p95": percentile(on, 95),
                         "without_ms": median(off), "without_p95": percentile(off, 95), "samples": len(on),
                         "without_over_with": ratio(median(off), median(on))})
            r = rows[-1]
            print(f"{size:>16} {label:<22} with {r['with_ms']:.1f} ms (p95 {r['with_p95']:.1f})  without "
                  f"{r['without_ms']:.1f} ms (p95 {r['without_p95']:.1f})  without/with {r['without_over_with']:.2f}×",
                  flush=True)
    print(json.dumps(rows), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
