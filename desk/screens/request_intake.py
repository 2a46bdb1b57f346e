"""The request intake checklist (seed 003 phase 1): pick the service from the published catalogue
(searched as you type), give the title, the description and the requester (known callers offered as
you type) with how to reach them and where the work is done,
the class, channel and priority (code tables in config) and the handler group (searched as you
type), tick the checklist — requester identity verified, details complete, type and priority set, within the service's scope, plus the service's
own items. The service says whether a leader's approval and the customer's cost confirmation are
needed: the agent may add either, never remove one. Submit (ctrl+s) stays disabled until every
required item is done, and the screen says which are missing. Reads and the write run in worker
threads; escape leaves without writing."""

from __future__ import annotations

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Checkbox, Input, OptionList, Select, Static, TextArea
from textual.widgets.option_list import Option

from desk.domain.errors import DeskError
from desk.domain.text import one_line
from desk.i18n import t
from desk.screens.actions import db_thread, explain
from desk.widgets.key_bar import KeyBar
from desk.widgets.picker import Picker, PickerItem, group_items


class IntakeScreen(Screen):
    TITLE_KEY = "tui.screen.intake"  # (what the help calls it)
    CSS = """
    #intake { padding: 0 1; }
    #intake .field-label { color: $text-muted; height: 1; }
    #intake #items { height: auto; }
    #intake #services { height: auto; max-height: 4; }
    /* under the form, not in it: at 80×24 the form scrolls and what is missing must stay in view */
    #missing { height: auto; max-height: 3; padding: 0 1; text-style: bold; }
    #intake #requesters { height: auto; max-height: 3; }
    #intake #codes, #intake #reach { height: auto; }
    #intake #codes > Vertical, #intake #reach > Vertical { width: 1fr; height: auto; }
    #intake #reach > Vertical { padding-right: 1; }
    #intake #description { height: 3; }
    #intake Picker > OptionList { max-height: 4; }
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

    class Requesters(Message):
        def __init__(self, text: str, found: list[tuple[str, str]]) -> None:
            super().__init__()
            self.text, self.found = text, found

    class Groups(Message):
        def __init__(self, groups) -> None:
            super().__init__()
            self.groups = groups

    class Submitted(Message):
        def __init__(self, request_id: int | None, error: str | None) -> None:
            super().__init__()
            self.request_id, self.error = request_id, error

    def __init__(self, service: str | None = None) -> None:
        """`service`: a catalogue service's code, chosen already (`n` on the catalogue screen)."""
        super().__init__(id="request-intake")
        self.service: str | None = None
        self.preset = service
        self.items: list[tuple[str, str]] = []
        self.levels, self.cost = 0, False
        self.busy = False
        self.created: int | None = None
        self.shown_missing: list[str] | None = None  # what the screen says is missing (None: not yet said)
        self.picked_requester: str | None = None  # a known caller taken from the search
        self.found_requesters: list[str] = []  # the names the requester list offers, in its order

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
            # seed 003's form: what is asked in detail, how to reach the requester, where it is done
            yield Static(self.tr("description"), classes="field-label")
            yield TextArea(id="description", soft_wrap=True, show_line_numbers=False, compact=True)
            yield Static(self.tr("requester"), classes="field-label")
            yield Input(id="requester", placeholder=self.tr("requester_hint"), compact=True)
            yield OptionList(id="requesters", compact=True)
            with Horizontal(id="reach"):
                for name in ("contact", "location"):
                    with Vertical():
                        yield Static(self.tr(name), classes="field-label")
                        yield Input(id=name, placeholder=self.tr(f"{name}_hint"), compact=True)
            with Horizontal(id="codes"):
                for name, table, value in self._code_fields():
                    with Vertical():
                        yield Static(self.tr(name), classes="field-label")
                        yield Select([(self.app.desk.config.label(table, code, self.lang), code)
                                      for code in self.app.desk.config.codes(table)],
                                     value=value, allow_blank=False, compact=True, id=name)
            yield Static(self.tr("group"), classes="field-label")
            yield Picker(placeholder=self.tr("group_search"), empty=self.tr("no_match"), id="group")
            yield Static(self.tr("checklist"), classes="field-label")
            yield Vertical(id="items")
            yield Checkbox(self.tr("approval"), id="approval", compact=True)
            yield Checkbox(self.tr("cost"), id="cost", compact=True)
        yield Static("", id="missing")
        yield KeyBar(id="keys")

    def _code_fields(self) -> list[tuple[str, str, str]]:
        """(field id, code table, default) of the request's class, channel and priority."""
        config = self.app.desk.config
        priorities = config.codes("priority")
        return [("request_class", "request_class", config.request_setting("default_class", "technical")),
                ("channel", "request_channel", config.request_setting("default_channel", "hotline")),
                ("priority", "priority", "3" if "3" in priorities else priorities[-1])]

    def on_mount(self) -> None:
        self.app.localise_bindings(self)
        self.query_one("#requesters", OptionList).can_focus = False
        self.query_one("#requesters", OptionList).display = False
        self._search("")
        self._terms(self.preset)
        self._groups()
        # Not scrolled to: the form opens at its top, the service label above the search in view
        self.query_one("#title" if self.preset else "#service-search", Input).focus(scroll_visible=False)

    # --- the requester among known callers, and the handler group -------------------------------------
    @on(Input.Changed, "#requester")
    def _requester_typed(self, event: Input.Changed) -> None:
        if event.value != self.picked_requester:
            self._requesters(event.value)

    @work(thread=True, exclusive=True, exit_on_error=False, group="intake-requesters")
    def _requesters(self, text: str) -> None:
        from desk.services import request_intake

        desk = self.app.desk
        with db_thread(desk):
            self.post_message(self.Requesters(text, request_intake.requesters(desk, text)))

    @on(Requesters)
    def _requesters_found(self, message: Requesters) -> None:
        options = self.query_one("#requesters", OptionList)
        options.clear_options()
        if message.text != self.query_one("#requester", Input).value:
            return  # (typed on meanwhile: a newer search follows)
        # No option ids: two callers may share a name (in two organisations), and ids must be unique
        self.found_requesters = [name for name, _ in message.found]
        options.add_options([Option(Text(one_line(name, 40) + (f"  {one_line(org, 30)}" if org else "")))
                             for name, org in message.found])
        options.display = bool(message.found)
        if message.found:
            options.highlighted = 0

    @on(Input.Submitted, "#requester")
    def _pick_requester(self, event: Input.Submitted) -> None:
        """Enter takes the highlighted caller (tab keeps what was typed)."""
        options = self.query_one("#requesters", OptionList)
        if options.display and options.option_count and options.highlighted is not None:
            self._set_requester(self.found_requesters[options.highlighted])
        self.query_one("#request_class", Select).focus()

    @on(OptionList.OptionSelected, "#requesters")
    def _clicked_requester(self, event: OptionList.OptionSelected) -> None:
        self._set_requester(self.found_requesters[event.option_index])

    def _set_requester(self, name: str) -> None:
        self.picked_requester = name
        self.query_one("#requester", Input).value = name
        options = self.query_one("#requesters", OptionList)
        options.clear_options()
        options.display = False

    @work(thread=True, exclusive=True, exit_on_error=False, group="intake-groups")
    def _groups(self) -> None:
        from desk.services import lookup

        desk = self.app.desk
        with db_thread(desk):
            self.post_message(self.Groups(lookup.groups(desk)))

    @on(Groups)
    def _got_groups(self, message: Groups) -> None:
        none = PickerItem("", Text(self.tr("no_group"), style="italic"), self.tr("no_group"))
        self.query_one("#group", Picker).set_items([none, *group_items(message.groups)])

    # --- the service, searched as you type -------------------------------------------------------
    @on(Input.Changed, "#service-search")
    def _typed(self, event: Input.Changed) -> None:
        self.query_one("#services", OptionList).display = True  # searching again: the list back
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
        # A service chosen (picked, or given by the catalogue's `n`): its list of 4 rows stood there
        # for nothing; the line under the search names it, and typing in the search shows the list again.
        self.query_one("#services", OptionList).display = not message.code
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
        text = Text(self.tr("ready") if not missing else self.tr("missing", items=self.tr("sep").join(missing)),
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
        fields = {"title": self.query_one("#title", Input).value,
                  "requester": self.query_one("#requester", Input).value,
                  "description": self.query_one("#description", TextArea).text,
                  "contact": self.query_one("#contact", Input).value,
                  "location": self.query_one("#location", Input).value,
                  "request_class": self.query_one("#request_class", Select).value,
                  "channel": self.query_one("#channel", Select).value,
                  "priority": int(self.query_one("#priority", Select).value),
                  "group": self.query_one("#group", Picker).value or None}
        self._create(fields, sorted(self.ticked()), self.query_one("#approval", Checkbox).value or None,
                     self.query_one("#cost", Checkbox).value or None)

    @work(thread=True, exclusive=True, exit_on_error=False, group="intake-create")
    def _create(self, fields: dict, ticked: list[str], approval, cost) -> None:
        from desk.services import requests

        desk = self.app.desk
        try:
            with db_thread(desk):
                made = requests.create(desk, None, **fields, service=self.service, checked=ticked,
                                       add_approval=approval, add_cost=cost)
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
