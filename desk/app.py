"""The desk TUI: the app shell (header, screens, help, palette, keymap) around the screens.

`run_app(args)` is what `desk` with no subcommand runs. Screens are listed in SCREENS, a line
each; every screen whose module is there gets a tab in the header (desk/widgets/header.py), an
F-key and an entry in the command palette, and is imported when it is first shown. The stylesheet it parses once and keeps is in
desk/app_css.py.
"""

from __future__ import annotations

import gc
import re
from collections.abc import Iterable
from dataclasses import replace
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path
from time import monotonic
from typing import NamedTuple

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.events import InputEvent
from textual.screen import Screen

from desk import sla_poll
from desk.app_css import KeptStylesheet
from desk.app_keymap import KeymapBindings
from desk.domain.permissions import can, may_key
from desk.idle_gc import IdleCollector
from desk.i18n import t
from desk.system_words import failure_text
from desk.key_order import KeyOrder
from desk.services import queue

HERE = Path(__file__).resolve().parent


class ScreenEntry(NamedTuple):  # a NamedTuple: a frozen dataclass costs ~0.6 ms to create at import
    id: str
    title_key: str
    key: str
    target: str  # "module:Class"
    short_key: str = ""  # its short name in a narrow header (default tui.tab.<id>; none: its name)


SCREENS = [
    ScreenEntry("queue", "tui.screen.queue", "f2", "desk.screens.queue:QueueScreen"),
    ScreenEntry("requests", "tui.screen.requests", "f3", "desk.screens.requests:RequestsScreen"),
    ScreenEntry("catalogue", "tui.screen.catalogue", "f4", "desk.screens.catalogue_browse:CatalogueScreen"),
    ScreenEntry("reports", "tui.screen.reports", "f5", "desk.screens.report_review:ReportsScreen"),
    ScreenEntry("wallboard", "tui.screen.wallboard", "f6", "desk.screens.wallboard:WallboardScreen"),
    ScreenEntry("problems", "lists.screen.problems", "f7", "desk.screens.problems:ProblemsScreen"),
    ScreenEntry("changes", "lists.screen.changes", "f8", "desk.screens.changes:ChangesScreen"),
]

def _screen_class(entry: ScreenEntry):
    module, _, name = entry.target.partition(":")
    try:
        return getattr(import_module(module), name)
    except (ImportError, AttributeError):
        return None


def _screen_present(entry: ScreenEntry) -> bool:
    """Whether the entry's module is there, found without importing it."""
    try:
        return find_spec(entry.target.partition(":")[0]) is not None
    except (ImportError, ValueError):
        return False


def short_name(entry: ScreenEntry, lang: str) -> str:
    key = entry.short_key or f"tui.tab.{entry.id}"
    shown = t(key, lang)
    return "" if shown == key else shown


def available_screens() -> list[tuple[ScreenEntry, type[Screen]]]:
    out = []
    for entry in SCREENS:
        cls = _screen_class(entry)
        if cls is not None:
            out.append((entry, cls))
    return out


def present_screens() -> list[tuple[ScreenEntry, None]]:
    """The screens whose modules are there, none of them imported: the app imports a screen when it
    is first shown. (The six screens besides the queue, Markdown, pygments and the catalogue's
    widgets with them, were ~60 ms of CPU before the first frame, a third of desk's start-up
    beyond the bare Textual app's.)"""
    return [(entry, None) for entry in SCREENS if _screen_present(entry)]


# dialogs.tcss styles the detail screen and the action dialogs only: it is read after the first
# frame (or before the first screen pushed, should one come sooner), not parsed before it.
DIALOGS_CSS = HERE / "dialogs.tcss"
GC_TICK = 0.25  # seconds between looks at whether a full collection is owed and the user idle
def landing_screen(roles) -> str:
    """The screen `desk` opens on: the incident queue for whoever works or oversees incidents; an
    approver with no incident work lands in their approval inbox (the request queue opens on it
    for them), not on an empty queue (issue 14)."""
    if can(roles, "incident.note") or can(roles, "incident.view_all"):
        return "queue"
    return "requests" if can(roles, "request.approve") else "queue"


