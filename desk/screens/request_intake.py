"""The request intake checklist (seed 003 phase 1): pick the service from the published catalogue
(searched as you type), give the title and the requester, tick the checklist — requester identity
verified, details complete, type and priority set, within the service's scope, plus the service's
own items. The service says whether a leader's approval and the customer's cost confirmation are
needed: the agent may add either, never remove one. Submit (ctrl+s) stays disabled until every
required item is done, and the screen says which are missing. Reads and the write run in worker
threads; escape leaves without writing."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Checkbox, Input, OptionList, Static
from textual.widgets.option_list import Option

from desk.domain.errors import DeskError
from desk.domain.text import one_line
from desk.i18n import t
from desk.screens.actions import db_thread, explain
from desk.widgets.key_bar import KeyBar


class IntakeScreen(Screen):
    CSS = """
    #intake { padding: 0 1; }
    #intake .field-label { color: $text-muted; height: 1; }
    #intake #items { height: auto; }
    #intake #services { height: auto; max-height: 4; }
    #intake #missing { height: auto; text-style: bold; }
    """
    BINDINGS = [
        Binding("escape", "leave", "request.key.back", id="intake_leave"),
        Binding("ctrl+s", "submit", "request.key.submit", id="intake_submit", priority=True),
    ]

    class Services(Message):
        def __init__(self, found: list[tuple[str, str]]) -> None:
            super().__init__()
            self.found = found

    class Terms(Message):
        def __init__(self, code: str, items: list[tuple[str, str]], levels: int, cost: bool) -> None:
            super().__init__()
            self.code, self.items, self.levels, self.cost = code, items, levels, cost

    class Submitted(Message):
        def __init__(self, request_id: int | None, error: str | None) -> None:
            super().__init__()
            self.request_id, self.error = request_id, error

    def __init__(self) -> None:
        super().__init__(id="request-intake")
        self.service: str | None = None
        self.items: list[tuple[str, str]] = []
        self.levels, self.cost = 0, False
        self.busy = False
        self.created: int | None = None
        self.shown_missing: list[str] | None = None  # what the screen says is missing (None: not yet said)

    @property
    def lang(self) -> str:
        return self.app.desk.lang

    def tr(self, key: str, **params) -> str:
        return t(f"request.intake.{key}", self.lang, **params)

    def compose(self) -> ComposeResult:
        yield self.app.make_header("requests")
        with VerticalScroll(id="intake"):
            yield Static(self.tr("service"), classes="field-label")
            yield Input(id="service-search", placeholder=self.tr("search"), compact=True)
            yield OptionList(id="services", compact=True)
            yield Static("", id="chosen")
            yield Static(self.tr("title") + " *", classes="field-label")
            yield Input(id="title", compact=True)
            yield Static(self.tr("requester"), classes="field-label")
            yield Input(id="requester", compact=True)
            yield Static(self.tr("checklist"), classes="field-label")
            yield Vertical(id="items")
            yield Checkbox(self.tr("approval"), id="approval", compact=True)
            yield Checkbox(self.tr("cost"), id="cost", compact=True)
            yield Static("", id="missing")
        yield KeyBar(id="keys")

    def on_mount(self) -> None:
        self.app.localise_bindings(self)
        self._search("")
        self._terms(None)
        self.query_one("#service-search", Input).focus()

    # --- the service, searched as you type -------------------------------------------------------
    @on(Input.Changed, "#service-search")
    def _typed(self, event: Input.Changed) -> None:
        self._search(event.value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="intake-search")
    def _search(self, text: str) -> None:
        from desk.services import request_intake

        desk = self.app.desk
        with db_thread(desk):
            self.post_message(self.Services(request_intake.services(desk, text, limit=20)))

    @on(Services)
    def _found(self, message: Services) -> None:
        options = self.query_one("#services", OptionList)
        options.clear_options()
        options.add_options([Option(f"{one_line(name, 50)} ({code})", id=code) for code, name in message.found])

    @on(Input.Submitted, "#service-search")
    def _pick_first(self, event: Input.Submitted) -> None:
        options = self.query_one("#services", OptionList)
        if options.option_count:
            self._terms(options.get_option_at_index(options.highlighted or 0).id)
            self.query_one("#title", Input).focus()

    @on(OptionList.OptionSelected, "#services")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        self._terms(event.option.id)
        self.query_one("#title", Input).focus()

    @work(thread=True, exclusive=True, exit_on_error=False, group="intake-terms")
    def _terms(self, code: str | None) -> None:
        from desk.services import request_intake

        desk = self.app.desk
        with db_thread(desk):
            terms = request_intake.terms(desk, code)
            self.post_message(self.Terms(code, request_intake.items(desk, terms), terms.approval_levels,
                                         terms.needs_cost))

    @on(Terms)
    async def _got_terms(self, message: Terms) -> None:
        ticked = self.ticked()
        self.service, self.items, self.levels, self.cost = message.code, message.items, message.levels, message.cost
        box = self.query_one("#items", Vertical)
        await box.remove_children()
        await box.mount_all([Checkbox(one_line(label, 80), value=code in ticked, id=f"item-{code.replace('.', '-')}",
                                compact=True) for code, label in message.items])
        chosen = self.query_one("#chosen", Static)
        chosen.update(Text(self.tr("chosen", service=self.app.desk.config.label("service", message.code, self.lang))
                           if message.code else self.tr("no_service")))
        for name, required in (("approval", self.levels > 0), ("cost", self.cost)):
            check = self.query_one(f"#{name}", Checkbox)
            if required:
                check.value = True
            check.disabled = required  # the service requires it: the agent may not remove it
        self.call_after_refresh(self._show_missing)

    # --- what is still missing ---------------------------------------------------------------------
    def ticked(self) -> set[str]:
        return {code for code, _ in self.items
                if self.query(f"#item-{code.replace('.', '-')}") and
                self.query_one(f"#item-{code.replace('.', '-')}", Checkbox).value}

    def missing(self) -> list[str]:
        out = [] if self.query_one("#title", Input).value.strip() else [self.tr("title")]
        ticked = self.ticked()
        return out + [label for code, label in self.items if code not in ticked]

    @property
    def ready(self) -> bool:
        return bool(self.items) and not self.missing()

    @on(Checkbox.Changed)
    @on(Input.Changed, "#title")
    def _changed(self, event) -> None:
        self._show_missing()

    def _show_missing(self) -> None:
        missing = self.missing() if self.items else [self.tr("checklist")]
        self.shown_missing = missing
        text = Text(self.tr("ready") if not missing else self.tr("missing", items="; ".join(missing)),
                    style="bold" if not missing else "")
        self.query_one("#missing", Static).update(text)
        self.refresh_bindings()

    def check_action(self, action: str, parameters) -> bool | None:
        if action == "submit":
            return True if self.ready and not self.busy else None
        return True

    # --- submit -------------------------------------------------------------------------------------
    def action_submit(self) -> None:
        if not self.ready or self.busy:
            self._show_missing()
            return
        self.busy = True
        self._create(self.query_one("#title", Input).value, self.query_one("#requester", Input).value,
                     sorted(self.ticked()), self.query_one("#approval", Checkbox).value or None,
                     self.query_one("#cost", Checkbox).value or None)

    @work(thread=True, exclusive=True, exit_on_error=False, group="intake-create")
    def _create(self, title: str, requester: str, ticked: list[str], approval, cost) -> None:
        from desk.services import requests

        desk = self.app.desk
        try:
            with db_thread(desk):
                made = requests.create(desk, None, title=title, requester=requester, service=self.service,
                                       checked=ticked, add_approval=approval, add_cost=cost)
            self.post_message(self.Submitted(made.id, None))
        except DeskError as err:
            self.post_message(self.Submitted(None, explain(err, desk)))

    @on(Submitted)
    def _submitted(self, message: Submitted) -> None:
        self.busy = False
        if message.error:
            self.query_one("#missing", Static).update(Text(one_line(message.error, 300)))
            return
        self.created = message.request_id
        self.dismiss(message.request_id)

    def action_leave(self) -> None:
        if not self.busy:
            self.dismiss(None)
