"""A resolved problem's open incidents: offered for resolution when the problem is resolved
(and on its own key later). Each incident is resolved in its own transaction with its own
history row and the version the user was shown (desk.services.problems.resolve_incidents): a
stale or refused one is named with its reason, the others proceed."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.widgets import Button, Input, Select, Static

from desk.domain.errors import DeskError
from desk.domain.text import one_line
from desk.i18n import t
from desk.system_words import failure_text
from desk.screens.actions import Outcome, RowResult, db_thread, explain
from desk.screens.dialogs.form import FormDialog

DEFAULT_CODE = "fixed"


def _problems():
    from desk.services import problems

    return problems


class ResolveIncidentsDialog(FormDialog):
    """Dismissed with the Outcome (per incident), or None when the user chose not now."""

    BINDINGS = [
        Binding("escape", "cancel", "cancel", show=False, id="problem_incidents.cancel"),
        Binding("ctrl+s", "submit", "save", show=False, id="problem_incidents.submit", priority=True),
    ]

    class Finished(Message):
        def __init__(self, outcome: Outcome | None, error: str = "") -> None:
            super().__init__()
            self.outcome, self.error = outcome, error

    def __init__(self, problem) -> None:
        """`problem`: the ProblemDetail as read after its resolution."""
        super().__init__(classes="action-dialog")
        self.problem = problem
        self.offered = list(problem.open_incidents)
        self.busy = False

    @property
    def lang(self) -> str:
        return self.app.desk.lang

    def compose(self) -> ComposeResult:
        lang, problem = self.lang, self.problem
        config = self.app.desk.config
        codes = [(Text(config.label("closure_code", c, lang)), c) for c in config.codes("closure_code")]
        with Vertical(id="dialog", classes="dialog dialog-problem-incidents") as box:
            box.border_title = t("problem.offer.title", lang, id=problem.id)
            yield Static(Text(t("problem.offer.heading", lang, id=problem.id, count=len(self.offered)),
                              style="bold"), id="heading", classes="heading")
            with VerticalScroll(id="fields", classes="fields"):
                lines = Text()
                for index, inc in enumerate(self.offered):
                    if index:
                        lines.append("\n")
                    lines.append(f"#{inc.id} ", style="bold")
                    lines.append(one_line(inc.title, 60))
                    lines.append(f"  {config.label('status', inc.status, lang)}", style="dim")
                yield Static(lines, id="incidents")
                yield Static(t("problem.offer.code", lang), classes="field-label")
                yield Select(codes, prompt=t("problem.offer.code", lang), id="code", compact=True,
                             value=DEFAULT_CODE if DEFAULT_CODE in config.codes("closure_code") else Select.NULL)
                yield Static(t("problem.offer.note", lang), classes="field-label")
                note = t("problem.incident_note", lang, id=problem.id,
                         fix=one_line(problem.fix, 300) or f"#{problem.fix_change}")
                yield Input(value=note, id="note", compact=True, max_length=4000)
            yield Static(id="dialog-error", classes="dialog-error")
            with Horizontal(id="buttons", classes="buttons"):
                yield Button(t("problem.offer.ok", lang), id="ok", variant="primary", compact=True)
                yield Button(t("problem.offer.later", lang), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.query_one("#ok", Button).focus()

    def action_submit(self) -> None:
        if self.busy:
            return
        code = self.query_one("#code", Select).value
        if code is Select.NULL or not code:
            self.show_error(t("actions.required", self.lang, field=t("problem.offer.code", self.lang)))
            return
        self.busy = True
        self.query_one("#ok", Button).disabled = True
        self.show_error(t("actions.working", self.lang))
        self._run(str(code), self.query_one("#note", Input).value.strip())

    @work(thread=True, exit_on_error=False, group="problem-incidents")
    def _run(self, code: str, note: str) -> None:
        desk = self.app.desk
        versions = {i.id: i.version for i in self.offered}  # what the user was shown
        try:
            with db_thread(desk):
                done = _problems().resolve_incidents(desk, None, self.problem.id, code=code, note=note,
                                                     versions=versions)
        except DeskError as err:
            self.post_message(self.Finished(None, explain(err, desk)))
            return
        except Exception as err:  # the database went away: say so
            self.post_message(self.Finished(None, t("tui.work_failed", desk.lang, error=failure_text(err, desk.lang))))
            return
        outcome = Outcome("resolve", [RowResult(r.id, r.ok, explain(r.error, desk) if r.error else "", r.stale)
                                      for r in done.results])
        self.post_message(self.Finished(outcome))

    @on(Finished)
    def _finished(self, message: Finished) -> None:
        self.busy = False
        if message.outcome is None:
            self.query_one("#ok", Button).disabled = False
            self.show_error(message.error)
            return
        self.dismiss(message.outcome)


def offer(screen, problem, quiet: bool = True) -> None:
    """Push the dialog for `problem` (a ProblemDetail) if it has open incidents; afterwards say
    what was done (a refusal per incident in the result dialog). `quiet=False`: say so when it
    has none."""
    app = screen.app
    lang = app.desk.lang
    if not problem.open_incidents:
        if not quiet:
            app.notify(t("problem.offer.none", lang, id=problem.id), markup=False)
        return

    def done(outcome: Outcome | None) -> None:
        if outcome is None:
            return
        if outcome.refused:
            from desk.screens.dialogs.result import ResultDialog

            app.push_screen(ResultDialog(outcome))
        else:
            app.notify(t("problem.offer.done", lang, id=problem.id, count=len(outcome.results)), markup=False)
        if screen.is_attached:
            screen.incidents_changed([problem.id])

    app.push_screen(ResolveIncidentsDialog(problem), done)
