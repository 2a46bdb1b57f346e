"""`?`: every key of the screen underneath — its widgets', its own and the app's — with the keys
as the user's keymap has them, the ones their role may not use marked as such, and each
binding's id (what a [keymap] entry in the config file names to move a key)."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen, Screen
from textual.widgets import Static

from desk.i18n import catalogue, t


def binding_text(binding: Binding, lang: str) -> str:
    """A binding's description in `lang` (Textual's own bindings get ours by action)."""
    if binding.id and f"tui.key.{binding.id}" in catalogue(lang):
        return t(f"tui.key.{binding.id}", lang)
    if binding.description in catalogue(lang):  # a message key the screen has not put in words
        return t(binding.description, lang)
    if binding.id:  # desk's own keys say what they do (by action, `c` confirms many things)
        return binding.description
    action = binding.action.split("(")[0].replace("app.", "").replace("screen.", "")
    if f"tui.key.{action}" in catalogue(lang):
        return t(f"tui.key.{action}", lang)
    return binding.description


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
            section = t(getattr(screen, "TITLE_KEY", "tui.help.screen"), lang)
        else:
            section = t("tui.help.navigation", lang)
        entries = sections.setdefault(section, {})
        slot = (binding.id is None, binding.action, text)  # desk's own keys (with ids) first
        shown = binding.key_display or app.get_key_display(binding)
        if slot in entries:
            entries[slot][0].append(shown)
        else:
            entries[slot] = [[shown], text, active.enabled, binding.id or ""]
    order = [t("tui.help.navigation", lang), t(getattr(screen, "TITLE_KEY", "tui.help.screen"), lang),
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

    def __init__(self, screen: Screen, lang: str) -> None:
        super().__init__(classes="desk-dialog help")
        self.lang = lang
        self.rows = key_rows(screen, lang)
        self.title_text = t("tui.help.title", lang, screen=t(getattr(screen, "TITLE_KEY", "tui.help.screen"), lang))

    def compose(self) -> ComposeResult:
        table = Table.grid(padding=(0, 2))
        table.add_column(no_wrap=True)
        table.add_column()
        table.add_column(no_wrap=True)
        disabled_note = t("tui.help.disabled", self.lang)
        not_now_note = t("tui.help.not_now", self.lang)
        may = getattr(self.app, "may", None)
        for section, entries in self.rows:
            table.add_row(Text(section, style="bold underline"), Text(""), Text(""))
            for keys, text, enabled, binding_id in entries:
                description = Text(text)
                if not enabled:
                    description.stylize("dim")
                    role_allows = may is not None and binding_id and may(binding_id)
                    description.append(f"  {not_now_note if role_allows else disabled_note}", style="dim italic")
                table.add_row(Text(keys, style="bold"), description, Text(binding_id, style="dim"))
            table.add_row(Text(""), Text(""), Text(""))
        with Vertical(id="dialog") as box:
            box.border_title = self.title_text
            with VerticalScroll(id="help-keys"):
                yield Static(table, id="help-table")
            yield Static(t("tui.help.hint", self.lang), classes="dialog-hint", markup=False)

    def action_close(self) -> None:
        self.dismiss(None)
