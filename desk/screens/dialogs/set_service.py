"""Change the service (t on the incident queue and the incident detail): put the incident under
another published catalogue service, picked from a searchable list. From then on it keeps that
service's version in force, and its SLA is re-timed on it with the time spent and held kept
(desk.services.incident_service). Acts on the incident under the cursor."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Static

from desk.screens.dialogs.base import ActionDialog
from desk.widgets.picker import Picker, service_items


class SetServiceDialog(ActionDialog):
    ACTION = "set_service"

    def compose_fields(self) -> ComposeResult:
        yield Static(Text(self.tr("explain")), classes="explain")
        yield Static(id="now", classes="box")
        yield self.label("service")
        yield Picker(placeholder=self.tr("search"), empty=self.tr("no_match"), id="service")
        yield self.field_error("service")

    def load(self, desk) -> dict[str, Any]:
        from desk.services import incident_service, incidents

        detail = incidents.get(desk, self.rows[0][0], with_history=False)
        return {"choices": [s for s in incident_service.choices(desk) if s.code != detail.service],
                "service": detail.service, "number": detail.service_version}

    def service_label(self, code: str) -> str:
        return self.desk.config.label("service", code, self.lang)

    def on_loaded(self, data: dict[str, Any]) -> None:
        now = (self.tr("now", service=self.service_label(data["service"]), number=data["number"] or "—")
               if data["service"] else self.tr("now_none"))
        self.query_one("#now", Static).update(Text(now))  # (a service's name is shown literally)
        picker = self.query_one("#service", Picker)
        picker.set_items(service_items(data["choices"], self.lang))
        picker.search_input.focus()

    def collect(self) -> dict[str, Any] | None:
        code = self.query_one("#service", Picker).value
        if not code:
            self.set_error("service", self.tr("pick_one"))
            return None
        return {"service": code}

    def perform(self, desk, incident_id: int, version: int, params: dict[str, Any]) -> None:
        from desk.services import incident_service

        incident_service.set_service(desk, None, incident_id, service=params["service"], expect_version=version)

    def after(self, desk, outcome, params: dict[str, Any]) -> None:
        if outcome.results and outcome.results[0].ok:
            outcome.notice = self.tr("done", id=outcome.results[0].id, service=self.service_label(params["service"]))
