"""Return: second line or a vendor hands an escalated incident back a tier, with the reason.
The group it was escalated from is offered first; any group of a lower tier may take it."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Input

from desk.domain.errors import InvalidTransition
from desk.screens.dialogs.base import ActionDialog
from desk.services import incidents, lookup
from desk.widgets.picker import Picker, group_items


class ReturnDialog(ActionDialog):
    ACTION = "return"

    def compose_fields(self) -> ComposeResult:
        yield self.label("target")
        yield Picker(placeholder=self.tr("search"), empty=self.tr("no_match"), id="target")
        yield self.field_error("target")
        yield from self.line_field("reason")

    def load(self, desk) -> dict[str, Any]:
        briefs = lookup.incidents(desk, [i for i, _ in self.rows])
        if not briefs:
            return {"groups": [], "came_from": None}
        brief = briefs[0]
        if brief.tier <= 1:
            raise InvalidTransition("error.bottom_tier")  # said in the dialog; nothing to return
        groups = lookup.groups(desk, range(1, brief.tier))
        groups.sort(key=lambda g: -g.tier)  # the previous tier first (stable: configured order within)
        return {"groups": groups, "came_from": _came_from(desk, brief.id, brief.group)}

    def on_loaded(self, data: dict[str, Any]) -> None:
        items = group_items(data["groups"])
        picker = self.query_one("#target", Picker)
        picker.set_items(items)
        if data.get("came_from") in {g.code for g in data["groups"]}:
            picker.select(data["came_from"])
        self.query_one("#reason", Input).focus()

    def collect(self) -> dict[str, Any] | None:
        target = self.query_one("#target", Picker).value
        reason = self.required("reason", self.query_one("#reason", Input).value)
        ok = reason is not None
        if not target:
            self.set_error("target", self.tr("pick_one"))
            ok = False
        return {"to": target, "reason": reason} if ok else None

    def perform(self, desk, incident_id: int, version: int, params: dict[str, Any]) -> None:
        incidents.return_(desk, None, incident_id, to=params["to"], reason=params["reason"],
                          expect_version=version)


def _came_from(desk, incident_id: int, group: str) -> str | None:
    """The group the incident was last escalated from into its present group, if the history says."""
    for entry in reversed(incidents.get(desk, incident_id).history):
        moved = entry.changes.get("group") if isinstance(entry.changes, dict) else None
        if entry.action == "escalate" and isinstance(moved, (list, tuple)) and len(moved) == 2 and moved[1] == group:
            return moved[0]
    return None
