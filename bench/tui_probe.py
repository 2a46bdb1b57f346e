"""Key press → repaint, measured inside the app (figure 2). Runs in a process of its own:

    python -m bench.tui_probe --db PATH --samples N [--view all]

The app runs headless through Textual's test harness at 120×40, but keys are posted the way the
terminal driver posts them and nothing waits on Pilot's idle heuristics (which sleep ≥ 20 ms per
key). Every frame the compositor hands to the app is rendered to its escape sequences (the work a
real terminal write costs) and timestamped; after the sample has settled the frames are applied
to a virtual screen (characters and styles), outside the timed window.

A sample's latency is key press → the frame after which the part of the screen that answers the
key (the queue table, or the whole screen when another screen is on top) no longer changes,
once the app has gone quiet (no frame for QUIET seconds and the table no longer loading). So for
a filter it is the moment the filtered rows are on screen, not when the background count or the
full id list arrive; a frame that changes nothing visible there does not count.

Prints one JSON line: for each action, the latencies (ms), the first-frame times and bytes.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import sys
import time
import unicodedata

from bench.probe_switches import SWITCHES, no_read_ahead, no_sla_poll

QUIET = 0.12          # seconds without a frame that count as "settled"
NO_FRAME = 3.0        # a key that has caused no frame by then caused none
MAX_WAIT = 30.0       # a sample that does not settle by then is reported as such
COLS, ROWS = 120, 40


class VirtualScreen:
    """The terminal as the app believes it to be: per line, its characters and their styles (a
    cursor move changes colours, not characters), updated from compositor updates."""

    def __init__(self, cols: int = COLS, rows: int = ROWS):
        self.cols, self.rows = cols, rows
        self.chars = [[" "] * cols for _ in range(rows)]
        self.styles = [[None] * cols for _ in range(rows)]

    def _write(self, x: int, y: int, strip) -> None:
        if not 0 <= y < self.rows:
            return
        from rich.cells import get_character_cell_size

        chars, styles, cols = self.chars[y], self.styles[y], self.cols
        for segment in strip:
            if segment.control or x >= cols:
                continue
            text, style = segment.text, segment.style
            if text.isascii():
                n = min(len(text), cols - x)
                if x >= 0 and n > 0:
                    chars[x:x + n] = text[:n]
                    styles[x:x + n] = [style] * n
                x += len(text)
                continue
            for ch in text:
                if x >= cols:
                    break
                width = 1 if ch < "\u1100" else get_character_cell_size(ch)
                if width == 0:
                    continue
                if x >= 0:
                    chars[x], styles[x] = ch, style
                    if width == 2 and x + 1 < cols:
                        chars[x + 1], styles[x + 1] = "", style
                x += width

    def apply(self, update) -> None:
        from textual._compositor import ChopsUpdate, LayoutUpdate

        if isinstance(update, LayoutUpdate):
            for y, line in enumerate(update.strips, update.region.y):
                x = update.region.x
                for strip in line:
                    self._write(x, y, strip)
                    x += strip.cell_length
        elif isinstance(update, ChopsUpdate):
            for y, x1, x2 in update.spans:
                for end, (x, strip) in zip(update.chop_ends[y], update.chops[y].items()):
                    if strip is None or x > x2 or end <= x1:
                        continue
                    if not (x2 > x >= x1 and end <= x2):
                        strip = strip.crop(0, min(end, x2) - x)
                    self._write(x, y, strip)

    def snapshot(self) -> tuple:
        """Per line, (characters, styles) as tuples: compare slices of two snapshots."""
        return tuple((tuple(c), tuple(st)) for c, st in zip(self.chars, self.styles))

    def text(self) -> str:
        return "\n".join("".join(line) for line in self.chars)


def key_event(key: str):
    """The Key event Textual's driver would post for `key` (a key name or one character)."""
    from textual import events
    from textual.keys import REPLACED_KEYS, _character_to_key, _get_unicode_name_from_key

    if len(key) == 1 and not key.isalnum():
        key = _character_to_key(key)
    original = REPLACED_KEYS.get(key, key)
    try:
        char = unicodedata.lookup(_get_unicode_name_from_key(original))
    except KeyError:
        char = key if len(key) == 1 else None
    return events.Key(key, char)


