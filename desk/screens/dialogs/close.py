"""Close (200.10): resolved incidents, with the closure code given at resolution or another one.
Closing needs the caller's confirmation (200.9) or the configured days of silence; the agent
may record the confirmation here. Acts on every marked incident."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Checkbox, Select, Static

from desk.screens.dialogs.base import ActionDialog
from desk.services import incidents, lookup

KEEP = "__keep__"


class CloseDialog(ActionDialog):
    ACTION = "close"

    def compose_fields(self) -> ComposeResult:
        yield Static(Text(self.tr("explain", days=_days(self.desk.config.auto_confirm_days))),
                     classes="explain")
        yield self.label("code")
        options = [(Text(self.tr("keep")), KEEP)] + [(Text(c.label), c.code) for c in lookup.closure_codes(self.desk)]
        yield Select(options, allow_blank=False, value=KEEP, id="code", compact=True)
        yield self.field_error("code")
        yield Checkbox(self.tr("confirmed"), id="confirmed", compact=True)

    def on_loaded(self, data: dict[str, Any]) -> None:
        self.query_one("#confirmed", Checkbox).focus()

    def collect(self) -> dict[str, Any] | None:
        code = self.query_one("#code", Select).value
        return {"code": None if code in (KEEP, Select.NULL) else code,
                "confirmed": self.query_one("#confirmed", Checkbox).value}

    def explain(self, err) -> str:
        # the service's "…: confirm first" names no step of this form, which holds the box to tick
        if getattr(err, "key", "") == "error.not_confirmed":
            self.unconfirmed = True
            return self.tr("not_confirmed", box=self.tr("confirmed"), days=_days(self.desk.config.auto_confirm_days))
        return super().explain(err)

    @on(ActionDialog.Finished)
    def _to_the_box(self) -> None:
        if getattr(self, "unconfirmed", False):
            self.unconfirmed = False
            self.query_one("#confirmed", Checkbox).focus()

    def perform(self, desk, incident_id: int, version: int, params: dict[str, Any]) -> None:
        # the confirmation and the close are one transaction: a failure leaves nothing half done
        incidents.close(desk, None, incident_id, code=params["code"], confirmed=params["confirmed"],
                        expect_version=version)


def _days(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
