"""`?`: every key of the screen underneath — its widgets', its own and the app's — with the keys
as the user's keymap has them, the ones their role may not use marked as such, and each
binding's id (what a [keymap] entry in the config file names to move a key)."""

from __future__ import annotations

from weakref import WeakKeyDictionary

from rich.measure import Measurement
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult, ScreenStackError
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.strip import Strip
from textual.visual import RichVisual, Visual
from textual.widgets import Static

from desk.i18n import catalogue, t


def binding_text(binding: Binding, lang: str) -> str:
    """A binding's description in `lang` (Textual's own bindings get ours by action)."""
    if binding.id and f"tui.key.{binding.id}" in catalogue(lang):
        return t(f"tui.key.{binding.id}", lang)
    if binding.description in catalogue(lang):  # a message key the screen has not put in words
        return t(binding.description, lang)
    if binding.id is None and f"tui.textual.{binding.description}" in catalogue(lang):  # Textual's own widget keys
        return t(f"tui.textual.{binding.description}", lang)
    if binding.id:  # desk's own keys say what they do (by action, `c` confirms many things)
        return binding.description
    action = binding.action.split("(")[0].replace("app.", "").replace("screen.", "")
    if f"tui.key.{action}" in catalogue(lang):
        return t(f"tui.key.{action}", lang)
    return binding.description


def screen_name(screen: Screen, lang: str) -> str:
    """What the help calls the screen ("Keys: …", and its own keys' section): the record a detail
    shows ("Problem 3"), else the label of its TITLE_KEY. "This screen" only for one with neither."""
    named = getattr(screen, "help_name", None)
    if callable(named):
        return named()
    return t(getattr(screen, "TITLE_KEY", "") or "tui.help.screen", lang)


def not_now(screen: Screen, lang: str) -> str:
    """The note beside a key the user's role may use but the record at hand does not take, naming
    the screen's kind of record: the request queue's help said 'not for the incident'."""
    spec = getattr(screen, "SPEC", None) or getattr(getattr(screen, "list_screen", None), "SPEC", None)
    if spec is not None and not hasattr(screen, "list_screen"):  # a list: the row under the cursor
        return t("tui.help.not_now", lang, kind=t(f"entity.{spec.kind}", lang))
    kind = getattr(screen, "HELP_KIND", None) or getattr(spec, "kind", None)  # a record's own screen
    return t("tui.help.not_now_here", lang, kind=t(f"entity.{kind}", lang)) if kind else t("tui.help.not_now_plain", lang)


def key_rows(screen: Screen, lang: str) -> list[tuple[str, list[tuple[str, str, bool, str]]]]:
    """[(section title, [(keys, description, enabled, binding id)])] for the screen."""
    app = screen.app
    sections: dict[str, dict[tuple, list]] = {}
    for key, active in screen.active_bindings.items():
        binding = active.binding
        text = binding_text(binding, lang)
        if not text:
            continue
        node = active.node
        if node is app:
            section = t("tui.help.app", lang)
        elif node is screen:
            section = screen_name(screen, lang)
        else:
            section = t("tui.help.navigation", lang)
        entries = sections.setdefault(section, {})
        slot = (binding.id is None, binding.action, text)  # desk's own keys (with ids) first
        shown = binding.key_display or app.get_key_display(binding)
        if slot in entries:
            entries[slot][0].append(shown)
        else:
            entries[slot] = [[shown], text, active.enabled, binding.id or ""]
    order = [t("tui.help.navigation", lang), screen_name(screen, lang),
             t("tui.help.app", lang)]
    out = []
    for section in sorted(sections, key=lambda s: order.index(s) if s in order else len(order)):
        ordered = sorted(sections[section].items(), key=lambda item: item[0][0])  # stable: keeps binding order
        out.append((section, [(" / ".join(keys), text, enabled, binding_id)
                              for _, (keys, text, enabled, binding_id) in ordered]))
    return out


class HelpScreen(ModalScreen[None]):
    BINDINGS = [
        Binding("escape,question_mark,q", "close", "close", show=False, id="help.close"),
    ]

    @classmethod
    def open(cls, app, screen: Screen, lang: str) -> HelpScreen:
        """The help to push over `screen`. The app keeps one, installed, and shows it again with
        the keys of whatever screen is underneath: a second `?` costs no compose and no
        stylesheet pass for a new screen (~25 ms), only the new lines' layout and one paint."""
        kept = _SCREENS.get(app)
        if kept is not None and kept.is_mounted and all(kept not in stack for stack in _stacks(app)):
            kept.show(screen)
            return kept
        help_screen = cls(screen, lang)
        if kept is None:
            _SCREENS[app] = help_screen
            app.install_screen(help_screen, "desk-help")
        return help_screen

    @classmethod
    def keep_ready(cls, app, screen: Screen, lang: str) -> None:
        """Build the kept help ahead, off screen, with the keys of `screen` (the app asks once,
        after its first frame, while the user is idle): the first `?` then costs what every later
        one does (~20 ms of CPU), not a compose, a stylesheet pass and the table measured (~65).
        (Textual's private App._get_screen composes and mounts an installed screen without
        showing it, and Screen._refresh_layout lays it out at a size, as the detail screen's
        keep_ready does: checked by tests/tui/test_textual_private_api.py.)"""
        if app in _SCREENS:
            return
        help_screen = cls.open(app, screen, lang)
        _, mounted = app._get_screen(help_screen)

        async def lay_out() -> None:
            await mounted
            if help_screen.is_attached and all(help_screen not in stack for stack in _stacks(app)):
                help_screen._refresh_layout(app.size)

        app.call_later(lay_out)

    def __init__(self, screen: Screen, lang: str) -> None:
        super().__init__(classes="desk-dialog help")
        self.lang = lang
        self.lines = self._lines_for(screen)
        self.title_text = self._title_for(screen)

    def _title_for(self, screen: Screen) -> str:
        return t("tui.help.title", self.lang, screen=screen_name(screen, self.lang))

    def _lines_for(self, screen: Screen) -> tuple:
        """What the table shows: per section, (keys, description, enabled, binding id, note)."""
        may = getattr(screen.app, "may", None)
        notes = (not_now(screen, self.lang), t("tui.help.disabled", self.lang))
        return tuple((section, tuple((keys, text, enabled, binding_id,
                                      "" if enabled else notes[0] if may is not None and binding_id and may(binding_id)
                                      else notes[1])
                                     for keys, text, enabled, binding_id in entries))
                     for section, entries in key_rows(screen, self.lang))

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as box:
            box.border_title = self.title_text
            with VerticalScroll(id="help-keys"):
                yield _KeyTable(_kept_table(self.lines), id="help-table")
            yield Static(t("tui.help.hint", self.lang), classes="dialog-hint", markup=False)

    def show(self, screen: Screen) -> None:
        """Show the keys of `screen` (the kept help, shown again), from the top."""
        lines, title = self._lines_for(screen), self._title_for(screen)
        if lines != self.lines:
            self.lines = lines
            self.query_one(_KeyTable).show(_kept_table(lines))
        if title != self.title_text:
            self.title_text = title
            self.query_one("#dialog").border_title = title
        self.query_one("#help-keys", VerticalScroll).scroll_home(animate=False, immediate=True)

    def action_close(self) -> None:
        self.dismiss(None)


