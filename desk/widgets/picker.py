"""A searchable picker: a search field over a list. Typing filters, up/down move, enter picks.

Items carry a value (what the caller gets back), a prompt (a rich Text, shown literally:
labels may hold untrusted text) and the text the search matches.
"""

from __future__ import annotations

from dataclasses import dataclass

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Input, OptionList
from textual.widgets.option_list import Option

from desk.domain.text import one_line
from desk.i18n import t


@dataclass(frozen=True)
class PickerItem:
    value: str
    prompt: Text
    search: str


def group_items(groups) -> list[PickerItem]:
    """Support groups to pick from (escalate, return): tier, label, code; searched by all of them."""
    items = []
    for group in groups:
        prompt = Text(no_wrap=True, overflow="ellipsis")
        prompt.append(f"L{group.tier}  ", style="cyan")
        prompt.append(one_line(group.label, 34))
        prompt.append(f"  {group.code}", style="dim")
        items.append(PickerItem(group.code, prompt, f"{group.code} {group.label} L{group.tier} {group.kind}"))
    return items


def service_items(services, lang: str) -> list[PickerItem]:
    """Catalogue services to pick from (desk.services.catalogue.ServiceTerms): code, name in the
    user's language (shown literally: maintainers typed it), category; searched by the code, both
    names and the category."""
    items = []
    for s in services:
        prompt = Text(no_wrap=True, overflow="ellipsis")
        prompt.append(f"{one_line(s.code, 24)}  ", style="cyan")
        prompt.append(one_line(s.name(lang), 50))
        prompt.append(f"  {one_line(s.category, 24)}", style="dim")
        names = " ".join(s.text("name", other) for other in ("en", "zh"))
        items.append(PickerItem(s.code, prompt, f"{s.code} {names} {s.category}"))
    return items


class Picker(Vertical):
    DEFAULT_CSS = """
    Picker { height: auto; }
    Picker > Input { margin: 0; }
    Picker > OptionList { height: auto; max-height: 8; }
    """

    BINDINGS = [
        Binding("down", "move(1)", show=False),
        Binding("up", "move(-1)", show=False),
        Binding("pagedown", "move(5)", show=False),
        Binding("pageup", "move(-5)", show=False),
    ]

    class Picked(Message):
        """The highlighted item changed (value is None when nothing matches)."""

        def __init__(self, picker: "Picker", value: str | None) -> None:
            super().__init__()
            self.picker = picker
            self.value = value

        @property
        def control(self) -> "Picker":
            return self.picker

    def __init__(self, items: list[PickerItem] | None = None, *, placeholder: str = "", empty: str = "",
                 no_match: str = "", id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._items: list[PickerItem] = list(items or [])
        self._shown: list[PickerItem] = []
        self._placeholder = placeholder
        self._empty = empty
        # said when there are items but the search hides them all ('' says `empty` then too)
        self._no_match = no_match

    def compose(self) -> ComposeResult:
        yield Input(placeholder=self._placeholder, compact=True, id=f"{self.id or 'picker'}-search")
        yield OptionList(id=f"{self.id or 'picker'}-list")

    def on_mount(self) -> None:
        # the list is driven from the search field (up/down), so tab goes on to the next field
        self.option_list.can_focus = False
        self._refilter("")

    @property
    def search_input(self) -> Input:
        return self.query_one(Input)

    @property
    def option_list(self) -> OptionList:
        return self.query_one(OptionList)

    @property
    def value(self) -> str | None:
        index = self.option_list.highlighted
        if index is None or not (0 <= index < len(self._shown)):
            return None
        return self._shown[index].value

    def set_items(self, items: list[PickerItem]) -> None:
        self._items = list(items)
        if self.is_mounted:
            self._refilter(self.search_input.value)

    def select(self, value: str) -> None:
        """Highlight the item with this value (clearing the search if it is filtered out)."""
        if all(item.value != value for item in self._shown):
            self.search_input.value = ""
            self._refilter("")
        for index, item in enumerate(self._shown):
            if item.value == value:
                self.option_list.highlighted = index

    def _refilter(self, text: str) -> None:
        words = text.casefold().split()
        self._shown = [item for item in self._items if all(w in item.search.casefold() for w in words)]
        options = self.option_list
        options.clear_options()
        if self._shown:
            options.add_options([Option(item.prompt) for item in self._shown])
            options.highlighted = 0
        elif self._empty or self._no_match:
            said = self._no_match if self._items and self._no_match else self._empty
            options.add_option(Option(Text(said, style="italic"), disabled=True))
        self.post_message(self.Picked(self, self.value))

    @on(Input.Changed)
    def _search_changed(self, event: Input.Changed) -> None:
        event.stop()
        self._refilter(event.value)

    @on(OptionList.OptionHighlighted)
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        event.stop()
        self.post_message(self.Picked(self, self.value))

    @on(OptionList.OptionSelected)
    def _selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.post_message(self.Picked(self, self.value))

    def action_move(self, step: int) -> None:
        options = self.option_list
        if not self._shown:
            return
        current = options.highlighted if options.highlighted is not None else -1
        options.highlighted = max(0, min(len(self._shown) - 1, current + step))


def record_items(choices, lang: str, entity: str, badge=None) -> list[PickerItem]:
    """Records to pick from (changes, problems): id, the badge when given (`badge(record)`, e.g. a
    problem's priority), title (shown literally), status; searched by all."""
    items = []
    for r in choices:
        status = t(f"{entity}.status.{r.status}", lang)
        prompt = Text(no_wrap=True, overflow="ellipsis")
        prompt.append(f"#{r.id:<6}", style="bold")
        if badge is not None:
            prompt.append(badge(r), style="cyan")
        prompt.append(one_line(r.title, 60))
        prompt.append(f"  {status}", style="dim")
        items.append(PickerItem(str(r.id), prompt, f"{r.id} #{r.id} {r.title} {status} {r.status}"))
    return items
