"""A tiny host app for the detail screen and the action dialogs, until tests/tui/conftest.py's
`make_app` exists: it carries `desk` like DeskApp and records IncidentsChanged messages.
Also the seed data and the pilot helpers the test_actions*/test_dialogs*/test_detail* modules
share. (No tests here.)"""

from __future__ import annotations

import asyncio
import importlib.util
import io
from pathlib import Path

from rich.console import Console
from textual.app import App, ComposeResult
from textual.widgets import Static
from tui_helpers import steady_cursors

from desk.screens.actions import IncidentsChanged, start_action
from desk.services import incidents
from desk.widgets.reader import reads_pending

ROOT = Path(__file__).resolve().parents[2]
DIALOGS_TCSS = ROOT / "desk" / "dialogs.tcss"

HOSTILE = ("[bold]loud[/bold] [@click=app.quit]quit[/] \x1b[2J\x1b]52;c;ZXZpbA==\x07 \u202eevil "
           + "x" * 2000)


def root_conftest():
    """tests/conftest.py's make_desk and FakeClock, loaded by path (a tests/tui/conftest.py may
    shadow the module name `conftest`)."""
    spec = importlib.util.spec_from_file_location("_desk_tests_root_conftest", ROOT / "tests" / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class HostApp(App):
    """Pushes one action (or the detail) on mount; `changed` lists the IncidentsChanged ids."""

    CSS_PATH = [str(DIALOGS_TCSS)]

    def __init__(self, desk, action: str | None = None, rows: list[tuple[int, int]] | None = None) -> None:
        super().__init__()
        self.desk = desk
        self.action = action
        self.rows = rows or []
        self.changed: list[list[int]] = []

    def compose(self) -> ComposeResult:
        yield Static("host", id="host")

    def on_mount(self) -> None:
        if self.action:
            start_action(self.screen, self.action, self.rows)

    def on_incidents_changed(self, message: IncidentsChanged) -> None:
        self.changed.append(message.ids)


def seed(desk, clock):
    """A small desk made through the services: three open incidents and one resolved one."""
    a = incidents.create(desk, "li", title="VPN drops every hour", impact=2, urgency=1, caller="Ann Lee",
                         service="network", category="network", description="Users in branch 3 lose VPN.")
    clock.advance(minutes=5)
    b = incidents.create(desk, "li", title="Printer on floor 2 jams", impact=3, urgency=3, caller="Bo Wu")
    clock.advance(minutes=5)
    c = incidents.create(desk, "zhao", title="Core system slow at the counters", impact=1, urgency=1,
                         service="core-banking", category="application", description="Every branch: 30 s.")
    clock.advance(minutes=5)
    d = incidents.create(desk, "li", title="Mailbox full", impact=3, urgency=2, caller="Cai Na",
                         service="email", description="Cannot receive mail.")
    incidents.assign(desk, "li", d.id, to="me", note="I'll take it")
    clock.advance(minutes=10)
    incidents.resolve(desk, "li", d.id, code="fixed", note="Archived old mail; quota raised to 10 GB.")
    clock.advance(minutes=5)
    return [incidents.get(desk, x.id, with_history=False) for x in (a, b, c, d)]


def row(detail) -> tuple[int, int]:
    return (detail.id, detail.version)


async def settle(pilot) -> None:
    """Let workers and the screens' reading threads finish, and their messages land."""
    for _ in range(4):
        await pilot.app.workers.wait_for_complete()
        for _ in range(1000):
            if not reads_pending(pilot.app):
                break
            await asyncio.sleep(0.005)
        await pilot.pause()


async def type_text(pilot, text: str) -> None:
    await pilot.press(*["space" if ch == " " else ch for ch in text])


async def pick(pilot, selector: str, keys: list[str]) -> None:
    """Open a Select with enter, move with the keys, choose with enter."""
    pilot.app.screen.query_one(selector).focus()
    await pilot.press("enter")
    await pilot.pause()
    await pilot.press(*keys, "enter")
    await pilot.pause()


def flat(text: str) -> str:
    """Screen text without box drawing and line breaks: messages wrap in dialogs."""
    return " ".join("".join(" " if ch in "│╭╮╰╯─▊▎▔▁" else ch for ch in text).split())


def screen_text(app) -> str:
    """What the terminal shows, as plain text."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True,
                      color_system="truecolor", record=True, legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens,
                                                       simplify=True))
    return console.export_text(styles=False)


still = steady_cursors  # (the name the dialog snapshot modules use)


def drive(app, scenario, size=(80, 24)) -> None:
    """Run `scenario(pilot)` against the app once its first workers have settled."""
    import asyncio

    async def main():
        async with app.run_test(size=size) as pilot:
            await settle(pilot)
            await scenario(pilot)

    asyncio.run(main())
