"""A base for widgets that are one line of Rich Text (the header, the status line, the key bar).

Textual draws a widget's Text through its general path (a visual, line wrapping and cropping,
a copy per filter): 0.7-2 ms for one line, on every key that changes the status or the keys.
A one-line widget only needs its Text's segments on its own style, so it draws them straight
into a Strip and keeps the last few, and each Strip keeps what the app's line filters made of
it. `render()` stays the one place that says what the line holds.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual.cache import LRUCache
from textual.strip import Strip
from textual.widget import Widget

KEPT = 8  # lines kept per widget (a status line alternates between a few)


class OneLineWidget(Widget):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._drawn: LRUCache[tuple, Strip] = LRUCache(KEPT)
        # (its own name: Textual's DOMNode keeps its component RenderStyles in `_component_styles`)
        self._rich_components: dict[tuple, Style] = {}

    def get_component_rich_style(self, *names: str, partial: bool = False) -> Style:
        # (kept until the styles change: Textual works each one out again from the DOM per call)
        key = (names, partial)
        style = self._rich_components.get(key)
        if style is None:
            style = self._rich_components[key] = super().get_component_rich_style(*names, partial=partial)
        return style

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._rich_components.clear()

    def render(self) -> Text:  # pragma: no cover - each subclass says what its line holds
        return Text()

    def line_key(self):
        """A cheap value that changes whenever render() would give another line, or None (the
        line is then rendered each time and its Text is the key)."""
        return None

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        base = self.rich_style
        if y != 0:
            return Strip.blank(width, base)
        known = self.line_key()
        if known is not None:
            key = (known, width, base)
            strip = self._drawn.get(key)
            if strip is not None:
                return strip
        text = self.render()
        if known is None:
            key = (text.plain, tuple(text.spans), text.style, width, base)
        strip = self._drawn.get(key)
        if strip is None:
            segments = Segment.apply_style(text.render(self.app.console), base)
            strip = Strip(segments).crop_extend(0, width, base).simplify()
            self._drawn[key] = strip
        return strip
