"""The timing loop that the key-latency figures of the other screens share (figure 12's catalogue,
figure 14's problem and change queues).

In the probe process (`python -m bench.<probe> --db PATH --samples N`): `probe_main` reads the
command line and prints the one JSON line; `timed` presses a key N times and keeps each latency.
In the figure: `run_probe` runs one probe process and reads its line; `alternate` runs it over
the small and the big database a number of rounds, the order reversed every other round (neither
always starts cold), and merges what each size gave; `values` reads one series back.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import subprocess
import sys

from bench.harness import ROOT, Context


# --- in the probe process -------------------------------------------------------------------

async def timed(probe, key: str, samples: int) -> list[float | None]:
    """`key` pressed `samples` times: each press → the frame after which the screen settles (ms)."""
    return [(await probe.press(key))["ms"] for _ in range(samples)]


def probe_main(main_async, argv=None, samples: int = 8) -> int:
    """A probe's command line (--db, --samples): runs `main_async(args)` and prints its result."""
    p = argparse.ArgumentParser()
    p.add_argument("--db", required=True)
    p.add_argument("--samples", type=int, default=samples)
    args = p.parse_args(argv)
    os.environ.setdefault("DESK_USER", "admin")
    print(json.dumps(asyncio.run(main_async(args))), flush=True)
    return 0


# --- in the figure --------------------------------------------------------------------------

def run_probe(ctx: Context, module: str, path: str, samples: int) -> dict:
    """One run of `python -m <module>` on the database at `path`: the JSON line it printed."""
    cmd = [sys.executable, "-m", module, "--db", path, "--samples", str(samples)]
    proc = subprocess.run(cmd, cwd=ROOT, env=ctx.env(), stdin=subprocess.DEVNULL, capture_output=True, text=True,
                          timeout=1800)
    if proc.returncode != 0:
        raise RuntimeError(f"{module} failed (exit {proc.returncode}): {proc.stderr[-1500:]}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def merge(into: dict, got: dict) -> None:
    """Add a probe's result to what earlier runs gave: lists are extended, dicts merged."""
    for key, value in got.items():
        if isinstance(value, dict):
            merge(into.setdefault(key, {}), value)
        else:
            into.setdefault(key, []).extend(value)


def alternate(ctx: Context, module: str, paths: dict[str, str], samples: int, rounds: int) -> dict[str, dict]:
    """{size: merged results} for `paths` ({"small": path, "large": path}) over `rounds` rounds."""
    got: dict[str, dict] = {size: {} for size in paths}
    order = list(paths.items())
    for n in range(rounds):
        for size, path in (order if n % 2 == 0 else order[::-1]):
            merge(got[size], run_probe(ctx, module, path, samples))
    return got


def values(got: dict, *keys: str) -> list[float]:
    """One series of the merged results (`values(got, "large", "problems", "down")`), failed
    samples (None) left out."""
    node = got
    for key in keys:
        node = node.get(key, {})
    return [x for x in node if x is not None] if isinstance(node, list) else []
