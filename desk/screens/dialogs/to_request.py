"""Turn an incident into a service request (200.2: the call is a request, not a fault): the
incident is closed as 'converted to a service request' and the request opened from it, accepted
by the agent, in one transaction (desk.services.request_convert). The intake checklist still
applies: the agent ticks that it is done. Acts on the incident under the cursor."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Checkbox, Input, Static

from desk.i18n import t
from desk.screens.dialogs.base import ActionDialog


class ToRequestDialog(ActionDialog):
    ACTION = "to_request"

    def __init__(self, incidents: list[tuple[int, int]] | None = None) -> None:
        super().__init__(incidents)
        self.made: int | None = None  # the request opened (worker thread -> after)

    def compose_fields(self) -> ComposeResult:
        yield Static(Text(self.tr("explain")), classes="explain")
        yield from self.line_field("reason")
        yield from self.line_field("service")
        yield Checkbox(self.tr("checked"), id="checked", compact=True)
        yield self.field_error("checked")

    def on_loaded(self, data: dict[str, Any]) -> None:
        self.query_one("#reason", Input).focus()

    def collect(self) -> dict[str, Any] | None:
        reason = self.required("reason", self.query_one("#reason", Input).value)
        if reason is None:
            return None
        return {"reason": reason, "service": self.query_one("#service", Input).value.strip() or None,
                "checked": ["all"] if self.query_one("#checked", Checkbox).value else []}

    def perform(self, desk, incident_id: int, version: int, params: dict[str, Any]) -> None:
        from desk.services import request_convert

        made = request_convert.to_request(desk, None, incident_id, reason=params["reason"], service=params["service"],
                                          checked=params["checked"], expect_version=version)
        self.made = made.id

    def after(self, desk, outcome, params: dict[str, Any]) -> None:
        if self.made is not None and outcome.results and outcome.results[0].ok:
            outcome.notice = t("actions.to_request.done", desk.lang, id=outcome.results[0].id, request=self.made)