AHEAD_IDLE = 0.5  # seconds without a key before the help is built ahead (it holds the app ~45 ms)


def build_ahead(app, idle: float) -> bool:
    """Build the app's help ahead if the user has been idle `idle` seconds and no dialog is open;
    False: not now, ask again later."""
    try:
        screen = app.screen
    except ScreenStackError:  # the app is closing: none will be needed
        return True
    if idle < AHEAD_IDLE or isinstance(screen, ModalScreen):
        return False
    HelpScreen.keep_ready(app, screen, app.lang)
    return True


_SCREENS: WeakKeyDictionary = WeakKeyDictionary()  # the help screen each app keeps


def _stacks(app):
    # (Textual's private `_screen_stacks`, one stack per mode: the kept help may be open in
    # another mode, where it cannot be pushed again; checked by tests/tui/test_textual_private_api.py)
    return app._screen_stacks.values()


class _Kept:
    """One help table and what Textual made of it, kept. Textual measures and draws the table
    several times while the help opens (its height, then each layout pass: 8 times in all), and
    each time Rich measured and wrapped every cell again: 13-17 ms each for the queue's ~60
    keys, ~65 ms of the ~105 ms of CPU that `?` took. Rich's lines depend only on the width (the
    table's own styles are fixed: bold, dim; a table ignores the height it is offered), and
    Textual's strips on the width, height and the widget's style."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.segments: dict[tuple, list] = {}
        self.strips: dict[tuple, list[Strip]] = {}

    def __rich_console__(self, console, options):
        key = (options.max_width, options.min_width, options.justify, options.overflow, options.no_wrap)
        segments = self.segments.get(key)
        if segments is None:
            segments = self.segments[key] = list(console.render(self.table, options))
        return segments

    def __rich_measure__(self, console, options) -> Measurement:
        return Measurement.get(console, options, self.table)


class _KeptVisual(RichVisual):
    """The table as Textual draws a Rich renderable (RichVisual), its strips kept in the _Kept."""

    def __init__(self, widget, kept: _Kept) -> None:
        super().__init__(widget, kept)
        self.kept = kept

    def render_strips(self, width: int, height: int | None, style, options) -> list[Strip]:
        key = (width, height, style.rich_style)
        strips = self.kept.strips.get(key)
        if strips is None:
            strips = self.kept.strips[key] = super().render_strips(width, height, style, options)
        return strips


class _KeyTable(Static):
    """A Static showing a kept help table."""

    def __init__(self, kept: _Kept, **kwargs) -> None:
        super().__init__(**kwargs)
        self._kept_visual = _KeptVisual(self, kept)

    def show(self, kept: _Kept) -> None:
        self._kept_visual = _KeptVisual(self, kept)
        self.refresh(layout=True)

    def render(self) -> Visual:
        return self._kept_visual


_KEPT: dict[tuple, _Kept] = {}  # the help tables last shown, by everything they show
_KEEP = 8


def _kept_table(lines: tuple) -> _Kept:
    """The table for these lines, built once: a screen's keys are the same each time `?` is
    pressed on it, so a second `?` draws lines already laid out."""
    kept = _KEPT.pop(lines, None)
    if kept is None:
        kept = _Kept(_table(lines))
        while len(_KEPT) >= _KEEP:
            del _KEPT[next(iter(_KEPT))]
    _KEPT[lines] = kept  # (last used last: the oldest goes first)
    return kept


def _table(lines: tuple) -> Table:
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True)
    table.add_column()
    table.add_column(no_wrap=True)
    for section, entries in lines:
        table.add_row(Text(section, style="bold underline"), Text(""), Text(""))
        for keys, text, enabled, binding_id, note in entries:
            description = Text(text)
            if not enabled:
                description.stylize("dim")
                description.append(f"  {note}", style="dim italic")
            table.add_row(Text(keys, style="bold"), description, Text(binding_id, style="dim"))
        table.add_row(Text(""), Text(""), Text(""))
    return table
