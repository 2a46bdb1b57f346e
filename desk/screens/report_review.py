"""The report review screen (seed 000 steps 4–6; the TUI's F5, and `desk report review` on its own):
the reports in progress, those waiting for me
first (▶), beside the selected report rendered (figures, commentary, definitions); `g` generate a
draft, `G` compute the selected draft's figures again (the writer revises after a return), `u` submit
it for review, `c`
confirm the content, `p` approve, `x` return to the writer with comments, `s` submit, `r` read again. Late
reports are counted in the status line.

Reports are few (a handful a period), so the list is read whole, not paged: the list machinery
(docs/lists.md) is for the queues of thousands. Every read and every step runs in the screen's
reading thread (desk.widgets.reader), which posts messages; the screen never touches the
database. The services refuse what the person may not do; the keys are greyed out by the
permission table.
"""

from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

from rich.text import Text
from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen, Screen
from textual.widgets import Input, Markdown, OptionList, Static
from textual.widgets.option_list import Option

from desk.domain.permissions import can
from desk.domain.text import one_line
from desk.i18n import t
from desk.widgets.header import shell_header
from desk.widgets.key_line import SEPARATOR, KeyLine
from desk.widgets.reader import Reader

HERE = Path(__file__).resolve().parent.parent
SHOWN = ("draft", "returned", "confirming", "reviewing", "approved", "submitted")
KEY_PERMISSIONS = {"generate": "report.write", "regenerate": "report.write", "submit_for_review": "report.write",
                   "confirm": "report.review", "approve": "report.review", "return_report": "report.review",
                   "submit": "report.submit"}


class Item(NamedTuple):
    id: int
    code: str
    name: str
    period: str
    status: str
    late: bool
    mine: bool  # waiting for me


def waiting_for(view, login: str, roles) -> bool:
    """Is the next step of this report mine?"""
    spec = view.spec
    if view.status in ("draft", "returned"):
        named = spec.get("writer") or ""
        return (login == named) if named else (view.writer == login)
    if view.writer == login:
        return False
    named = {"confirming": spec.get("confirmer"), "reviewing": spec.get("reviewer"),
             "approved": spec.get("reviewer")}.get(view.status)
    if named is None:
        return False
    permission = "report.submit" if view.status == "approved" else "report.review"
    return login == named if named else can(roles, permission)


def read_list(desk, login: str, roles, lang: str) -> tuple[list[Item], int]:
    """(the reports in progress, waiting-for-me first; how many reports are late)."""
    from desk.services import report_review, reports

    now = desk.now()
    items = [Item(v.id, v.code, v.name(lang), v.period, v.status, v.late(now), waiting_for(v, login, roles))
             for v in reports.list_(desk, statuses=SHOWN)]
    items.sort(key=lambda i: (not i.mine, i.status == "submitted", -i.id))
    return items, len(report_review.late(desk, include_submitted=False))


def read_report(desk, report_id: int, lang: str) -> str:
    from desk.report_render import markdown
    from desk.services import reports

    return markdown(reports.get(desk, report_id), lang, desk.config)


class CommentsDialog(ModalScreen[str | None]):
    """The comments a report is returned with: enter returns them, escape cancels."""

    BINDINGS = [Binding("escape", "cancel", "report.tui.key_cancel", id="reports.comments.cancel")]

    def __init__(self, lang: str, title: str) -> None:
        super().__init__()
        self.lang, self.title_text = lang, title

    def compose(self) -> ComposeResult:
        with Vertical(id="rp-dialog"):
            yield Static(Text(self.title_text, style="bold"))
            yield Static(t("report.tui.comments", self.lang))
            yield Input(id="rp-comments")
            yield Static("", id="rp-dialog-error")

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if not event.value.strip():
            self.query_one("#rp-dialog-error", Static).update(t("report.tui.comments_required", self.lang))
            return
        self.dismiss(event.value)

    def action_cancel(self) -> None:
        self.dismiss(None)


