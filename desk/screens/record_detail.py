"""One record of any kind, read in a thread worker: its fields and its history, shown literally.
The list's action keys work here too (on this record); escape goes back to the list.

A kind gives `read(desk, id)` (a thread: returns its detail value) and `lines(detail, lang)`
([(label, value)]: plain strings, never markup). A detail with `incidents` (a problem's linked
incidents, the incidents a change caused) lists them under the list screen's INCIDENTS_LABEL,
one line each: Enter opens the incident under the cursor."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from desk.domain.text import neutralise, one_line
from desk.i18n import t
from desk.system_words import failure_text
from desk.screens.actions import db_thread
from desk.widgets.key_bar import KeyBar


_CLASSES: dict[str, type] = {}


def detail_screen_class(list_screen) -> type:
    """The detail screen of this list's kind: its BINDINGS add the kind's action keys."""
    spec = list_screen.SPEC
    cls = _CLASSES.get(spec.kind)
    if cls is None:
        keys = [Binding(key, f"act('{action}')", f"{spec.key_label}{action}", id=f"{spec.kind}_detail.{action}")
                for action, key in spec.actions.items() if action != "detail"]
        cls = _CLASSES[spec.kind] = type(f"{spec.kind.title()}DetailScreen", (RecordDetailScreen,),
                                         {"BINDINGS": keys})
    return cls


HERE = Path(__file__).resolve().parent.parent


class RecordDetailScreen(Screen):
    CSS_PATH = [str(HERE / "changes.tcss")]
    BINDINGS = [Binding("escape", "back", "lists.detail.back", id="record_detail.back")]

    class Read(Message):
        def __init__(self, detail, error: str | None) -> None:
            super().__init__()
            self.detail, self.error = detail, error

    def __init__(self, list_screen, record_id: int, read: Callable, lines: Callable, title: str) -> None:
        super().__init__(id=f"{list_screen.SCREEN_ID}-detail")
        self.list_screen, self.record_id = list_screen, record_id
        self._read_detail, self._lines, self.title_text = read, lines, title
        self.detail = None

    @property
    def lang(self) -> str:
        return self.app.desk.lang

    def help_name(self) -> str:
        """What the help calls it: the record, as its title line does ("Problem 3")."""
        return one_line(self.title_text, 80)

    def compose(self) -> ComposeResult:
        screen = self.list_screen  # (a list opened from another screen names that screen's tab)
        yield self.app.make_header(getattr(screen, "HEADER_TAB", None) or screen.SCREEN_ID)
        with VerticalScroll(id="record-detail"):
            yield Static(Text(self.title_text, style="bold"), id="record-title")
            yield Static(Text(t("tui.status.loading", self.lang)), id="record-fields")
            yield Static(id="record-incidents-label")
            yield OptionList(id="record-incidents", compact=True)
            yield Static(id="record-history")
        yield KeyBar(id="keys")

    def on_mount(self) -> None:
        self.app.localise_bindings(self)
        self._load()

    @work(thread=True, exit_on_error=False, group="record-detail", exclusive=True)
    def _load(self) -> None:
        desk = self.app.desk
        try:
            with db_thread(desk):
                detail = self._read_detail(desk, self.record_id)
        except Exception as err:  # (a DeskError: not found; the database away)
            message = failure_text(err, desk.lang)
            self.post_message(self.Read(None, message))
            return
        self.post_message(self.Read(detail, None))

    @on(Read)
    def _read(self, message: Read) -> None:
        fields = self.query_one("#record-fields", Static)
        if message.error is not None:
            fields.update(Text(message.error))
            return
        self.detail = message.detail
        self.query_one("#record-title", Static).update(
            Text(f"{self.title_text} · {one_line(self.detail.title, 300)}", style="bold"))
        table = Table.grid(padding=(0, 2))
        table.add_column(style="bold", no_wrap=True)
        table.add_column()
        for label, value in self._lines(self.detail, self.lang):
            table.add_row(Text(label), Text(neutralise(str(value))))
        fields.update(table)
        self._show_incidents(getattr(self.detail, "incidents", ()))
        from desk.screens.record_history import history_text
        from desk.timefmt import zone

        config = self.app.desk.config
        history = history_text(self.list_screen.SPEC.kind, getattr(self.detail, "history", ()), self.lang,
                               zone(config), config)
        self.query_one("#record-history", Static).update(history)

    def _show_incidents(self, linked) -> None:
        listed = self.query_one("#record-incidents", OptionList)
        label = self.query_one("#record-incidents-label", Static)
        key = getattr(self.list_screen, "INCIDENTS_LABEL", None)
        shown = bool(linked) and key is not None
        label.display = listed.display = shown
        if not shown:
            return
        lang, config = self.lang, self.app.desk.config
        label.update(Text(t(key, lang), style="bold"))
        listed.clear_options()
        listed.add_options([Option(Text(t("problem.detail.incident", lang, id=i.id, priority=i.priority,
                                           status=config.label("status", i.status, lang),
                                           title=one_line(i.title, 200))), id=str(i.id)) for i in linked])
        listed.highlighted = 0
        listed.focus(scroll_visible=False)  # (the detail opens at its top)

    @on(OptionList.OptionSelected, "#record-incidents")
    def _open_incident(self, event: OptionList.OptionSelected) -> None:
        """Enter on a linked incident: its detail (escape comes back here)."""
        event.stop()
        from desk.screens.actions import start_action

        found = {i.id: i.version for i in getattr(self.detail, "incidents", ())}
        incident_id = int(event.option.id)
        start_action(self, "detail", [(incident_id, found.get(incident_id, 0))])

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_act(self, action: str) -> None:
        if self.detail is None:
            return
        self.app.pop_screen()
        self.list_screen.start(action, [(self.record_id, self.detail.version)])

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "act" and parameters:
            return True if self.list_screen.may(str(parameters[0])) else None
        return True
