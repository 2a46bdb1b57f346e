"""Caused by a change (C on the incident queue and the incident detail): record the marked
incidents as caused by a change picked from those whose work began, or, for incidents recorded
against one, say they were not caused by it after all. Each incident on its own, with the
version the user saw; both histories record it (desk.services.changes.link_incident /
unlink_incident)."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.widgets import RadioButton, RadioSet, Static

from desk.domain.errors import ValidationError
from desk.screens.actions import Outcome
from desk.screens.dialogs.base import ActionDialog
from desk.services import changes
from desk.widgets.picker import Picker, record_items

LINK, UNLINK = "link", "unlink"



class CauseDialog(ActionDialog):
    ACTION = "cause"

    def compose_fields(self) -> ComposeResult:
        with RadioSet(id="mode", compact=True):
            yield RadioButton(self.tr("link"), value=True, id="link", compact=True)
            yield RadioButton(self.tr("unlink"), id="unlink", compact=True)
        yield Static(id="recorded", classes="box")
        with Vertical(id="link-box", classes="box"):
            yield self.label("change")
            yield Picker(placeholder=self.tr("search"), empty=self.tr("no_change"), id="change")
            yield self.field_error("change")

    def load(self, desk) -> dict[str, Any]:
        return {"choices": changes.causing(desk),
                "recorded": {i: changes.change_of(desk, i) for i, _ in self.rows}}

    def on_loaded(self, data: dict[str, Any]) -> None:
        recorded = {i: c for i, c in data["recorded"].items() if c is not None}
        self.query_one("#change", Picker).set_items(record_items(data["choices"], self.lang, "change"))
        self.query_one("#mode", RadioSet).display = bool(recorded)  # (nothing recorded: nothing to remove)
        said = self.query_one("#recorded", Static)
        said.display = bool(recorded)
        said.update(Text("\n".join(self.tr("recorded", id=i, change=c) for i, c in sorted(recorded.items()))))
        if recorded and len(recorded) == len(self.rows):
            self.query_one("#unlink", RadioButton).value = True
        self._show_mode()

    @property
    def mode(self) -> str:
        return UNLINK if self.query_one("#unlink", RadioButton).value else LINK

    @on(RadioSet.Changed)
    def _mode_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        self._show_mode()

    def _show_mode(self) -> None:
        self.query_one("#link-box").display = self.mode == LINK
        if self.mode == LINK and self.is_mounted:
            self.query_one("#change", Picker).search_input.focus()
        else:
            self.query_one("#ok").focus()
        self.call_after_refresh(self.fit)

    def collect(self) -> dict[str, Any] | None:
        if self.mode == UNLINK:
            return {"mode": UNLINK}
        target = self.query_one("#change", Picker).value
        if not target:
            self.set_error("change", self.tr("pick_one"))
            return None
        return {"mode": LINK, "change": int(target)}

    def perform(self, desk, incident_id: int, version: int, params: dict[str, Any]) -> None:
        """One incident, in its own transaction, with the version the user saw."""
        if params["mode"] == LINK:
            changes.link_incident(desk, None, params["change"], [incident_id], incident_versions={incident_id: version})
            return
        change_id = changes.change_of(desk, incident_id)
        if change_id is None:
            raise ValidationError("change.error.not_caused", id=incident_id)
        changes.unlink_incident(desk, None, change_id, [incident_id], incident_versions={incident_id: version})

    def after(self, desk, outcome: Outcome, params: dict[str, Any]) -> None:
        done = sum(1 for r in outcome.results if r.ok)
        if done:
            outcome.notice = (self.tr("linked", count=done, change=params["change"]) if params["mode"] == LINK
                              else self.tr("unlinked", count=done))
