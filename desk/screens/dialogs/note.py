"""Note: a work note in the incident's history (what was tried, what the caller said). The text
is required; ctrl+s saves (enter makes a new line), escape writes nothing."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import TextArea

from desk.screens.dialogs.base import ActionDialog
from desk.services import incidents


class NoteDialog(ActionDialog):
    ACTION = "note"

    def compose_fields(self) -> ComposeResult:
        yield self.label("text")
        yield TextArea(id="text", soft_wrap=True, show_line_numbers=False, compact=True)
        yield self.field_error("text")

    def on_loaded(self, data: dict[str, Any]) -> None:
        self.query_one("#text", TextArea).focus()

    def collect(self) -> dict[str, Any] | None:
        text = self.required("text", self.query_one("#text", TextArea).text)
        return None if text is None else {"text": text}

    def perform(self, desk, incident_id: int, version: int, params: dict[str, Any]) -> None:
        incidents.note(desk, None, incident_id, text=params["text"], expect_version=version)
