"""The form that generates a report's draft from the report review screen (`g`): the report from
the report list (names in the user's language), the period (the last closed one of that report's
frequency unless changed); enter generates it in the screen's reading thread while the form says
so, and the draft is then selected on the screen. A period whose report is a draft or returned to
its writer has its figures computed again (the commentary stays: the writer revises after a
return). A refusal (not the writer, a report of that period in sign-off or later, a period that is
not one) is said in the form and nothing changes.
"""

from __future__ import annotations

from typing import NamedTuple

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Input, LoadingIndicator, OptionList, Static
from textual.widgets.option_list import Option

from desk.domain.text import one_line
from desk.i18n import t


class Choice(NamedTuple):
    code: str
    name: str  # in the user's language
    kind: str  # weekly, monthly, quarterly
    period: str  # the last closed period of that frequency


def read_choices(desk, lang: str) -> list[Choice]:
    """The active reports of the report list, each with its last closed period."""
    from desk.domain import report_flow as flow
    from desk.services import report_list, reports

    now = reports.local(desk, desk.now())
    out = []
    for spec in report_list.entries(desk, active_only=True):
        kind = spec.content.get("period", "monthly")
        out.append(Choice(spec.code, spec.name(lang), kind, flow.period_containing(kind, now).previous().key))
    return out


class Made(NamedTuple):
    id: int
    status: str
    again: bool  # an existing draft's figures computed again
    name: str = ""  # the report's title in the user's language, and its period: what the screen says
    period: str = ""


class AlreadyGenerated(Exception):
    def __init__(self, text: str) -> None:
        super().__init__(text)
        self.text = text

    def message(self, lang: str) -> str:
        return self.text


def generate_new(desk, login: str, choice: Choice, period: str, lang: str) -> Made:
    """A new draft of the report for the period, or the figures of that period's draft (or returned
    report) computed again; refused when that period's report is further on."""
    from desk.domain import report_flow as flow
    from desk.services import reports

    key = flow.parse_period(choice.kind, period).key
    existing = reports.find(desk, choice.code, key)
    if existing is None:
        view = reports.generate(desk, login, choice.code, key)
        return Made(view.id, view.status, False, view.name(lang), view.period)
    if existing.status not in flow.ALLOWED_FROM["generate"]:
        raise AlreadyGenerated(t("report.tui.generated_already", lang, name=choice.name, period=key,
                                 id=existing.id, status=t(f"report.status.{existing.status}", lang)))
    view = reports.regenerate(desk, login, existing.id, expect_version=existing.version)
    return Made(view.id, view.status, True, view.name(lang), view.period)


class GenerateDialog(ModalScreen[Made | None]):
    """Pick a report and a period; dismissed with the draft made (None: cancelled)."""

    BINDINGS = [Binding("escape", "cancel", "report.tui.key_cancel", id="reports.generate.cancel")]

    class Finished(Message):
        def __init__(self, result, error) -> None:
            super().__init__()
            self.result, self.error = result, error

    def __init__(self, lang: str, choices: list[Choice], run) -> None:
        super().__init__()
        self.lang, self.choices, self.run = lang, choices, run  # run(code, period, done): in a thread
        self.busy = False
        self.tries = 0  # answers received (tests wait for them)

    def compose(self) -> ComposeResult:
        with Vertical(id="rp-generate"):
            yield Static(Text(t("report.tui.generate_title", self.lang), style="bold"))
            yield Static(t("report.tui.generate_report", self.lang))
            options = [Option(Text(f"{c.name} ({t(f'report.period.{c.kind}', self.lang)})"), id=c.code)
                       for c in self.choices]
            yield OptionList(*options, id="rp-generate-list")
            yield Static(t("report.tui.generate_period", self.lang))
            yield Input(self.choices[0].period if self.choices else "", id="rp-generate-period")
            yield LoadingIndicator(id="rp-generate-busy")
            yield Static("", id="rp-generate-said")

    def on_mount(self) -> None:
        self.query_one("#rp-generate-busy").display = False
        if self.choices:
            self.query_one("#rp-generate-list", OptionList).highlighted = 0

    def _choice(self) -> Choice | None:
        index = self.query_one("#rp-generate-list", OptionList).highlighted
        return self.choices[index] if index is not None and index < len(self.choices) else None

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        choice = self._choice()
        if choice is not None:
            self.query_one("#rp-generate-period", Input).value = choice.period
            self._say("")

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        self.query_one("#rp-generate-period", Input).focus()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        choice = self._choice()
        if self.busy or choice is None:
            return
        self.busy = True
        self.query_one("#rp-generate-busy").display = True
        self._say(t("report.tui.generating", self.lang, name=choice.name, period=event.value.strip()))
        self.run(choice, event.value, lambda result, error: self.post_message(self.Finished(result, error)))

    def on_generate_dialog_finished(self, message: Finished) -> None:
        self.busy = False
        self.tries += 1
        self.query_one("#rp-generate-busy").display = False
        if message.error is None:
            self.dismiss(message.result)
            return
        explain = getattr(message.error, "message", None)
        text = explain(self.lang) if callable(explain) else str(message.error)
        self._say(one_line(text, 200), error=True)

    def _say(self, text: str, error: bool = False) -> None:
        self.query_one("#rp-generate-said", Static).update(Text(text, style="bold red" if error else "bold"))

    def action_cancel(self) -> None:
        if not self.busy:
            self.dismiss(None)
