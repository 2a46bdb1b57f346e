"""Key press → repaint on the catalogue screen, measured inside the app (figure 12). Runs in a
process of its own:

    python -m bench.catalogue_probe --db PATH --samples N

The catalogue screen runs in its own app (`desk catalogue browse`) headless at 120×40; keys are
posted as the terminal driver posts them and timed with bench.tui_probe's Probe (a sample is key
press → the frame after which the screen no longer changes). Prints one JSON line: per action,
the latencies in ms; `open` is app start → the list and the first entry on screen.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
import time

from bench.probe_runs import probe_main, timed
from bench.tui_probe import COLS, ROWS, Probe

SEARCH = "ser"  # typed a key at a time: every service of the big catalogue has "service" in its name


def make_app(db: str):
    from desk.app import operator_for
    from desk.commands.common import open_for
    from desk.screens.catalogue_browse import catalogue_app_class

    desk = open_for(argparse.Namespace(db=db, config=None, lang="en", command=None))
    return catalogue_app_class()(desk, operator_for(desk))


async def scenario(app, probe: Probe, samples: int, started: float) -> dict:
    out: dict[str, list] = {"open": [], "search": []}
    while not getattr(app.screen, "loaded", False):
        await asyncio.sleep(0.002)
        if time.perf_counter() - started > 120:
            raise RuntimeError("the catalogue did not load")
    await probe.settle(started, quiet=0.3, max_wait=120)
    last = probe.frames[-1][0] if probe.frames else time.perf_counter()
    out["open"].append((last - started) * 1000)
    out["down"] = await timed(probe, "down", samples)
    await probe.untimed("shift+tab")  # to the category tree
    out["tree"] = await timed(probe, "down", samples)
    await probe.untimed("home")
    for _ in range(max(1, samples // len(SEARCH))):
        await probe.untimed("slash")
        for ch in SEARCH:
            out["search"].append((await probe.press(ch))["ms"])
        await probe.untimed("escape")
    return out


async def main_async(args) -> dict:
    started = time.perf_counter()
    app = make_app(args.db)
    async with app.run_test(size=(COLS, ROWS), notifications=True) as pilot:  # noqa: F841
        probe = Probe(app)
        result = await scenario(app, probe, args.samples, started)
        probe.recording = False
        app.exit()
    return result


def main(argv=None) -> int:
    return probe_main(main_async, argv)


if __name__ == "__main__":
    sys.exit(main())
