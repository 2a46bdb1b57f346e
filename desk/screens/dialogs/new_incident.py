"""A new incident (200.1) with the 200.2 information checklist: caller and organisation, affected
service, symptoms, impact, urgency, when it started; classified as an incident, a service
request or a complaint. The priority follows live from the impact × urgency matrix."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, RadioButton, RadioSet, Select, Static, TextArea

from desk.domain.checklist import checklist
from desk.i18n import t
from desk.screens.checklist_line import checklist_items
from desk.screens.dialogs.base import ActionDialog
from desk.services import incidents, lookup
from desk.services.incidents import MAX_TITLE
from desk.timefmt import local, to_utc, zone
from desk.widgets.packed import PackedStatic

PRIORITY_STYLE = {1: "bold red", 2: "bold dark_orange", 3: "bold yellow", 4: "bold green"}
TIME_FORMATS = ("%Y-%m-%d %H:%M", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d")


def parse_started(text: str, now: datetime, tz=None) -> datetime | None:
    """'YYYY-MM-DD HH:MM', a date, or 'HH:MM' (today), typed in the desk's zone `tz`, as stored
    (UTC; `now` is stored time too). Raises ValueError for anything else."""
    text = text.strip()
    if not text:
        return None
    for fmt in TIME_FORMATS:
        try:
            return to_utc(datetime.strptime(text, fmt), tz)
        except ValueError:
            pass
    moment = datetime.strptime(text, "%H:%M")
    today = local(now, tz)  # (today there: in Shanghai at 01:00 it is already tomorrow in UTC terms)
    return to_utc(today.replace(hour=moment.hour, minute=moment.minute, second=0, microsecond=0), tz)


class NewIncidentDialog(ActionDialog):
    """Escaping with something typed keeps it (KeptDrafts.keep_on_escape): the next `n` puts it back.
    An agent who slips on esc in the middle of a call loses nothing the caller has said."""

    ACTION = "new"

    def __init__(self, incidents: list[tuple[int, int]] | None = None) -> None:
        super().__init__([])  # acts on no existing incident, whatever row the cursor was on

    def title_text(self) -> str:
        return self.tr("title")

    def row(self, key: str, widget) -> Horizontal:
        return Horizontal(Static(self.tr(key), classes="row-label"), widget, id=f"{key}-row", classes="row")

    def compose_fields(self) -> ComposeResult:
        with RadioSet(id="classification", compact=True):
            for index, choice in enumerate(lookup.codes(self.desk, "classification")):
                yield RadioButton(choice.label, value=index == 0, id=f"class-{choice.code}", compact=True)
        yield self.row("title_field", Input(id="title", compact=True, max_length=MAX_TITLE))
        yield self.field_error("title")
        yield self.row("caller", Input(id="caller", compact=True))
        yield self.field_error("caller")
        yield self.row("organisation", Select([], id="organisation", compact=True, prompt=self.tr("none")))
        yield self.row("service", Select([], id="service", compact=True, prompt=self.tr("none")))
        yield self.row("impact", Select(self.options("impact", True), id="impact", compact=True,
                                        prompt=self.tr("choose")))
        yield self.field_error("impact")
        yield self.row("urgency", Select(self.options("urgency", True), id="urgency", compact=True,
                                         prompt=self.tr("choose")))
        yield self.field_error("urgency")
        yield self.row("started", Input(id="started", compact=True, placeholder=self.tr("started_hint")))
        yield self.field_error("started")
        config = self.desk.config
        yield self.row("category", Select(self.options("category"), id="category", compact=True, allow_blank=False,
                                          value="other" if "other" in config.codes("category") else Select.NULL))
        yield self.row("source", Select(self.options("source"), id="source", compact=True, allow_blank=False,
                                        value=config.data["incident"]["default_source"]))
        yield self.label("description")
        yield TextArea(id="description", soft_wrap=True, compact=True)
        yield self.field_error("description")

    def compose_summary(self) -> ComposeResult:
        # the priority and the checklist stay in sight below the scrolling form
        yield Static(id="priority", classes="priority")
        yield PackedStatic(id="checklist", classes="checklist")

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one("#heading").display = False

    def options(self, table: str, numbered: bool = False) -> list[tuple[Text, str]]:
        """A configured code table as Select options (no database: the config holds it)."""
        return [(Text(f"{c.code} {c.label}" if numbered else c.label), c.code) for c in lookup.codes(self.desk, table)]

    def load(self, desk) -> dict[str, Any]:
        return {"organisations": lookup.organisations(desk), "services": lookup.services(desk)}

    def on_loaded(self, data: dict[str, Any]) -> None:
        self.query_one("#organisation", Select).set_options([(Text(c.label), c.code) for c in data["organisations"]])
        self.query_one("#service", Select).set_options([(Text(c.label), c.code) for c in data["services"]])
        self.refresh_summary()
        self.query_one("#title", Input).focus()

    # --- the draft kept on escape -----------------------------------------------------------
    def restore_typed(self) -> bool:
        restored = super().restore_typed()
        if restored:
            self.app.notify(self.tr("draft_back"))
        return restored

    def action_cancel(self) -> None:
        if not self.busy and self.is_mounted:
            self.keep_on_escape()
        super().action_cancel()

    # --- live priority and checklist --------------------------------------------------------
    def _value(self, selector: str):
        value = self.query_one(selector, Select).value
        return None if value is Select.NULL else value

    def _started(self) -> tuple[datetime | None, bool]:
        try:
            return parse_started(self.query_one("#started", Input).value, self.desk.now(), zone(self.desk.config)), True
        except ValueError:
            return None, False

    @on(Input.Changed)
    @on(Select.Changed)
    @on(TextArea.Changed)
    def _changed(self, event) -> None:
        event.stop()
        self.refresh_summary()

    def refresh_summary(self) -> None:
        lang, config = self.lang, self.desk.config
        impact, urgency = self._value("#impact"), self._value("#urgency")
        line = Text()
        line.append(self.tr("priority") + ": ", style="bold")
        if impact and urgency:
            priority = config.matrix.priority(int(impact), int(urgency))
            line.append(f"{priority} {config.label('priority', priority, lang)}", style=PRIORITY_STYLE.get(priority, "bold"))
            line.append("  " + self.tr("matrix", impact=impact, urgency=urgency), style="dim")
        else:
            line.append(self.tr("priority_pending"), style="dim")
        self.query_one("#priority", Static).update(line)
        started, _ = self._started()
        items = checklist(caller=self.query_one("#caller", Input).value.strip(),
                          organisation=self._value("#organisation"), service=self._value("#service"),
                          description=self.query_one("#description", TextArea).text, impact=impact,
                          urgency=urgency, started_at=started)
        self.query_one("#checklist", PackedStatic).show(checklist_items(
            Text(t("detail.checklist", lang) + ": ", style="bold"), [(item.key, item.done) for item in items], lang))

    # --- submitting -------------------------------------------------------------------------
    def collect(self) -> dict[str, Any] | None:
        title = self.required("title", self.query_one("#title", Input).value, "title_field")
        ok = title is not None
        for name in ("impact", "urgency"):
            if self._value(f"#{name}") is None:
                self.set_error(name, self.tr("choose_one", field=self.tr(name)))
                ok = False
        started, valid = self._started()
        if not valid:
            self.set_error("started", self.tr("bad_time"))
            ok = False
        elif started is not None and started > self.desk.now():
            self.set_error("started", self.tr("future_time"))
            ok = False
        if not ok:
            return None
        classification = "incident"
        pressed = self.query_one("#classification", RadioSet).pressed_button
        if pressed is not None and pressed.id:
            classification = pressed.id.removeprefix("class-")
        return {
            "title": title, "caller": self.query_one("#caller", Input).value.strip() or None,
            "organisation": self._value("#organisation"), "service": self._value("#service"),
            "impact": int(self._value("#impact")), "urgency": int(self._value("#urgency")),
            "started_at": started, "category": self._value("#category"), "source": self._value("#source"),
            "description": self.query_one("#description", TextArea).text, "classification": classification,
        }

    def perform(self, desk, incident_id: int, version: int, params: dict[str, Any]) -> int:
        return incidents.create(desk, None, **params).id
