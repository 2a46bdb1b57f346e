"""Reopen (200.9, not confirmed): back to whoever resolved it, with the caller's reason."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Input

from desk.screens.dialogs.base import ActionDialog
from desk.services import incidents


class ReopenDialog(ActionDialog):
    ACTION = "reopen"

    def compose_fields(self) -> ComposeResult:
        yield from self.line_field("reason")

    def on_loaded(self, data: dict[str, Any]) -> None:
        self.query_one("#reason", Input).focus()

    def collect(self) -> dict[str, Any] | None:
        reason = self.required("reason", self.query_one("#reason", Input).value)
        return None if reason is None else {"reason": reason}

    def perform(self, desk, incident_id: int, version: int, params: dict[str, Any]) -> None:
        incidents.reopen(desk, None, incident_id, reason=params["reason"], expect_version=version)