class Probe:
    def __init__(self, app):
        self.app = app
        self.screen = VirtualScreen()
        # (time, update, bytes): updates are applied to the virtual screen only after a sample has
        # settled, so the bench's own bookkeeping never runs inside a timed window.
        self.frames: list[tuple[float, object, int]] = []
        self.applied = 0
        self.recording = True
        original = app._display

        def display(screen, renderable):
            if renderable is not None and not app._batch_count and hasattr(renderable, "render_segments"):
                data = renderable.render_segments(app.console)  # what a terminal write would cost
                if self.recording:
                    self.frames.append((time.perf_counter(), renderable, len(data.encode("utf-8"))))
            return original(screen, renderable)

        app._display = display

    def catch_up(self, upto: int) -> None:
        """Apply recorded updates to the virtual screen up to (not including) frame `upto`."""
        while self.applied < upto:
            self.screen.apply(self.frames[self.applied][1])
            self.applied += 1

    # --- what "settled" means ---------------------------------------------------------------------
    def table(self):
        try:
            return self.app.screen.query_one("#incidents")
        except Exception:
            return None

    def busy(self) -> bool:
        """The queue table is still waiting for the reader: a new load's first page or its full
        order (`busy`, `_wanted_gen`), or rows it asked for (`_asked_windows`). Duck-typed: a
        table without these attributes is never busy, and the quiet period alone decides."""
        table = self.table()
        if table is None:
            return False
        if getattr(table, "busy", False) or getattr(table, "loading", False):
            return True
        wanted = getattr(table, "_wanted_gen", None)
        if wanted is not None and wanted != getattr(table, "gen", wanted):
            return True
        return bool(getattr(table, "_asked_windows", None))

    def region(self) -> tuple[int, int, int, int]:
        """Cells that answer a key: the table's rows without its scrollbar (whose thumb resizes when
        the background count lands), or the whole screen when the table is not showing."""
        table = self.table()
        if table is not None and table.display and table.region.height:
            r = table.region
            bar = max(1, int(getattr(table, "scrollbar_size_vertical", 0) or 0))
            return r.y, r.y + r.height, r.x, r.x + r.width - bar
        return 0, ROWS, 0, COLS

    async def settle(self, since: float, quiet: float = QUIET, max_wait: float = MAX_WAIT,
                     need_frame: bool = True) -> bool:
        """Wait until a frame has come after `since` (or none for NO_FRAME s), then none for `quiet`
        seconds, and the table is not loading. False if that never happened within `max_wait`."""
        deadline = since + max_wait
        start = len(self.frames)
        while True:
            await asyncio.sleep(0.004)
            now = time.perf_counter()
            got = len(self.frames) > start
            if not got and need_frame and now - since < NO_FRAME:
                continue
            last = self.frames[-1][0] if got else since
            if now - max(last, since) >= quiet and not self.busy():
                return True
            if now > deadline:
                return False

    # --- one sample ---------------------------------------------------------------------------------
    async def press(self, key: str) -> dict:
        """Press `key`, wait until settled, and say when the screen answered."""
        await self.settle(time.perf_counter(), need_frame=False)  # nothing left over from before
        start_index = len(self.frames)
        t0, c0 = time.perf_counter(), time.process_time()
        self.app._driver.send_message(key_event(key))
        settled = await self.settle(t0)
        cpu_ms = (time.process_time() - c0) * 1000  # (every thread: the reader's reads too)
        frames = self.frames[start_index:]
        if not frames:
            return {"ms": None, "first_ms": None, "settled_ms": None, "bytes": 0, "frames": 0, "settled": settled}
        y0, y1, x0, x1 = self.region()

        def view(snap):
            return tuple((c[x0:x1], st[x0:x1]) for c, st in snap[y0:y1])

        self.catch_up(start_index)
        before = view(self.screen.snapshot())
        views = []
        for i in range(start_index, start_index + len(frames)):
            self.catch_up(i + 1)
            views.append(view(self.screen.snapshot()))
        final = views[-1]
        k = len(views) - 1
        while k > 0 and views[k - 1] == final:
            k -= 1
        return {
            "ms": (frames[k][0] - t0) * 1000,
            "first_ms": (frames[0][0] - t0) * 1000,
            "settled_ms": (frames[-1][0] - t0) * 1000,
            "bytes": sum(f[2] for f in frames),
            "frames": len(frames),
            "changed": before != final,
            "settled": settled,
            "cpu_ms": cpu_ms,
        }

    def started(self, t0: float) -> dict:
        """The start as a sample: t0 (the app asked to run) → its first frame, and → the frame
        after which the queue's rows no longer changed (the first list on screen)."""
        frames = self.frames
        if not frames:
            return {"ms": None, "first_ms": None, "settled_ms": None, "bytes": 0, "frames": 0}
        y0, y1, x0, x1 = self.region()
        views = []
        for i in range(len(frames)):
            self.catch_up(i + 1)
            views.append(tuple((c[x0:x1], st[x0:x1]) for c, st in self.screen.snapshot()[y0:y1]))
        k = len(views) - 1
        while k > 0 and views[k - 1] == views[-1]:
            k -= 1
        return {"ms": (frames[k][0] - t0) * 1000, "first_ms": (frames[0][0] - t0) * 1000,
                "settled_ms": (frames[-1][0] - t0) * 1000, "bytes": sum(f[2] for f in frames),
                "frames": len(frames), "rows_frame": k + 1}

    async def untimed(self, *keys: str) -> None:
        for key in keys:
            t0 = time.perf_counter()
            self.app._driver.send_message(key_event(key))
            await self.settle(t0, need_frame=key not in ("home",))


