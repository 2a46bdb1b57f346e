"""The change queue (F8): changes on the list machinery, with their detail and every step the
change workflow allows taken from the list or the detail (submit, assess, approve, reject,
schedule, start, review with the outcome, back out, close with the post-implementation review:
desk.services.changes), each form checking the change's status before anything is typed; C
opens the change calendar."""

from __future__ import annotations

from textual.binding import Binding

from desk.domain.errors import ValidationError
from desk.domain.text import one_line
from desk.i18n import t
from desk.lists.change import CHANGES
from desk.record_fields import CHANGE, VERSION, View, change_label, labelled, text
from desk.record_fields import Field as Shown  # (Field: a form's, below)
from desk.screens.list_screen import ListScreen, list_bindings
from desk.screens.record_action import Field, RecordAction
from desk.timefmt import when as at, zone

SHOWN = frozenset({"detail", "submit", "approve", "reject"})  # (help lists every key)


def _services():
    from desk.services import changes

    return changes


RISKS = tuple((code, f"change.risk.{code}") for code in ("low", "medium", "high"))
OUTCOMES = tuple((code, f"change.outcome.{code}") for code in ("successful", "failed", "backed_out"))


def _field(name: str, required: bool = True, **kw) -> Field:
    return Field(name, f"change.field.{name}", required, prefill=kw.pop("prefill", name), **kw)


def _schedule(desk, i, values, v):
    """Schedule the change; what it conflicts with is said afterwards (it does not refuse)."""
    from desk.services import change_calendar

    _services().schedule(desk, None, i, start=values["planned_start"], end=values["planned_end"], expect_version=v)
    found = change_calendar.conflicts_of(desk, i)
    if not found:
        return ""
    return t("change.calendar.schedule.conflicts", desk.lang, id=i,
             others=", ".join(t("change.calendar.conflict", desk.lang, id=other, service=service)
                              for other, service in found))


def incident_numbers(text: str | None) -> list[int]:
    """'12, 15 #3' -> [12, 15, 3]; anything else is one clear refusal (nothing is written)."""
    words = (text or "").replace(",", " ").replace("#", " ").split()
    if not words or not all(w.isdigit() and int(w) > 0 for w in words):
        raise ValidationError("change.error.incident_numbers", got=one_line(text or "", 60))
    return [int(w) for w in words]


ACTIONS = {
    "submit": RecordAction(lambda desk, i, text, v: _services().submit(desk, None, i, expect_version=v)),
    "assess": RecordAction(
        lambda desk, i, x, v: _services().assess(desk, None, i, risk=x["risk"], impact=x["impact"],
                                                 implementation_plan=x["implementation_plan"],
                                                 backout_plan=x["backout_plan"], test_plan=x["test_plan"],
                                                 expect_version=v),
        form=(_field("risk", choices=RISKS), _field("impact"), _field("implementation_plan"),
              _field("backout_plan"), _field("test_plan", required=False))),
    "approve": RecordAction(lambda desk, i, text, v: _services().approve(desk, None, i, note=text or "",
                                                                         expect_version=v),
                            "lists.action.decision_note", required=False),
    "reject": RecordAction(lambda desk, i, text, v: _services().reject(desk, None, i, note=text or "",
                                                                       expect_version=v),
                           "lists.action.decision_note"),
    "schedule": RecordAction(_schedule, form=(_field("planned_start", when=True), _field("planned_end", when=True))),
    "start": RecordAction(lambda desk, i, text, v: _services().start(desk, None, i, expect_version=v)),
    "review": RecordAction(
        lambda desk, i, x, v: _services().review(desk, None, i, outcome=x["outcome"], note=x["note"] or "",
                                                 expect_version=v),
        form=(_field("outcome", choices=OUTCOMES, prefill=""), Field("note", "lists.action.note", False))),
    "back_out": RecordAction(lambda desk, i, text, v: _services().review(desk, None, i, outcome="backed_out",
                                                                         note=text, expect_version=v),
                             "change.form.backout_note"),
    "close": RecordAction(lambda desk, i, text, v: _services().close(desk, None, i, review=text, expect_version=v),
                          "change.field.review"),
    "link_incident": RecordAction(lambda desk, i, text, v: _services().link_incident(
        desk, None, i, incident_numbers(text), expect_version=v), "change.form.caused_incidents"),
    "unlink_incident": RecordAction(lambda desk, i, text, v: _services().unlink_incident(
        desk, None, i, incident_numbers(text), expect_version=v), "change.form.not_caused_incidents"),
}


def detail_lines(d, lang: str, tz=None, config=None) -> list[tuple[str, str]]:
    """Its fields as label and text, as `desk change show` has them (desk.record_fields.CHANGE),
    then its texts and decisions; its times in the desk's zone `tz` (the history's heading names
    it). A field with nothing in it is left out."""
    v = View(None, lang, config, lambda value: at(value, tz, empty=""), lambda key: change_label(key, lang))
    texts = tuple(Shown(key, text(key)) for key in ("reason", "description", "impact", "implementation_plan",
                                                    "backout_plan", "test_plan", "review"))
    decisions = Shown("decision", lambda v, d: "; ".join(f"{x.agent} {t(f'change.decision.{x.decision}', lang)}"
                                                         for x in d.decisions))
    return [(v.label(f.key), value) for f, value in labelled((*CHANGE, *texts, decisions, VERSION), v, d) if value]


class ChangesScreen(ListScreen):
    SPEC = CHANGES
    RECORD_DETAIL = True
    SCREEN_ID = "changes"
    TITLE_KEY = "lists.screen.changes"
    TABLE_ID = "changes-table"
    STATUS_ID = "changes-status"
    BINDINGS = list_bindings(CHANGES, SHOWN, prefix="change.") + [
        Binding("C", "calendar", "changes.calendar.key.calendar", id="change.calendar")]
    ACTIONS = ACTIONS
    BINDING_PREFIX = "change."
    INCIDENTS_LABEL = "change.field.caused_incidents"

    def action_calendar(self) -> None:
        from desk.screens.change_calendar import ChangeCalendarScreen

        self.app.push_screen(ChangeCalendarScreen(self))

    def read_detail(self, desk, record_id: int):
        return _services().get(desk, record_id)

    def detail_lines(self, detail, lang: str):
        return detail_lines(detail, lang, zone(self.app.desk.config), self.app.desk.config)

    def start(self, action: str, rows: list[tuple[int, int]]) -> None:
        from desk.screens.record_start import start_record_action

        start_record_action(self, action, rows)
