"""What a bulk action did, row by row: which records changed and why the others were refused
(a stale edit names who changed the record and when). Incidents' by default; the request queue's
bulk actions give their title and id mark."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from desk.domain.text import neutralise
from desk.i18n import t
from desk.screens.actions import Outcome, localise_bindings


class ResultDialog(ModalScreen[None]):
    BINDINGS = [
        Binding("escape", "close", "close", id="dialog_cancel"),
        Binding("enter", "close", "close", id="dialog_submit", show=False),
    ]

    def __init__(self, outcome: Outcome, title: str | None = None, mark: str = "#", kept: str | None = None,
                 still_marked: bool = False) -> None:
        super().__init__(classes="action-dialog")
        self.outcome = outcome
        self.still_marked = still_marked  # the rows came from the marks: the refused ones stay marked
        # another kind's words: its action's name, the mark before its ids ("R"), what says typing is kept
        self.title, self.mark, self.kept = title, mark, kept
        localise_bindings(self, self.app.desk.lang)

    def compose(self) -> ComposeResult:
        lang = self.app.desk.lang
        outcome = self.outcome
        done = [r for r in outcome.results if r.ok]
        refused = outcome.refused
        with Vertical(id="dialog", classes="dialog dialog-result") as box:
            box.border_title = self.title or t(f"actions.{outcome.action}.name", lang)
            summary = t("actions.result.summary", lang, done=len(done), refused=len(refused))
            yield Static(Text(summary, style="bold"), id="summary", classes="heading")
            with VerticalScroll(id="fields", classes="fields"):
                yield Static(self.lines(), id="rows")
            if outcome.notice:
                yield Static(Text(neutralise(outcome.notice)), id="notice", classes="dialog-error shown")
            if outcome.kept:
                yield Static(Text(self.kept or t("actions.result.kept", lang)), id="kept", classes="hint")
            if self.still_marked and outcome.refused:
                yield Static(Text(t("actions.result.still_marked", lang)), id="still-marked", classes="hint")
            with Horizontal(id="buttons", classes="buttons"):
                yield Button(t("actions.ok", lang), id="ok", variant="primary", compact=True)

    def lines(self) -> Text:
        lang = self.app.desk.lang
        out = Text()
        for index, row in enumerate(self.outcome.results):
            if index:
                out.append("\n")
            out.append(f"{self.mark}{row.id:<7}", style="bold")
            if row.ok:
                out.append(t("actions.result.done", lang), style="green")
            else:
                label = t("actions.result.stale" if row.stale else "actions.result.refused", lang)
                out.append(label + ": ", style="bold red" if not row.stale else "bold yellow")
                out.append(neutralise(row.error))  # messages may quote untrusted values: plain text, never markup
        return out

    def on_mount(self) -> None:
        self.query_one("#ok", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(None)

    def action_close(self) -> None:
        self.dismiss(None)
