"""Helpers for the TUI tests (imported by test modules; the fixtures are in conftest.py)."""

from __future__ import annotations

import time

from desk.services import incidents


def steady_cursors(app) -> None:
    """No blinking cursors on the screen: a snapshot catches a blinking one on or off by chance."""
    for widget in app.screen.query("Input, TextArea"):
        widget.cursor_blink = False


def seed_queue(desk, clock) -> list[int]:
    """Fourteen incidents over a morning, through the services: every priority, status and
    several groups, a Chinese title and a long one. Returns their ids in creation order."""
    made = []

    def new(login, title, impact, urgency, **kw):
        inc = incidents.create(desk, login, title=title, impact=impact, urgency=urgency, **kw)
        made.append(inc.id)
        clock.advance(minutes=7)
        return inc.id

    base = clock.now
    clock.now = base.replace(hour=1)
    a = new("li", "VPN drops every hour in branch 3", 2, 1, caller="Ann Lee", category="network")
    b = new("li", "Printer on floor 2 jams", 3, 3, caller="Bo Wu", category="hardware")
    c = new("zhao", "Core system slow at the counters", 1, 1, caller="Chen Jing", category="application")
    d = new("li", "Mailbox full", 3, 2, caller="Cai Na", category="software")
    e = new("li", "打印机卡纸，三楼财务室", 2, 2, caller="王伟", category="hardware")
    f = new("zhao", "Password reset for new starter", 3, 3, caller="Dan Ma", category="account")
    g = new("li", "Switch port flapping in the data centre, core-02 uplink to distribution, "
                  "seen since the firmware upgrade last night; monitoring shows 40 flaps an hour", 1, 2,
            caller="Monitoring", category="network", source="monitoring")
    h = new("li", "Laptop will not boot after update", 2, 3, caller="Eve Xu", category="hardware")
    i = new("zhao", "Shared drive S: not mapped", 3, 2, caller="Fay Gu", category="software")
    j = new("li", "Phone line crackles", 3, 3, caller="Gus He", category="other")
    k = new("li", "Database backup job failed", 2, 1, caller="Monitoring", category="database",
            source="monitoring")
    m = new("zhao", "Outlook asks for password repeatedly", 3, 2, caller="Hal Yu", category="software")
    n = new("li", "Badge reader at the side door dead", 3, 3, caller="Ivy Lu", category="hardware")
    o = new("li", "New monitor request", 3, 3, caller="Jo Qi", category="hardware")
    clock.now = base
    # work some of them: assigned, escalated, in progress, resolved, closed
    incidents.escalate(desk, "li", a, to="network", reason="VPN concentrator")
    incidents.assign(desk, "wang", a, to="me")
    incidents.escalate(desk, "li", g, to="network", reason="network fault")
    incidents.assign(desk, "li", b, to="me")
    incidents.start(desk, "li", b)
    incidents.assign(desk, "zhao", f, to="me")
    incidents.resolve(desk, "zhao", f, code="fixed", note="reset done")
    incidents.assign(desk, "li", d, to="me")
    incidents.resolve(desk, "li", d, code="fixed", note="archived")
    incidents.confirm(desk, "li", d)
    incidents.close(desk, "li", d)
    incidents.escalate(desk, "li", k, to="database", reason="backup")
    incidents.assign(desk, "li", j, to="zhao")
    # The priority-1 incidents told the shift leads, admin among them. The header counts unread
    # notifications from start-up: admin (the user of most screen tests) has read these, so their
    # headers show no count; the count's own tests sign in as `lead`, who has not.
    from desk.services import sla_tick

    sla_tick.mark_read(desk, "admin")
    del c, e, h, i, m, n, o
    return made


async def unread_counted(pilot, timeout: float = 20.0):
    """Wait until the app's start-up read of the unread notifications is in (the header shows
    the count from then on). An app without the notification poll (`desk wallboard` alone): no wait."""
    from desk.app import DeskApp

    app = pilot.app
    if not isinstance(app, DeskApp):
        return
    await wait_until(pilot, lambda: getattr(app, "sla_poll", None) is not None and app.sla_poll.counted,
                     timeout=timeout, what="the unread notifications read at start")


def queue_of(app):
    from desk.screens.queue import QueueScreen

    for stack in app._screen_stacks.values():
        for screen in stack:
            if isinstance(screen, QueueScreen):
                return screen
    return None


