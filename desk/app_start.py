"""Starting the desk TUI: `run_app(args)` (what `desk` with no subcommand runs) picks the theme,
finds the agent and runs desk.app's DeskApp; someone who is not an agent of this desk gets
RefusedApp instead (one screen, exit 1). `operator_for` is the agent as the app sees it.

desk.app re-exports these names: callers import them from there."""

from __future__ import annotations

import os
from pathlib import Path
from typing import NamedTuple

from textual.app import App

HERE = Path(__file__).resolve().parent


def pick_theme() -> tuple[str | None, bool]:
    """(theme, ansi_color) for this terminal: a 16-colour terminal gets the ANSI theme, which
    uses the terminal's own palette (readable whatever its colours are)."""
    from rich.console import Console

    with open(os.devnull, "w") as sink:
        system = Console(file=sink, force_terminal=True).color_system
    if system in ("standard", "windows") and not os.environ.get("COLORTERM"):
        return "ansi-dark", True
    return None, False


def run_app(args, *, desk=None, agent=None, first_page=None) -> int:
    """The TUI. desk.cli opens the desk, finds the agent and starts reading the first page
    before it imports this module (and Textual); called otherwise, this does all of it."""
    from desk.widgets.queue_source import FirstPage

    if desk is None:
        from desk.commands.common import open_for

        desk = open_for(args)
    if agent is None:
        from desk.domain.errors import UnknownUser
        from desk.services.agents import whoami  # (not lookup: its picker lists wait for a dialog)

        try:
            agent = whoami(desk)
        except UnknownUser as err:
            return run_refused(desk, err)
    from desk.app import DeskApp

    operator = _Operator(agent.login, agent.name, frozenset(agent.roles), agent.group)
    theme, ansi = pick_theme()
    app = DeskApp(desk, operator, theme=theme, ansi_color=ansi)
    from desk.config_check import report_problems

    if report_problems(desk.config, desk.lang, app.binding_ids):  # a bad [keymap] or saved view: exit 2
        desk.close()
        return 2
    if first_page is None or first_page.view != app.default_view():
        first_page = FirstPage(desk, operator.login, app.default_view())  # read while Textual starts
    app.first_page = first_page
    try:
        app.run()
    finally:
        desk.close()
    return app.return_code or 0


class RefusedApp(App):
    """`desk` for someone who is not an agent of this desk: one screen saying who desk takes
    them to be and how to become an agent (desk/screens/not_agent.py). Nothing of the desk is
    read; any of q, esc, enter quits with exit code 1."""

    TITLE = "desk"
    CSS_PATH = [str(HERE / "desk.tcss")]

    def __init__(self, desk, error, *, theme: str | None = None, ansi_color: bool = False) -> None:
        super().__init__(ansi_color=ansi_color)
        self.lang = desk.lang
        self.message = error.message(desk.lang)
        if theme:
            self.theme = theme

    def on_mount(self) -> None:
        from desk.screens.not_agent import NotAgentScreen

        self.push_screen(NotAgentScreen(self.message, self.lang))

    def action_quit(self) -> None:
        self.exit(return_code=1)


def run_refused(desk, error) -> int:
    theme, ansi = pick_theme()
    app = RefusedApp(desk, error, theme=theme, ansi_color=ansi)
    try:
        app.run()
    finally:
        desk.close()
    return 1


class _Operator(NamedTuple):
    login: str
    name: str
    roles: frozenset[str]
    group: str


def operator_for(desk, login: str | None = None) -> _Operator:
    from desk.services.agents import whoami

    agent = whoami(desk, login)
    return _Operator(agent.login, agent.name, frozenset(agent.roles), agent.group)