HELP_AHEAD = 1.0  # seconds after the first frame (and again while the user types) to build `?` ahead


class DeskApp(KeyOrder, KeymapBindings, App):
    TITLE = "desk"
    CSS_PATH = [str(HERE / "desk.tcss")]
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [
        Binding("question_mark", "help", "tui.key.help", id="help"),
        Binding("q", "quit", "tui.key.quit", show=False, id="quit"),
        Binding("f9", "notifications", "tui.key.notifications", show=False, id="notifications"),
        Binding("ctrl+p", "command_palette", "tui.key.command_palette", show=False, priority=True,
                id="command_palette"),
    ]

    def __init__(self, desk, operator, *, keymap: dict | None = None, theme: str | None = None,
                 ansi_color: bool = False) -> None:
        self._screens = self.screen_entries()
        self._screen_classes = {entry.id: cls for entry, cls in self._screens if cls is not None}
        self.MODES = {entry.id: self._screen_factory(entry.id) for entry, _cls in self._screens}
        landing = landing_screen(operator.roles)
        self.DEFAULT_MODE = landing if landing in self.MODES else self._screens[0][0].id
        super().__init__(ansi_color=ansi_color)
        self.stylesheet = KeptStylesheet(variables=self.theme_variables)
        self._dialog_css_pending = True
        self.desk = desk
        self.operator = operator
        self.lang = desk.lang
        self.first_page = None  # run_app sets a FirstPage: the default view read while Textual starts
        self.vocabulary = queue.vocabulary(desk.config)
        self._keymap_request = dict(keymap if keymap is not None else desk.config.keymap)
        self._last_input = monotonic()
        self._collector = IdleCollector(lambda: self._last_input)
        for entry, _cls in self._screens:
            self.bind(entry.key, f"switch_screen_to('{entry.id}')", description=entry.title_key, show=False,
                      key_display=None)
        self._give_screen_keys_ids()
        self.localise_bindings(self)
        if theme:
            self.theme = theme
        self.set_class(ansi_color, "-ansi")

    def screen_entries(self) -> list[tuple[ScreenEntry, type[Screen] | None]]:
        """The screens this app offers, each with its class or None (imported when first shown);
        an app for one screen, such as `desk catalogue browse`, says which."""
        return present_screens()

    def screen_class(self, screen_id: str) -> type[Screen] | None:
        """The class of one of the app's screens, imported now if it was not yet (None: it cannot be)."""
        if screen_id not in self._screen_classes:
            entry = next(entry for entry, _cls in self._screens if entry.id == screen_id)
            cls = _screen_class(entry)
            if cls is None:
                return None
            self._screen_classes[screen_id] = cls
        return self._screen_classes[screen_id]

    def _screen_factory(self, screen_id: str):
        return lambda: self.screen_class(screen_id)()

    def get_css_variables(self) -> dict[str, str]:
        variables = super().get_css_variables()
        # The ANSI themes (a 16-colour terminal, see pick_theme) have no $foreground-disabled,
        # which desk.tcss and the detail body use: without it the stylesheet does not parse and
        # desk stops at start. There it is the muted foreground.
        if "foreground-disabled" not in variables and "foreground-muted" in variables:
            variables["foreground-disabled"] = variables["foreground-muted"]
        return variables

    # --- shell ---------------------------------------------------------------------------------
    def _give_screen_keys_ids(self) -> None:
        # App.bind() takes no id: attach ids (screen.<id>) so keymaps can move these keys too.
        # (Textual's private `_bindings`, the node's own BindingsMap: no public call replaces a
        # binding once bound; tests/tui/test_textual_private_api.py checks it is the map keys use.)
        ids = {f"switch_screen_to('{entry.id}')": f"screen.{entry.id}" for entry, _ in self._screens}
        for key, bindings in list(self._bindings.key_to_bindings.items()):
            self._bindings.key_to_bindings[key] = [replace(b, id=ids[b.action]) if b.action in ids else b
                                                   for b in bindings]

    def on_mount(self) -> None:
        if self._keymap_request:  # none: nothing to check (nor the detail screen to import for it)
            self.apply_keymap(self._keymap_request)
        self.call_after_refresh(self._started)

    def _started(self) -> None:
        """After the first frame. The dialogs' stylesheet is read and the CSS parsed is saved for
        the next start (if any was). (The detail screen is imported at its first open: the
        queue lays it out ahead only once it has been.) Everything built to start up lives as
        long as the app: keep it out of the collector's full passes, which otherwise pause a key
        press for 50-60 ms now and then (p95). Then collect again (desk.cli turned collection
        off for start-up; the few thousand objects of start-up garbage this freezes are not
        worth a 30 ms pass)."""
        first_frame = getattr(self.stylesheet, "first_frame", None)  # Textual's dev-mode CSS reload swaps it
        if first_frame is not None:
            first_frame()
        self.load_dialog_css()
        save = getattr(self.stylesheet, "save", None)
        if save is not None:
            save()
        gc.freeze()
        gc.enable()
        self._collector.start()
        self.set_interval(GC_TICK, self._collector.tick, name="idle-gc")
        from desk import sla_poll

        self.sla_poll = sla_poll.start(self)  # SLA escalations ticked, new notifications as toasts
        self.set_timer(HELP_AHEAD, self._help_ahead, name="help-ahead")

    def _help_ahead(self) -> None:
        from desk.screens.help import build_ahead

        if not build_ahead(self, monotonic() - self._last_input):
            self.set_timer(HELP_AHEAD, self._help_ahead, name="help-ahead")

    def on_unmount(self) -> None:
        self._collector.stop()
        poll = getattr(self, "sla_poll", None)
        if poll is not None:
            poll.stop()

    def on_poll_answer(self, message) -> None:
        message.run()  # the SLA poll's reads, answered (desk/sla_poll.py)

    async def on_event(self, event) -> None:
        if isinstance(event, InputEvent):
            self._last_input = monotonic()
        await super().on_event(event)

    def load_dialog_css(self) -> None:
        if not self._dialog_css_pending:
            return
        self._dialog_css_pending = False
        if DIALOGS_CSS.exists():
            self.stylesheet.read(DIALOGS_CSS)
            self.stylesheet.parse()  # read() alone leaves the selector map as it was
            self.stylesheet.update(self)

    def push_screen(self, *args, **kwargs):
        self.load_dialog_css()
        return super().push_screen(*args, **kwargs)

    def make_header(self, current: str):
        from desk.timefmt import local, zone
        from desk.widgets.header import DeskHeader

        config = self.desk.config
        tabs = [(entry.id, t(entry.title_key, self.lang), self.tab_key(entry), short_name(entry, self.lang))
                for entry, _ in self._screens]
        roles = sorted(self.operator.roles, key=lambda r: config.codes("role").index(r)
                       if r in config.codes("role") else 99)
        primary = next((r for r in ("admin", "lead") if r in roles), roles[0] if roles else "")
        role = config.label("role", primary, self.lang) if primary else ""
        database = self.desk.target.short
        tz = zone(config)  # the header's clock reads as every time on the screens below it
        return DeskHeader(tabs=tabs, current=current, user=self.operator.login, role=role,
                          database=database, clock=lambda: local(self.desk.now(), tz),
                          unread=lambda: sla_poll.unread_label(self),
                          id="header")

    def tab_key(self, entry: ScreenEntry) -> str:
        """The key that opens a screen as its tab shows it: F4 (the user's keymap may have moved it)."""
        shown = self.get_key_display(Binding(entry.key, ""))
        return shown.upper() if re.fullmatch(r"f\d+", shown) else shown

    def on_desk_header_tab_clicked(self, message) -> None:
        self.action_switch_screen_to(message.screen_id)

    def action_switch_screen_to(self, screen_id: str) -> None:
        if screen_id not in self.MODES or self.current_mode == screen_id:
            return
        if self.screen_class(screen_id) is None:  # its module is there but does not import
            entry = next(entry for entry, _cls in self._screens if entry.id == screen_id)
            self.notify(t("tui.screen_unavailable", self.lang, screen=t(entry.title_key, self.lang)),
                        severity="error", markup=False)
            return
        self.switch_mode(screen_id)

    def action_notifications(self) -> None:
        """The user's notifications (desk/screens/notifications.py), over whatever screen is shown."""
        from desk.screens.notifications import NotificationsScreen

        if not isinstance(self.screen, NotificationsScreen):
            self.push_screen(NotificationsScreen())

    def action_help(self) -> None:
        from desk.screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen.open(self, self.screen, self.lang))

    def action_command_palette(self) -> None:
        """The command palette, its prompt in the user's language."""
        from textual.command import CommandPalette

        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(placeholder=t("tui.palette.placeholder", self.lang), id="--command-palette"))

    # --- permissions ---------------------------------------------------------------------------
    def may(self, action: str) -> bool:
        """May the user's role take this action at all? (The services refuse anyway.)"""
        return may_key(self.operator.roles, action)

    def default_view(self) -> str:
        return "open" if can(self.operator.roles, "incident.view_all") else "group"

    # --- saved views ---------------------------------------------------------------------------
    def saved_views(self, kind: str | None = None) -> dict[str, dict]:
        from desk.services import saved_views

        return saved_views.saved(self.desk.config, kind)

    def save_view(self, name: str, spec: dict) -> bool:
        from desk.services import saved_views

        try:
            path = saved_views.save(self.desk.config, name, spec)
        except Exception as exc:  # unreadable or unwritable file: say so, keep working
            self.notify(t("tui.views.save_failed", self.lang, path=str(saved_views.path_of(self.desk.config)),
                          error=failure_text(exc, self.lang)), severity="error", markup=False)
            return False
        # (the name is the user's text, the path the file system's: neither is markup)
        self.notify(t("tui.views.saved", self.lang, name=name, path=str(path)), markup=False)
        return True

    # --- messages ------------------------------------------------------------------------------
    def on_incidents_changed(self, message) -> None:
        """From a screen other than the queue (the detail, a dialog): tell every queue."""
        ids = list(getattr(message, "ids", []))
        for screen in self._queue_screens():
            screen.incidents_changed(ids)

    def _queue_screens(self) -> Iterable[Screen]:
        from desk.screens.queue import QueueScreen

        seen = set()
        # (Textual's private `_screen_stacks`, one stack per mode: the public `screen_stack` is the
        # current mode's only, and a queue in another mode must hear of the change too; checked
        # by tests/tui/test_textual_private_api.py)
        for stack in self._screen_stacks.values():
            for screen in stack:
                if isinstance(screen, QueueScreen) and id(screen) not in seen:
                    seen.add(id(screen))
                    yield screen

    # --- the palette ---------------------------------------------------------------------------
    def get_system_commands(self, screen: Screen) -> Iterable[SystemCommand]:
        lang = self.lang
        for entry, _cls in self._screens:
            yield SystemCommand(t("tui.palette.screen", lang, name=t(entry.title_key, lang)),
                                self.get_key_display(Binding(entry.key, "")),
                                lambda s=entry.id: self.action_switch_screen_to(s))
        commands = getattr(screen, "palette_commands", None)
        if commands is not None:
            for title, help_text, callback in commands():
                yield SystemCommand(title, help_text, callback)
        yield SystemCommand(t("tui.key.notifications", lang), sla_poll.key_shown(self),
                            self.action_notifications)
        yield SystemCommand(t("tui.key.help", lang), "?", self.action_help)
        yield SystemCommand(t("tui.palette.theme", lang), "", self.action_change_theme)
        yield SystemCommand(t("tui.key.quit", lang), "q", self.action_quit)


# Starting the app (and the screen for someone who is not an agent): desk/app_start.py.
from desk.app_start import RefusedApp, operator_for, pick_theme, run_app, run_refused  # noqa: E402,F401