async def scenario(app, probe: Probe, samples: int, view_key: str | None, filter_text: str,
                   only: frozenset[str] = frozenset(), t0: float | None = None) -> dict:
    """Every key, or only those in `only` (down, pagedown, detail, sort, filter, start)."""
    out: dict[str, list] = {"down": [], "pagedown": [], "filter": [], "sort": [], "detail": [], "detail_back": []}
    await probe.settle(time.perf_counter(), quiet=0.5, max_wait=120)
    if t0 is not None:  # the start: the app run → its first frame, and → the first list on screen
        out["start"] = [probe.started(t0)]
    if view_key:
        await probe.untimed(view_key)
        await probe.settle(time.perf_counter(), quiet=0.5, max_wait=120)
    await probe.untimed("home")
    wanted = only or frozenset(("down", "pagedown", "detail", "sort", "filter"))
    # cursor down, from the top
    if "down" in wanted:
        for _ in range(samples):
            out["down"].append(await probe.press("down"))
        await probe.untimed("home")
    if "pagedown" in wanted:
        for _ in range(samples):
            out["pagedown"].append(await probe.press("pagedown"))
        await probe.untimed("home")
    # open the detail of the cursor row, and back
    if "detail" in wanted:
        for i in range(samples):
            out["detail"].append(await probe.press("enter"))
            out["detail_back"].append(await probe.press("escape"))
            await probe.untimed("down")
        await probe.untimed("home")
    # sort cycle: every press is a new order
    if "sort" in wanted:
        for _ in range(samples):
            out["sort"].append(await probe.press("s"))
    # filter: open the bar and type untimed; apply (enter) timed; clear it again untimed
    if "filter" in wanted:
        for _ in range(samples):
            await probe.untimed("slash", *list(filter_text))
            out["filter"].append(await probe.press("enter"))
            await probe.untimed("escape")
    return out


OFF: list = []  # the switches asked for (bench.probe_switches), applied once Textual is imported (make_app)


def make_app(db: str):
    """The desk app as `desk --db PATH` builds it (desk.cli._launch_tui and run_app, minus
    app.run()): the default view's first page is read in a thread started before Textual is
    imported, so the start measured includes that import, beside the read, as a user's does."""
    from desk.commands.common import open_for
    from desk.domain.permissions import can
    from desk.services.agents import whoami
    from desk.widgets.first_page import FirstPage

    desk = open_for(argparse.Namespace(db=db, config=None, lang="en", command=None))
    agent = whoami(desk)
    first_page = FirstPage(desk, agent.login, "open" if can(frozenset(agent.roles), "incident.view_all") else "group")
    from desk.app import DeskApp, operator_for  # (Textual is imported here)

    for switch_off in OFF:  # (after the import in every variant: none pays it before the start)
        switch_off()
    app = DeskApp(desk, operator_for(desk))
    app.first_page = first_page if first_page.view == app.default_view() else FirstPage(
        desk, agent.login, app.default_view())
    return app


async def main_async(args) -> dict:
    t0, c0 = time.perf_counter(), time.process_time()
    app = make_app(args.db)
    probe = Probe(app)  # (before the run: the start's frames are timed too)
    async with app.run_test(size=(COLS, ROWS), notifications=True) as pilot:  # noqa: F841
        result = await scenario(app, probe, args.samples, args.view_key, args.filter,
                                frozenset(filter(None, args.only.split(","))), t0=t0)
        probe.recording = False
        app.exit()
    result["cpu_s"] = [time.process_time() - c0]  # (a list, as every entry: the figures extend them)
    return result


def main(argv=None) -> int:
    p = argparse.ArgumentParser()
    p.add_argument("--db", required=True)
    p.add_argument("--samples", type=int, default=20)
    p.add_argument("--view-key", default="8", help="key that selects the view to measure ('8': all incidents)")
    p.add_argument("--filter", default="printer", help="text typed into the filter bar")
    p.add_argument("--only", default="", help="'sort,filter': time only those keys (down, pagedown, detail, "
                                              "sort, filter; the start is always timed)")
    p.add_argument("--no-read-ahead", action="store_true",
                   help="the list reader reads nothing ahead (no next-sort or typed-filter peek): "
                        "the A/B of figure 13, bench.fig_read_ahead")
    p.add_argument("--no-sla-poll", action="store_true",
                   help="the app's SLA poll never runs: its first look, 45 s after the start, ticks the SLA "
                        "escalations and toasts the unread notifications over the table for 10 s, and lands "
                        "inside the samples of a run that lasts longer (docs/performance.md, issue 12)")
    for path, (what, _) in SWITCHES.items():
        p.add_argument(f"--no-{path.replace('_', '-')}", action="store_true", help=what)
    args = p.parse_args(argv)
    if args.no_read_ahead:
        OFF.append(no_read_ahead)
    OFF.extend(switch_off for path, (_, switch_off) in SWITCHES.items() if getattr(args, f"no_{path}"))
    if args.no_sla_poll:
        OFF.append(no_sla_poll)
    os.environ.setdefault("DESK_USER", "admin")
    result = asyncio.run(main_async(args))
    print(json.dumps(result), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
