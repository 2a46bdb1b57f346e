"""What `desk` shows someone who is not an agent of this desk: who desk takes them to be, that
they are not an agent, and how to become one. Nothing of the desk is read or shown."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Static

from desk.domain.text import neutralise
from desk.i18n import t


class NotAgentScreen(Screen):
    BINDINGS = [Binding("q,escape,enter", "app.quit", "tui.key.quit", id="quit")]

    def __init__(self, message: str, lang: str) -> None:
        super().__init__()
        self.message = message
        self.lang = lang

    def compose(self) -> ComposeResult:
        lang = self.lang
        with Vertical(id="not-agent"):
            yield Static(Text(t("shell.not_agent.title", lang)), id="not-agent-title")
            yield Static(Text(neutralise(self.message)), id="not-agent-message")  # quotes the login
            yield Static(Text(t("shell.not_agent.quit", lang)), id="not-agent-quit")
