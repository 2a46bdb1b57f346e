"""Change the priority (i on the incident queue and the incident detail): correct the incident's
impact and urgency, saying why. The priority it becomes follows live from the impact × urgency
matrix; its SLA is re-targeted on that priority with the time spent and held kept
(desk.services.incident_priority). Acts on the incident under the cursor."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.widgets import Input, Select, Static

from desk.screens.dialogs.base import ActionDialog
from desk.services import lookup


class SetPriorityDialog(ActionDialog):
    ACTION = "set_priority"

    def compose_fields(self) -> ComposeResult:
        yield Static(Text(self.tr("explain")), classes="explain")
        yield Static(id="now", classes="box")
        for name in ("impact", "urgency"):
            yield self.label(name)
            yield Select(self._options(name), id=name, compact=True, prompt="—")
            yield self.field_error(name)
        yield Static(id="becomes")
        yield from self.line_field("reason")

    def _options(self, table: str) -> list[tuple[Text, str]]:
        return [(Text(f"{c.code} {c.label}"), str(c.code)) for c in lookup.codes(self.desk, table)]

    def load(self, desk) -> dict[str, Any]:
        from desk.services import incidents

        detail = incidents.get(desk, self.rows[0][0], with_history=False)
        return {"impact": detail.impact, "urgency": detail.urgency, "priority": detail.priority}

    def _priority(self, priority: int) -> dict[str, Any]:
        return {"priority": priority, "label": self.desk.config.label("priority", priority, self.lang)}

    def on_loaded(self, data: dict[str, Any]) -> None:
        self.current = (data["impact"], data["urgency"])
        self.query_one("#now", Static).update(Text(self.tr("now", impact=data["impact"], urgency=data["urgency"],
                                                           **self._priority(data["priority"]))))
        self.query_one("#impact", Select).value = str(data["impact"])
        self.query_one("#urgency", Select).value = str(data["urgency"])
        self._show_becomes()
        self.query_one("#impact", Select).focus()

    def _chosen(self) -> tuple[int | None, int | None]:
        values = [self.query_one(f"#{name}", Select).value for name in ("impact", "urgency")]
        return tuple(None if v is Select.NULL else int(v) for v in values)  # type: ignore[return-value]

    @on(Select.Changed)
    def _changed(self, event: Select.Changed) -> None:
        event.stop()
        self._show_becomes()

    def _show_becomes(self) -> None:
        impact, urgency = self._chosen()
        line = Text()
        if impact is not None and urgency is not None:
            line.append(self.tr("becomes", **self._priority(self.desk.config.matrix.priority(impact, urgency))),
                        style="bold")
        self.query_one("#becomes", Static).update(line)

    def collect(self) -> dict[str, Any] | None:
        impact, urgency = self._chosen()
        for name, value in (("impact", impact), ("urgency", urgency)):
            if value is None:
                self.set_error(name, self.tr("pick_one"))
                return None
        reason = self.required("reason", self.query_one("#reason", Input).value)
        return None if reason is None else {"impact": impact, "urgency": urgency, "reason": reason}

    def perform(self, desk, incident_id: int, version: int, params: dict[str, Any]) -> None:
        from desk.services import incident_priority

        incident_priority.set_priority(desk, None, incident_id, impact=params["impact"], urgency=params["urgency"],
                                       reason=params["reason"], expect_version=version)

    def after(self, desk, outcome, params: dict[str, Any]) -> None:
        if outcome.results and outcome.results[0].ok:
            priority = desk.config.matrix.priority(params["impact"], params["urgency"])
            outcome.notice = self.tr("done", id=outcome.results[0].id, **self._priority(priority))