class ReportsScreen(Screen):
    TITLE_KEY = "tui.screen.reports"
    CSS_PATH = [str(HERE / "reports.tcss")]
    BINDINGS = [
        Binding("g", "generate", "report.tui.key_generate", id="reports.generate"),
        Binding("G", "regenerate", "report.tui.key_regenerate", id="reports.regenerate"),
        Binding("u", "submit_for_review", "report.tui.key_submit_for_review", id="reports.submit_for_review"),
        Binding("c", "confirm", "report.tui.key_confirm", id="reports.confirm"),
        Binding("p", "approve", "report.tui.key_approve", id="reports.approve"),
        Binding("x", "return_report", "report.tui.key_return", id="reports.return"),
        Binding("s", "submit", "report.tui.key_submit", id="reports.submit"),
        Binding("r", "reload", "report.tui.key_reload", id="reports.reload"),
    ]

    class Listed(Message):
        def __init__(self, result, error) -> None:
            super().__init__()
            self.result, self.error = result, error

    class Shown(Message):
        def __init__(self, report_id: int, result, error) -> None:
            super().__init__()
            self.report_id, self.result, self.error = report_id, result, error

    class Choices(Message):
        def __init__(self, result, error) -> None:
            super().__init__()
            self.result, self.error = result, error

    class Done(Message):
        def __init__(self, result, error) -> None:
            super().__init__()
            self.result, self.error = result, error

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.reader: Reader | None = None
        self.items: list[Item] = []
        self.late = 0
        self.current: int | None = None
        self.loads = 0  # lists drawn (tests wait for them)
        self.shows = 0  # reports drawn
        self.message = ""

    @property
    def lang(self) -> str:
        return self.app.desk.lang

    @property
    def operator(self):
        return self.app.operator

    def compose(self) -> ComposeResult:
        yield from shell_header(self.app, "reports")
        with Horizontal(id="rp-body"):
            yield OptionList(id="rp-list")
            with VerticalScroll(id="rp-doc-scroll"):
                yield Markdown("", id="rp-doc")
        yield Static("", id="rp-status")
        yield KeyLine(self.keys_text(), id="rp-keys")  # wraps between keys (80 columns, Chinese)

    def keys_text(self) -> str:
        """The key line with only the keys this user may press: a writer shown `p approve` pressed it
        and nothing happened (the line is one message, not the bindings, so it is not greyed)."""
        actions = {binding.key: binding.action for binding in self.BINDINGS}
        groups = t("report.tui.keys", self.lang).split(SEPARATOR)
        return SEPARATOR.join(group for group in groups
                              if self.check_action(actions.get(group.strip().split(" ")[0], ""), ()))

    def on_mount(self) -> None:
        localise = getattr(self.app, "localise_bindings", None)  # the app shell's: key names in the user's words
        if localise is not None:
            localise(self)
        self.reader = Reader(self.app.desk, "desk-reports")
        self.load()

    def on_unmount(self) -> None:
        if self.reader is not None:
            self.reader.close()

    def check_action(self, action: str, parameters) -> bool | None:
        permission = KEY_PERMISSIONS.get(action)
        if permission is None:
            return True
        return True if can(self.operator.roles, permission) else None

    # --- reading -------------------------------------------------------------------------------------------
    def load(self) -> None:
        desk, login, roles, lang = self.app.desk, self.operator.login, self.operator.roles, self.lang
        self.reader.read(lambda: read_list(desk, login, roles, lang),
                         lambda result, error: self.post_message(self.Listed(result, error)))

    def show(self, report_id: int) -> None:
        desk, lang = self.app.desk, self.lang
        self.reader.read(lambda: read_report(desk, report_id, lang),
                         lambda result, error: self.post_message(self.Shown(report_id, result, error)))

    def on_reports_screen_listed(self, message: Listed) -> None:
        if message.error is not None:
            self._status(one_line(str(message.error), 200), error=True)
            return
        self.items, self.late = message.result
        options = self.query_one("#rp-list", OptionList)
        options.clear_options()
        for item in self.items:
            line = Text("▶ " if item.mine else "  ", style="bold")
            line.append(f"{item.period} ", style="bold")
            line.append(one_line(item.name, 40))
            line.append(f"\n  #{item.id} {t(f'report.status.{item.status}', self.lang)}",
                        style="red" if item.late else "dim")
            options.add_option(Option(line, id=str(item.id)))
        if not self.items:
            self.current = None
            self.query_one("#rp-doc", Markdown).update(t("report.tui.empty", self.lang))
        else:
            index = next((i for i, item in enumerate(self.items) if item.id == self.current), 0)
            options.highlighted = index
            self.current = self.items[index].id
            self.show(self.current)
        self._status(self.message)
        self.loads += 1

    def on_option_list_option_highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id is None:
            return
        report_id = int(event.option.id)
        if report_id != self.current or not self.shows:
            self.current = report_id
            self.show(report_id)

    async def on_reports_screen_shown(self, message: Shown) -> None:
        if message.report_id != self.current:
            return
        text = message.result if message.error is None else one_line(str(message.error), 200)
        await self.query_one("#rp-doc", Markdown).update(text)
        self.shows += 1

    def _status(self, text: str, error: bool = False) -> None:
        mine = sum(1 for i in self.items if i.mine)
        line = Text(t("report.tui.status", self.lang, mine=mine, total=len(self.items), late=self.late))
        if text:  # on a line of its own: after the counts it was cut at 80 columns
            line.append("\n" + text, style="bold red" if error else "bold")
        self.query_one("#rp-status", Static).update(line)

    # --- steps ---------------------------------------------------------------------------------------------
    def _step(self, name: str, **params) -> None:
        if self.current is None:
            return
        from desk.services import report_review, reports

        desk, login, report_id, lang = self.app.desk, self.operator.login, self.current, self.lang
        call = {"submit_for_review": report_review.submit_for_review, "confirm": report_review.confirm, "approve": report_review.approve,
                "return": report_review.return_, "submit": report_review.submit,
                "regenerate": reports.regenerate}[name]

        def work():
            view = call(desk, login, report_id, **params)
            status = t(f"report.status.{view.status}", lang)
            if name == "regenerate":
                return t("report.tui.regenerated", lang, id=view.id, name=view.name(lang), period=view.period,
                         status=status)
            # by the report's title, as the list shows it (the CLI's line names the code a person types)
            return t("report.tui.changed", lang, id=view.id, name=view.name(lang), period=view.period, status=status)

        self.reader.read(work, lambda result, error: self.post_message(self.Done(result, error)))

    def on_reports_screen_done(self, message: Done) -> None:
        if message.error is not None:
            explain = getattr(message.error, "message", None)
            self.message = one_line(explain(self.lang) if explain else str(message.error), 200)
            self._status(self.message, error=True)
            return
        self.message = message.result
        self.load()

    def action_submit_for_review(self) -> None:
        """The writer hands the selected draft (or revised returned report) to its sign-off steps."""
        self._step("submit_for_review")

    def action_confirm(self) -> None:
        self._step("confirm")

    def action_approve(self) -> None:
        self._step("approve")

    def action_submit(self) -> None:
        self._step("submit")

    def action_regenerate(self) -> None:
        """The selected draft's (or returned report's) figures computed again; its commentary stays."""
        if self.current is not None:
            self._status(t("report.tui.regenerating", self.lang, id=self.current))
        self._step("regenerate")

    def action_reload(self) -> None:
        self.message = ""
        self.load()

    def action_generate(self) -> None:
        from desk.screens.report_generate import read_choices

        desk, lang = self.app.desk, self.lang
        self.reader.read(lambda: read_choices(desk, lang),
                         lambda result, error: self.post_message(self.Choices(result, error)))

    def on_reports_screen_choices(self, message: Choices) -> None:
        from desk.screens.report_generate import GenerateDialog, generate_new

        if message.error is not None:
            self._status(one_line(str(message.error), 200), error=True)
            return
        desk, login, lang = self.app.desk, self.operator.login, self.lang

        def run(choice, period, done) -> None:
            self.reader.read(lambda: generate_new(desk, login, choice, period, lang), done)

        def generated(made) -> None:
            if made is not None:
                self.current = made.id
                status = t(f"report.status.{made.status}", lang)
                self.message = (t("report.tui.regenerated", lang, id=made.id, name=made.name, period=made.period,
                                  status=status) if made.again
                                else t("report.tui.generated", lang, id=made.id, name=made.name, period=made.period))
                self.load()

        self.app.push_screen(GenerateDialog(lang, message.result, run), generated)

    def action_return_report(self) -> None:
        if self.current is None:
            return
        title = t("report.tui.return_title", self.lang, id=self.current)

        def returned(comments: str | None) -> None:
            if comments:
                self._step("return", comments=comments)

        self.app.push_screen(CommentsDialog(self.lang, title), returned)


class _Operator(NamedTuple):
    login: str
    roles: frozenset


class ReportsApp(App):
    """The report review screen alone (tests, and a look at it without the rest of the app)."""

    TITLE = "desk"
    CSS_PATH = [str(HERE / "desk.tcss")]
    BINDINGS = [Binding("q", "quit", "tui.key.quit", id="quit")]

    def __init__(self, desk, login: str, roles) -> None:
        super().__init__()
        self.desk = desk
        self.lang = desk.lang
        self.operator = _Operator(login, frozenset(roles))

    def on_mount(self) -> None:
        self.push_screen(ReportsScreen())
