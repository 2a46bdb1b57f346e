"""Key press → repaint on the problem (F7) and change (F8) queues, measured inside the app
(figure 14). Runs in a process of its own:

    python -m bench.list_probe --db PATH --samples N

The desk app runs headless at 120×40 with bench.tui_probe's Probe (keys posted as the terminal
driver posts them; a sample is key press → the frame after which the list table stops changing,
once the reader has gone quiet). For each queue: opening it from the incident queue (its F-key),
then on its "all" view cursor down, page down, a sort change, a view change and a filter (enter).
Prints one JSON line: queue -> action -> [latency ms].
"""

from __future__ import annotations

import sys
import time

from bench.probe_runs import probe_main, timed
from bench.tui_probe import COLS, ROWS, Probe, make_app

# Page downs from the top before the next starts there again: every sample moves a whole page at
# both sizes. The small desk's 200 problems are 5.4 screens at 120×40: its 7th and 8th page downs
# moved nothing (2.6 ms against 7-9 ms for a page) and took figure 14's small median down with them.
PAGES = 4
QUEUES = (("problems", "f7", "problems-table", "7", "1"), ("changes", "f8", "changes-table", "7", "1"))
FILTER = "printer"


class ListProbe(Probe):
    """Probe, watching the table of the list screen on top (`table_id`)."""

    table_id = "incidents"

    def table(self):
        try:
            return self.app.screen.query_one(f"#{self.table_id}")
        except Exception:
            return None


async def queue(probe: ListProbe, key: str, table_id: str, all_view: str, other_view: str, samples: int,
                word: str | None = None) -> dict:
    out: dict[str, list] = {}
    probe.table_id = table_id
    out["open"] = [(await probe.press(key))["ms"]]
    await probe.untimed(all_view)
    await probe.untimed("home")
    out["down"] = await timed(probe, "down", samples)
    await probe.untimed("home")
    out["pagedown"] = []
    for n in range(samples):
        if n and n % PAGES == 0:
            await probe.untimed("home")
        out["pagedown"].append((await probe.press("pagedown"))["ms"])
    await probe.untimed("home")
    out["sort"] = await timed(probe, "s", samples)
    out["view"] = [(await probe.press(other_view if n % 2 == 0 else all_view))["ms"] for n in range(samples)]
    await probe.untimed(all_view)
    out["filter"] = []
    for _ in range(samples):
        await probe.untimed("slash", *(word or FILTER))
        out["filter"].append((await probe.press("enter"))["ms"])
        await probe.untimed("escape")
    await probe.untimed("f2")  # back to the incident queue: the next queue opens from there too
    return out


async def queues(args, which=QUEUES, word: str | None = None) -> dict:
    """Each queue of `which` opened from the incident queue and timed (the filter types `word`)."""
    app = make_app(args.db)
    result = {}
    async with app.run_test(size=(COLS, ROWS), notifications=True) as pilot:  # noqa: F841
        probe = ListProbe(app)
        await probe.settle(time.perf_counter(), quiet=0.5, max_wait=120)
        for name, key, table_id, all_view, other_view in which:
            result[name] = await queue(probe, key, table_id, all_view, other_view, args.samples, word)
        probe.recording = False
        app.exit()
    return result


async def main_async(args) -> dict:
    return await queues(args)


def main(argv=None) -> int:
    return probe_main(main_async, argv)


if __name__ == "__main__":
    sys.exit(main())
