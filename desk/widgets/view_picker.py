"""Two small dialogs of the queue: pick a view (built-in or saved), and name the current one.

Saved view names are the user's own text, still shown literally (rich Text prompts)."""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from desk.domain.text import one_line
from desk.i18n import t
from desk.services.queue import VIEWS

MAX_NAME = 60


class ViewPicker(ModalScreen[tuple[str, str] | None]):
    """Dismisses with ("view", code), ("saved", name) or None."""

    BINDINGS = [Binding("escape", "dismiss_none", "cancel", show=False, id="dialog.cancel")]

    def __init__(self, lang: str, saved: dict, current: str, current_saved: str | None, *,
                 views: tuple[str, ...] = VIEWS, view_label: str = "tui.view.") -> None:
        super().__init__(classes="desk-dialog")
        self.views, self.view_label = views, view_label
        self.lang = lang
        self.saved = saved
        self.current = current
        self.current_saved = current_saved

    def compose(self) -> ComposeResult:
        options: list[Option] = []
        highlight = 0
        for i, view in enumerate(self.views, 1):
            label = Text(f"{i}  ", style="bold", end="")
            label.append(t(f"{self.view_label}{view}", self.lang))
            if view == self.current and not self.current_saved:
                highlight = len(options)
            options.append(Option(label, id=f"view:{view}"))
        if self.saved:
            options.append(None)
        for name in self.saved:
            label = Text("·  ", style="bold", end="")
            label.append(one_line(name, MAX_NAME))
            spec = self.saved[name] if isinstance(self.saved[name], dict) else {}
            if spec.get("filter"):
                label.append("  " + one_line(str(spec["filter"]), 60), style="dim")
            if name == self.current_saved:
                highlight = len(options)
            options.append(Option(label, id=f"saved:{name}"))
        with Vertical(id="dialog") as box:
            box.border_title = t("tui.views.title", self.lang)
            yield OptionList(*options, id="view-list")
            yield Static(t("tui.views.hint", self.lang), classes="dialog-hint", markup=False)
        self._highlight = highlight

    def on_mount(self) -> None:
        options = self.query_one("#view-list", OptionList)
        options.highlighted = self._highlight
        options.focus()

    @on(OptionList.OptionSelected, "#view-list")
    def _picked(self, event: OptionList.OptionSelected) -> None:
        kind, _, name = (event.option.id or "").partition(":")
        self.dismiss((kind, name) if kind in ("view", "saved") else None)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


class SaveViewDialog(ModalScreen[str | None]):
    """Asks for a name; dismisses with it (stripped, one line) or None."""

    BINDINGS = [Binding("escape", "dismiss_none", "cancel", show=False, id="dialog.cancel")]

    def __init__(self, lang: str, name: str = "") -> None:
        super().__init__(classes="desk-dialog")
        self.lang = lang
        self.initial = name

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog") as box:
            box.border_title = t("tui.views.save_title", self.lang)
            yield Static(t("tui.views.save_prompt", self.lang), markup=False)
            yield Input(value=self.initial, max_length=MAX_NAME, id="view-name")
            yield Static("", id="view-name-error", classes="dialog-error", markup=False)
            yield Static(t("tui.views.save_hint", self.lang), classes="dialog-hint", markup=False)

    def on_mount(self) -> None:
        self.query_one("#view-name", Input).focus()

    @on(Input.Submitted, "#view-name")
    def _submitted(self, event: Input.Submitted) -> None:
        name = one_line(event.value).strip()
        if not name:
            self.query_one("#view-name-error", Static).update(t("tui.views.name_required", self.lang))
            return
        self.dismiss(name)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)
