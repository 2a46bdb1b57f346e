"""Search the knowledge base (200.4: the first-line attempt) and link an article to the incident."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from desk.domain.errors import DeskError
from desk.domain.permissions import can
from desk.domain.text import neutralise, one_line
from desk.i18n import t
from desk.screens.actions import Outcome, RowResult, db_thread, explain, localise_bindings
from desk.services import incidents, knowledge, lookup
from desk.services.knowledge import ArticleView


class KnowledgeDialog(ModalScreen[Outcome | None]):
    BINDINGS = [
        Binding("escape", "cancel", "cancel", id="dialog_cancel"),
        Binding("ctrl+l", "link", "link", id="link", priority=True),
        Binding("down", "results(1)", show=False),
        Binding("up", "results(-1)", show=False),
    ]

    class Found(Message):
        def __init__(self, articles: list[ArticleView], text: str) -> None:
            super().__init__()
            self.articles = articles
            self.text = text

    class Ready(Message):
        def __init__(self, roles: frozenset[str], linked: set[int]) -> None:
            super().__init__()
            self.roles = roles
            self.linked = linked

    class Linked(Message):
        def __init__(self, article_id: int, error: str = "") -> None:
            super().__init__()
            self.article_id = article_id
            self.error = error

    def __init__(self, incidents: list[tuple[int, int]] | None = None) -> None:
        super().__init__(classes="action-dialog")
        self.incident_id = incidents[0][0] if incidents else None
        self.articles: list[ArticleView] = []
        self.linked: set[int] = set()  # articles already linked to the incident
        self.roles: frozenset[str] = frozenset()
        self.busy = False
        localise_bindings(self, self.lang)

    @property
    def lang(self) -> str:
        return self.app.desk.lang

    def tr(self, key: str, **params) -> str:
        return t(f"actions.knowledge.{key}", self.lang, **params)

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog", classes="dialog dialog-knowledge") as box:
            box.border_title = (self.tr("title_for", id=self.incident_id) if self.incident_id
                                else self.tr("title"))
            yield Input(id="search", compact=True, placeholder=self.tr("search"))
            yield OptionList(id="results")
            with VerticalScroll(id="preview-box"):
                yield Static(id="preview")
            yield Static(id="dialog-error", classes="dialog-error")
            with Horizontal(id="buttons", classes="buttons"):
                if self.incident_id:
                    yield Button(self.tr("link", id=self.incident_id), id="link", variant="primary",
                                 compact=True, disabled=True)
                yield Button(t("actions.cancel", self.lang), id="cancel", compact=True)
                yield Static(self.tr("keys_hint") if self.incident_id else t("actions.esc_hint", self.lang),
                             classes="hint")

    def on_mount(self) -> None:
        self.query_one("#search", Input).focus()
        self._prepare()
        self._search("")

    @work(thread=True, exit_on_error=False, group="knowledge-ready")
    def _prepare(self) -> None:
        desk = self.app.desk
        roles: frozenset[str] = frozenset()
        linked: set[int] = set()
        try:
            with db_thread(desk):
                roles = frozenset(lookup.me(desk).roles)
                if self.incident_id:
                    linked = {a.id for a in knowledge.for_incident(desk, self.incident_id)}
        except DeskError:
            pass
        self.post_message(self.Ready(roles, linked))

    @on(Ready)
    def _ready(self, message: Ready) -> None:
        self.roles = message.roles
        self.linked = message.linked
        if self.linked:
            self._fill()
        self._update_link()

    @on(Input.Changed, "#search")
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        self._search(event.value)

    @on(Input.Submitted, "#search")
    def _enter(self, event: Input.Submitted) -> None:
        event.stop()
        if self.articles:
            self.query_one("#results", OptionList).focus()

    @work(thread=True, exclusive=True, exit_on_error=False, group="knowledge-search")
    def _search(self, text: str) -> None:
        desk = self.app.desk
        try:
            with db_thread(desk):
                found = knowledge.search(desk, text)
        except DeskError:
            found = []
        if not get_current_worker().is_cancelled:
            self.post_message(self.Found(found, text))

    @on(Found)
    def _found(self, message: Found) -> None:
        self.articles = message.articles
        self._fill()

    def _fill(self) -> None:
        results = self.query_one("#results", OptionList)
        keep = results.highlighted
        results.clear_options()
        if not self.articles:
            results.add_option(Option(Text(self.tr("no_match"), style="italic"), disabled=True))
        for article in self.articles:
            prompt = Text(no_wrap=True, overflow="ellipsis")
            prompt.append(f"#{article.id:<6}", style="bold")
            prompt.append(one_line(article.title, 60))
            prompt.append(f"  {self.desk_label('faq_category', article.faq_category)}", style="dim")
            if article.status != "published":
                prompt.append(f"  {self.tr('status_' + article.status)}", style="italic yellow")
            if article.id in self.linked:
                prompt.append(f"  ✔ {self.tr('already_linked')}", style="green")
            results.add_option(Option(prompt))
        index = keep if keep is not None and keep < len(self.articles) else 0
        if self.articles:
            results.highlighted = index
        self._show(index if self.articles else None)

    def desk_label(self, table: str, code: str) -> str:
        return self.app.desk.config.label(table, code, self.lang)

    @on(OptionList.OptionHighlighted, "#results")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self._show(event.option_index)

    @on(OptionList.OptionSelected, "#results")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self._show(event.option_index)

    def action_results(self, step: int) -> None:
        results = self.query_one("#results", OptionList)
        if self.articles:
            current = results.highlighted if results.highlighted is not None else -1
            results.highlighted = max(0, min(len(self.articles) - 1, current + step))

    @property
    def current(self) -> ArticleView | None:
        index = self.query_one("#results", OptionList).highlighted
        if index is None or not (0 <= index < len(self.articles)):
            return None
        return self.articles[index]

    def _show(self, index: int | None) -> None:
        preview = self.query_one("#preview", Static)
        if index is None or not (0 <= index < len(self.articles)):
            preview.update("")
        else:
            article = self.articles[index]
            text = Text()
            text.append(neutralise(article.title) + "\n", style="bold")
            text.append(neutralise(article.body))
            preview.update(text)
        self._update_link()

    def _update_link(self) -> None:
        if self.incident_id:
            current = self.current
            self.query_one("#link", Button).disabled = (
                self.busy or current is None or current.id in self.linked or not can(self.roles, "incident.note"))

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "link":
            return bool(self.incident_id) and not self.query_one("#link", Button).disabled
        return True

    @on(Button.Pressed, "#link")
    def _link_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_link()

    @on(Button.Pressed, "#cancel")
    def _cancel_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_cancel()

    def action_cancel(self) -> None:
        if not self.busy:
            self.dismiss(None)

    def action_link(self) -> None:
        article = self.current
        if self.busy or not self.incident_id or article is None:
            return
        self.busy = True
        self._update_link()
        self._link(article.id)

    @work(thread=True, exit_on_error=False, group="knowledge-link")
    def _link(self, article_id: int) -> None:
        desk = self.app.desk
        error = ""
        try:
            with db_thread(desk):
                incidents.link_article(desk, None, self.incident_id, article_id)
        except DeskError as err:
            error = explain(err, desk)
        except Exception as exc:  # never a traceback on screen
            error = t("actions.unexpected", desk.lang, what=type(exc).__name__)
        self.post_message(self.Linked(article_id, error))

    @on(Linked)
    def _linked(self, message: Linked) -> None:
        self.busy = False
        if message.error:
            error = self.query_one("#dialog-error", Static)
            error.update(Text(neutralise(message.error)))
            error.add_class("shown")
            self._update_link()
            return
        outcome = Outcome("knowledge", [RowResult(self.incident_id, True)],
                          notice=self.tr("linked", article=message.article_id, id=self.incident_id))
        self.dismiss(outcome)
