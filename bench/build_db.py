"""Build one benchmark database in a process of its own; prints one JSON line with the timing.

    python -m bench.build_db --db PATH --incidents N [--seed 42] [--generator auto|demo|bulk]

`demo` is desk.services.demo.generate (what `desk demo` runs); `bulk` is bench.bulk, the bench's own
loader, used until the demo generator exists. The timed part is the generation itself (after
`init_database`), measured here so that neither process start nor the bench's own memory counts.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import time


def demo_available() -> bool:
    try:
        from desk.services import demo  # noqa: F401
    except ImportError:
        return False
    return hasattr(demo, "generate")


def build(path: str, incidents: int, seed: int, days: int, generator: str, progress_every: float = 5.0) -> dict:
    if generator == "auto":
        generator = "demo" if demo_available() else "bulk"
    last = [0.0]

    def progress(stage, done, total):
        now = time.monotonic()
        if now - last[0] >= progress_every or done == total:
            last[0] = now
            print(f"  {stage}: {done}/{total}", file=sys.stderr, flush=True)

    if generator == "bulk":
        from bench import bulk

        out = bulk.populate(path, incidents, seed=seed, days=days, progress=progress)
        seconds = out["seconds"]
    else:
        from desk.config import load_config
        from desk.services import demo, setup
        from desk.services.context import open_desk

        desk = open_desk(path, load_config(), user="admin", lang="en")
        setup.init_database(desk)
        started = time.perf_counter()
        demo.generate(desk, incidents=incidents, seed=seed, days=days, progress=progress)
        seconds = time.perf_counter() - started
        desk.db.execute_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        desk.close()
    con = sqlite3.connect(path)
    counts = {
        "incidents": con.execute("SELECT COUNT(*) FROM incident").fetchone()[0],
        "history": con.execute("SELECT COUNT(*) FROM history").fetchone()[0],
        "open": con.execute("SELECT COUNT(*) FROM incident WHERE status IN ('new','assigned','in_progress')")
        .fetchone()[0],
    }
    con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    con.close()
    return {"generator": generator, "seconds": seconds, **counts}


def main(argv=None) -> int:
    p = argparse.ArgumentParser(prog="python -m bench.build_db")
    p.add_argument("--db", required=True)
    p.add_argument("--incidents", type=int, required=True)
    p.add_argument("--seed", type=int, default=42)
    p.add_argument("--days", type=int, default=90)
    p.add_argument("--generator", choices=("auto", "demo", "bulk"), default="auto")
    args = p.parse_args(argv)
    out = build(args.db, args.incidents, args.seed, args.days, args.generator)
    print(json.dumps(out), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
