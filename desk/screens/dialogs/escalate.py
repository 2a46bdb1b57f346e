"""Escalate: functionally to a group of the next tier (second line, then a vendor), or — for a
shift lead — hierarchically to the incident manager and leaders. A reason is always required."""

from __future__ import annotations

from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import Input, RadioButton, RadioSet

from desk.domain.incident_flow import MAX_TIER
from desk.domain.permissions import can
from desk.screens.dialogs.base import ActionDialog
from desk.services import incidents, lookup
from desk.widgets.picker import Picker, group_items

FUNCTIONAL, HIERARCHICAL = "functional", "hierarchical"


class EscalateDialog(ActionDialog):
    ACTION = "escalate"

    def compose_fields(self) -> ComposeResult:
        with RadioSet(id="mode", compact=True):
            yield RadioButton(self.tr("functional"), value=True, id="functional", compact=True)
            yield RadioButton(self.tr("hierarchical"), id="hierarchical", compact=True)
        yield self.field_error("mode")
        with Vertical(id="target-box", classes="box"):
            yield self.label("target")
            yield Picker(placeholder=self.tr("search"), empty=self.tr("no_next"),
                         no_match=self.tr("no_match"), id="target")
            yield self.field_error("target")
        yield from self.line_field("reason")

    def load(self, desk) -> dict[str, Any]:
        briefs = lookup.incidents(desk, [i for i, _ in self.rows])
        tiers = {b.tier + 1 for b in briefs if b.tier < MAX_TIER}
        return {"groups": lookup.groups(desk, tiers) if tiers else []}

    def on_loaded(self, data: dict[str, Any]) -> None:
        items = group_items(data["groups"])
        self.query_one("#target", Picker).set_items(items)
        functional = can(self.roles, "incident.escalate")
        hierarchical = can(self.roles, "incident.escalate_hierarchical")
        self.query_one("#hierarchical", RadioButton).display = hierarchical
        self.query_one("#functional", RadioButton).display = functional
        if hierarchical and not functional:
            self.query_one("#hierarchical", RadioButton).value = True
        self.query_one("#mode", RadioSet).display = functional and hierarchical
        self._show_target()
        if self.mode == FUNCTIONAL:
            self.query_one("#target", Picker).search_input.focus()
        else:
            self.query_one("#reason", Input).focus()

    @property
    def mode(self) -> str:
        return HIERARCHICAL if self.query_one("#hierarchical", RadioButton).value else FUNCTIONAL

    @on(RadioSet.Changed)
    def _mode_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        self._show_target()

    def _show_target(self) -> None:
        self.query_one("#target-box").display = self.mode == FUNCTIONAL

    def collect(self) -> dict[str, Any] | None:
        mode = self.mode
        target = self.query_one("#target", Picker).value if mode == FUNCTIONAL else None
        reason = self.required("reason", self.query_one("#reason", Input).value)
        ok = reason is not None
        if mode == FUNCTIONAL and not target:
            self.set_error("target", self.tr("pick_one"))
            ok = False
        return {"mode": mode, "to": target, "reason": reason} if ok else None

    def perform(self, desk, incident_id: int, version: int, params: dict[str, Any]) -> None:
        incidents.escalate(desk, None, incident_id, to=params["to"], reason=params["reason"],
                           hierarchical=params["mode"] == HIERARCHICAL, expect_version=version)