async def queue_ready(pilot, timeout: float = 5.0):
    """Wait until the queue shows its current filter completely: the full order is in and
    every row on screen has arrived."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await pilot.pause(0.02)
        screen = queue_of(pilot.app)
        if screen is None or not screen.is_mounted:
            continue
        table = screen.table
        if table.busy or table.gen != screen._gen or table.total is None:
            continue
        top = table.scroll_offset.y
        height = max(1, table.size.height - 1)
        if all(table.row_at(i) is not None for i in range(top, min(top + height, table.total))):
            await pilot.pause()
            return screen
    raise AssertionError("the queue did not finish loading")


async def press(pilot, *keys: str, settle: bool = True):
    """Press keys, then wait for the queue to settle."""
    for key in keys:
        await pilot.press(key)
    if settle:
        await queue_ready(pilot)


async def wait_until(pilot, predicate, timeout: float = 5.0, what: str = "condition"):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await pilot.pause(0.02)
        if predicate():
            return
    raise AssertionError(f"timed out waiting for {what}")


def screen_lines(app) -> list[str]:
    """The screen as plain text lines (what a user reads)."""
    strips = app.screen._compositor.render_strips()
    return ["".join(seg.text for seg in strip).rstrip() for strip in strips]


def screen_text(app) -> str:
    return "\n".join(screen_lines(app))


def terminal_output(app) -> str:
    """What Textual would write to the terminal for a full repaint of the current screen."""
    from rich.console import Console

    with open("/dev/null", "w") as sink:
        console = Console(file=sink, width=app.size.width, height=app.size.height, color_system="truecolor",
                          force_terminal=True, legacy_windows=False)
        return app.screen._compositor.render_full_update().render_segments(console)


def frame_spans(update) -> list[tuple[int, int, int]]:
    """The parts of screen lines a frame (an update the app writes, seen through `app._display`)
    writes: (y, x from, x to). Textual's compositor updates are a span list or a whole region; a
    change in either fails the tests that use this by name rather than letting them pass."""
    from textual._compositor import ChopsUpdate, LayoutUpdate

    if isinstance(update, ChopsUpdate):
        return [(y, start, end) for y, start, end in update.spans]
    if isinstance(update, LayoutUpdate):
        r = update.region
        return [(y, r.x, r.right) for y in range(r.y, r.bottom)]
    raise AssertionError(f"a frame of an unknown kind: {type(update).__name__}")


def frame_covers(spans, region, line: int = 0) -> bool:
    """The frame writes on line `line` of `region` (a widget's region on screen)."""
    y = region.y + line
    return any(sy == y and start < region.right and end > region.x for sy, start, end in spans)


def record_frames(app) -> list:
    """From now on, every frame the app writes is appended to the list returned."""
    frames: list = []
    original = app._display
    app._display = lambda target, update: (frames.append(update), original(target, update))[1]
    return frames


async def first_frame(pilot, frames: list) -> list[tuple[int, int, int]]:
    """The spans of the first frame written after `frames` began recording."""
    await wait_until(pilot, lambda: any(f is not None for f in frames), what="a frame")
    return frame_spans(next(f for f in frames if f is not None))


async def open_form(pilot, key: str, cls):
    """Press `key` and wait until its form (a screen of `cls`) is up with what it reads loaded (its
    OK button enabled). Returns the form."""
    app = pilot.app
    await pilot.press(key)
    await wait_until(pilot, lambda: isinstance(app.screen, cls), what=f"the {cls.__name__}")
    form = app.screen
    await wait_until(pilot, lambda: not form.query_one("#ok").disabled, what="the form to load")
    return form


async def open_detail_of(pilot, incident_id: int):
    """The queue's cursor moved to `incident_id`, enter, and its detail read: the detail screen."""
    from desk.screens.detail import DetailScreen

    app = pilot.app
    queue = await queue_ready(pilot)
    ids = [queue.table.id_at(i) for i in range(queue.table.total)]
    queue.table._move_to(ids.index(incident_id))
    await wait_until(pilot, lambda: queue.table.cursor_id == incident_id, what="the cursor")
    await pilot.press("enter")
    await wait_until(pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.detail is not None
                     and app.screen.detail.id == incident_id, what="the detail")
    await pilot.pause()
    return app.screen
