"""Confirm (200.9): the caller confirms the resolution; the incident stays resolved and may then
be closed. An optional note goes into the history with the confirmation."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input, Static

from desk.screens.dialogs.base import ActionDialog
from desk.services import incidents


class ConfirmDialog(ActionDialog):
    ACTION = "confirm"

    def compose_fields(self) -> ComposeResult:
        yield Static(Text(self.tr("explain")), classes="explain")
        yield from self.line_field("note")

    def on_loaded(self, data: dict[str, Any]) -> None:
        self.query_one("#note", Input).focus()

    def collect(self) -> dict[str, Any] | None:
        return {"note": self.query_one("#note", Input).value.strip()}

    def perform(self, desk, incident_id: int, version: int, params: dict[str, Any]) -> None:
        incidents.confirm(desk, None, incident_id, note=params["note"], expect_version=version)
