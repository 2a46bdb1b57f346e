"""Assign: to me, to an agent or to a work group (a searchable picker), on every marked incident."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.widgets import Input

from desk.cli_format import fit
from desk.domain.text import one_line
from desk.screens.dialogs.base import ActionDialog
from desk.services import incidents, lookup
from desk.widgets.picker import Picker, PickerItem


class AssignDialog(ActionDialog):
    ACTION = "assign"

    def compose_fields(self) -> ComposeResult:
        yield self.label("target")
        yield Picker(placeholder=self.tr("search"), empty=self.tr("no_match"), id="target")
        yield self.field_error("target")
        yield from self.line_field("note")

    def load(self, desk) -> dict[str, Any]:
        # assignment stays within the incident's tier (moving tiers is escalate/return, with a reason):
        # offer the groups of the incidents' tiers and the agents in them
        tiers = {b.tier for b in lookup.incidents(desk, [i for i, _ in self.rows])}
        groups = lookup.groups(desk, tiers or None)
        codes = {g.code for g in groups}
        agents = [a for a in lookup.agents(desk) if not a.group or a.group in codes]
        return {"agents": agents, "groups": groups}

    def on_loaded(self, data: dict[str, Any]) -> None:
        me = self.desk.user
        items = [PickerItem("me", Text(self.tr("me", login=one_line(me)), style="bold"), f"me {me}")]
        for agent in data["agents"]:
            prompt = Text(no_wrap=True, overflow="ellipsis")
            prompt.append(fit(one_line(agent.login, 16), 16), style="bold")  # (cells: a login may be Chinese)
            prompt.append(one_line(agent.name, 24))
            if agent.group_label:
                prompt.append(f"  {one_line(agent.group_label, 24)}", style="dim")
            items.append(PickerItem(f"agent:{agent.login}", prompt,
                                    f"{agent.login} {agent.name} {agent.group} {agent.group_label}"))
        for group in data["groups"]:
            prompt = Text(no_wrap=True, overflow="ellipsis")
            prompt.append(fit(self.tr("group_prefix", tier=group.tier), 16), style="cyan")  # 工作组 · L2: 11 cells
            prompt.append(one_line(group.label, 30))
            prompt.append(f"  {group.code}", style="dim")
            items.append(PickerItem(f"group:{group.code}", prompt, f"{group.code} {group.label} L{group.tier}"))
        picker = self.query_one("#target", Picker)
        picker.set_items(items)
        picker.search_input.focus()

    def collect(self) -> dict[str, Any] | None:
        value = self.query_one("#target", Picker).value
        if not value:
            self.set_error("target", self.tr("pick_one"))
            return None
        note = self.query_one("#note", Input).value
        if value == "me":
            return {"to": "me", "group": None, "note": note}
        kind, _, code = value.partition(":")
        return {"to": code if kind == "agent" else None, "group": code if kind == "group" else None, "note": note}

    def perform(self, desk, incident_id: int, version: int, params: dict[str, Any]) -> None:
        incidents.assign(desk, None, incident_id, to=params["to"], group=params["group"], note=params["note"],
                         expect_version=version)
