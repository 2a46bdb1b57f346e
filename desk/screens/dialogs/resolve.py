"""Resolve: a closure code and the resolution; optionally draft a knowledge article from it."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Checkbox, Select, TextArea

from desk.domain.permissions import can
from desk.screens.actions import Outcome
from desk.screens.dialogs.base import ActionDialog
from desk.services import incidents, knowledge, lookup


class ResolveDialog(ActionDialog):
    ACTION = "resolve"

    def compose_fields(self) -> ComposeResult:
        yield self.label("code")
        codes = [(Text(c.label), c.code) for c in lookup.closure_codes(self.desk)]
        yield Select(codes, prompt=self.tr("code_prompt"), id="code", compact=True)
        yield self.field_error("code")
        yield self.label("resolution")
        yield TextArea(id="resolution", soft_wrap=True, show_line_numbers=False, compact=True)
        yield self.field_error("resolution")
        yield Checkbox(self.tr("draft"), id="draft", compact=True)

    def on_loaded(self, data: dict[str, Any]) -> None:
        self.query_one("#draft", Checkbox).display = can(self.roles, "knowledge.draft")
        self.query_one("#code", Select).focus()

    def collect(self) -> dict[str, Any] | None:
        code = self.query_one("#code", Select).value
        if code is Select.NULL or not code:
            self.set_error("code", self.tr("pick_code"))
            code = None
        resolution = self.required("resolution", self.query_one("#resolution", TextArea).text)
        if code is None or resolution is None:
            return None
        draft = self.query_one("#draft", Checkbox)
        return {"code": code, "resolution": resolution, "draft": draft.display and draft.value}

    def perform(self, desk, incident_id: int, version: int, params: dict[str, Any]) -> None:
        incidents.resolve(desk, None, incident_id, code=params["code"], note=params["resolution"],
                          expect_version=version)

    def after(self, desk, outcome: Outcome, params: dict[str, Any]) -> None:
        if not params["draft"] or not outcome.results or not outcome.results[0].ok:
            return
        inc_id = outcome.results[0].id
        title = incidents.get(desk, inc_id, with_history=False).title
        article = knowledge.draft(desk, None, title=title, body=params["resolution"], incident_id=inc_id)
        outcome.notice = self.tr("done_with_draft", id=inc_id, article=article.id)
