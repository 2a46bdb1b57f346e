"""The footer: the keys that apply here, in one line.

Like Textual's Footer it shows the screen's active bindings that ask to be shown (with the
user's keymap, greyed when check_action disables them) and the command palette key on the
right, and a click runs the binding. Unlike it, it is one widget that re-renders one line:
no child widgets to recompose each time focus moves (the filter bar ↔ the table), which
keeps those key presses fast and the first frame small.

The help key (`?`: every key of the screen, greyed or not) is never the one that gives way while
another key does: when the keys do not all fit, those before it are dropped until it does (a detail
with many keys, the change detail at 80 columns, cut it off and left no sign where the others were).
When every other key fits, the help may give way (the bar shows all there is).
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.cache import LRUCache

from desk.widgets.one_line import OneLineWidget


class KeyBar(OneLineWidget):
    COMPONENT_CLASSES = {"key-bar--key", "key-bar--description", "key-bar--disabled"}

    def __init__(self, id: str | None = None) -> None:
        super().__init__(id=id)
        self._spans: list[tuple[int, int, str, object, bool]] = []
        self._spans_by_key: LRUCache[tuple, list] = LRUCache(16)
        self._drawn_key: tuple | None = None  # the keys of the line last drawn

    def on_mount(self) -> None:
        self.screen.bindings_updated_signal.subscribe(self, self._bindings_changed)

    def _bindings_changed(self, screen) -> None:
        # The signal comes after Textual's own refresh of a screen that was shown again (escape
        # from the detail): the line drawn there already has these keys, and a refresh would send
        # it once more in a frame of its own (~850 bytes, ~20 ms after the first frame).
        if self._drawn_key is not None and self._signature(*self._items()) == self._drawn_key:
            return
        self.refresh()

    def _items(self):
        app = self.app
        palette = None
        items, seen = [], set()
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if binding.action in ("command_palette", "app.command_palette"):
                palette = (key, active)
                continue
            if not binding.show or not binding.description or binding.action in seen:
                continue
            seen.add(binding.action)
            items.append((app.get_key_display(binding), binding.description, active))
        return items, palette

    @staticmethod
    def _signature(items, palette) -> tuple:
        return (tuple((shown, description, active.enabled, active.binding.action)
                      for shown, description, active in items),
                None if palette is None else (palette[0], palette[1].binding.description, palette[1].enabled))

    def line_key(self):
        key = self._drawn_key = self._signature(*self._items())
        spans = self._spans_by_key.get((key, self.size.width))
        if spans is not None:
            self._spans = spans  # (the line is kept: so are the places a click finds)
        return key

    def render(self) -> Text:
        key_style = self.get_component_rich_style("key-bar--key", partial=True)
        text_style = self.get_component_rich_style("key-bar--description", partial=True)
        off_style = self.get_component_rich_style("key-bar--disabled", partial=True)
        items, palette = self._items()
        width = self.size.width
        right = Text(end="")
        if palette is not None:
            key, active = palette
            right.append(self.app.get_key_display(active.binding), style=key_style)
            wanted = sum(1 + cell_len(k) + 1 + cell_len(d) for k, d, _ in items)
            if wanted + right.cell_len + cell_len(active.binding.description) + 2 <= width:
                right.append(" " + active.binding.description)  # (dropped first when room is short)
            right.append(" ")
        line = Text(end="", no_wrap=True)
        spans = []
        help_at = next((i for i, (_, _, a) in enumerate(items) if _is_help(a)), len(items))
        help_room = sum(1 + cell_len(k) + 1 + cell_len(d) for k, d, _ in items[help_at:help_at + 1])
        others = sum(1 + cell_len(k) + 1 + cell_len(d) for k, d, a in items if not _is_help(a))
        if others <= width - right.cell_len:
            help_room = 0  # every other key shows: the help may give way (it is in the palette too)
        cut = False
        for index, (shown, description, active) in enumerate(items):
            piece = 1 + cell_len(shown) + 1 + cell_len(description)
            before_help = index < help_at
            if cut and before_help:
                continue  # (the keys after the first one cut, up to the help key)
            if line.cell_len + piece + (help_room if before_help else 0) > width - right.cell_len:
                if before_help:
                    cut = True
                    continue
                break  # what does not fit is in the help (?) and the palette
            start = line.cell_len
            line.append(" ")
            line.append(shown, style=key_style if active.enabled else off_style)
            line.append(" " + description, style=text_style if active.enabled else off_style)
            spans.append((start, line.cell_len, active.binding.action, active.node, active.enabled))
        if palette is not None:
            gap = max(width - line.cell_len - right.cell_len, 1)
            start = line.cell_len + gap
            line.append(" " * gap)
            line.append(right)
            spans.append((start, line.cell_len, palette[1].binding.action, palette[1].node, palette[1].enabled))
        self._spans = spans
        self._spans_by_key[(self._signature(items, palette), width)] = spans
        line.truncate(width)
        return line

    async def on_click(self, event: events.Click) -> None:
        for start, end, action, node, enabled in self._spans:
            if start <= event.x < end:
                if enabled:
                    await self.app.run_action(action, node)
                return


def _is_help(active) -> bool:
    return active.binding.action in ("help", "app.help")
