"""`python -m bench [--quick | --smoke] [--sizes SMALL,LARGE] [--only ID,...]`

Builds its own databases (cached under bench/.cache), runs every figure in bench.FIGURES, prints a
table with each figure's goal beside it, and writes bench/results/latest.json. Exit status is 0
even when a goal does not hold (a benchmark reports; it does not judge); 1 if a figure crashed.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
import time
import traceback
from pathlib import Path

from bench import FIGURES
from bench.harness import RESULTS_DIR, Context, FigureResult, table, write_json

PG_DEFAULT = "postgresql://postgres@127.0.0.1:5432/test"


def _sizes(text: str) -> tuple[int, int]:
    def one(value: str) -> int:
        value = value.strip().lower().replace("_", "")
        mult = 1
        if value.endswith("k"):
            mult, value = 1000, value[:-1]
        elif value.endswith("m"):
            mult, value = 1_000_000, value[:-1]
        return int(float(value) * mult)

    parts = [one(p) for p in text.split(",") if p.strip()]
    if len(parts) != 2 or parts[0] <= 0 or parts[1] < parts[0]:
        raise argparse.ArgumentTypeError("--sizes wants SMALL,LARGE, e.g. 1k,1M or 200,400")
    return parts[0], parts[1]


def parse(argv):
    p = argparse.ArgumentParser(prog="python -m bench", description=(
        "desk's benchmark: builds its own databases (cached under bench/.cache), runs every figure, "
        "prints a table with each goal beside it and writes a JSON file."))
    mode = p.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true",
                      help="fewer repetitions, 1k/100k databases, a 100k demo run extrapolated to 1M")
    mode.add_argument("--smoke", action="store_true",
                      help="tiny sizes and one repetition: checks that every figure still runs (tests use it)")
    p.add_argument("--sizes", type=_sizes, help="SMALL,LARGE incident counts (default 1k,1M; quick 1k,100k)")
    p.add_argument("--only", help="comma-separated figure ids or numbers (e.g. startup,5)")
    p.add_argument("--repeat", type=int, help="repetitions for every figure (overrides the mode's)")
    p.add_argument("--out", type=Path, default=RESULTS_DIR / "latest.json", help="JSON output (default %(default)s)")
    p.add_argument("--cache", type=Path, help="where benchmark databases are kept (default bench/.cache)")
    p.add_argument("--pg", default=os.environ.get("DESK_BENCH_PG", PG_DEFAULT),
                   help="PostgreSQL URL for the concurrency figure, tried if reachable (default %(default)s)")
    p.add_argument("--no-pg", action="store_true", help="do not try PostgreSQL")
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("-q", "--quiet", action="store_true", help="no progress on stderr")
    return p.parse_args(argv)


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    args = parse(argv)
    if args.sizes:
        small, large = args.sizes
    elif args.smoke:
        small, large = 200, 400
    elif args.quick:
        small, large = 1000, 100_000
    else:
        small, large = 1000, 1_000_000
    ctx = Context(quick=args.quick, smoke=args.smoke, small=small, large=large, repeat=args.repeat,
                  pg_url=None if (args.no_pg or args.smoke) else args.pg, seed=args.seed, verbose=not args.quiet,
                  **({"cache_dir": args.cache} if args.cache else {}))
    wanted = {w.strip() for w in args.only.split(",")} if args.only else None
    results: list[FigureResult] = []
    crashed = False
    try:
        modules = [importlib.import_module(name) for name in FIGURES]
        modules.sort(key=lambda m: getattr(m, "ORDER", m.NUMBER))
        for module in modules:
            if wanted and module.ID not in wanted and str(module.NUMBER) not in wanted:
                continue
            ctx.log(f"figure {module.NUMBER}: {module.TITLE}")
            started = time.monotonic()
            try:
                result = module.run(ctx)
            except Exception as exc:  # a broken figure must not hide the others
                crashed = True
                traceback.print_exc()
                result = FigureResult(module.NUMBER, module.ID, module.TITLE, status="error",
                                      reason=f"{type(exc).__name__}: {exc}"[:300])
            result.seconds = time.monotonic() - started
            results.append(result)
            ctx.log(f"figure {module.NUMBER} done in {result.seconds:.0f}s")
            write_json(sorted(results, key=lambda r: r.number), ctx, args.out, argv)
    finally:
        ctx.cleanup()
    results.sort(key=lambda r: r.number)
    mode = "smoke" if ctx.smoke else "quick" if ctx.quick else "full"
    print(f"desk benchmark ({mode}; sizes {ctx.small_label} and {ctx.large_label}; "
          f"{time.monotonic() - ctx.started:.0f}s)")
    print(table(results))
    print(f"\nJSON: {args.out}")
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
