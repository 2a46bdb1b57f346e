"""A mixin for line-API widgets whose render_line hands back Strips it keeps (the queue table,
the detail body), and a vertical scrollbar that keeps its lines too.

Textual's styles cache copies each line a widget renders and runs the app's line filters on
the copy, on every paint: ~0.1 ms a line, 3-5 ms for a screen of rows. When the widget's CSS adds
nothing around its lines but side padding (no border, outline, tint, hatch, opacity or top and
bottom padding) that copy is not needed: the kept Strip goes out as it is (padded once), and each
Strip keeps what each filter made of it, so a line drawn ahead costs nothing when it comes on
screen. Otherwise Textual's path is taken.
"""

from __future__ import annotations

from rich.segment import Segment
from rich.style import Style
from textual.cache import LRUCache
from textual.strip import Strip

from desk.widgets.scrollbar import QuickBars


PADDED = 256  # padded copies kept (a screen of lines and the pages around it)


class KeptLines(QuickBars):
    _finish = None
    _padded: LRUCache | None = None

    def notify_style_update(self) -> None:
        super().notify_style_update()
        self._finish = None

    def _finishing(self):
        """(background, line filters) when the CSS adds nothing around the lines, else None."""
        if self._finish is None:
            st = self.styles
            top, right, bottom, left = st.padding
            plain = (not top and not bottom and not any(edge for edge, _ in st.border)
                     and not any(edge for edge, _ in st.outline) and self.opacity == 1.0
                     and st.text_opacity == 1.0 and not st.tint.a
                     and not (st.has_rule("hatch") and st.hatch != "none"))
            self._finish = (self.background_colors[1], tuple(self.get_line_filters()), left, right) if plain else False
        return self._finish or None

    def render_lines(self, crop) -> list[Strip]:
        finish = self._finishing()
        if finish is None:
            return super().render_lines(crop)
        background, filters, left, right = finish
        width = self.scrollable_content_region.width
        base = self.rich_style
        blank = Style(bgcolor=base.bgcolor)
        x1, x2 = crop.column_span
        right += max(0, x2 - (width + left + right))  # (a stable scrollbar gutter with no bar in it)
        lines = []
        for y in crop.line_range:
            strip = self.render_line(y)
            if strip.cell_length != width:
                strip = strip.adjust_cell_length(width, base)
            if left or right:
                strip = self._pad(strip, left, right, blank)
            for line_filter in filters:
                strip = strip.apply_filter(line_filter, background)
            lines.append(strip)
        if (x1, x2) != (0, width + left + right):
            lines = [strip.crop(x1, x2) for strip in lines]
        return lines

    def _pad(self, strip: Strip, left: int, right: int, blank: Style) -> Strip:
        if self._padded is None:
            self._padded = LRUCache(PADDED)
        kept = self._padded.get(id(strip))
        if kept is not None and kept[0] is strip and kept[1] == (left, right):
            return kept[2]
        segments = ([Segment(" " * left, blank)] if left else []) + list(strip) + \
            ([Segment(" " * right, blank)] if right else [])
        padded = Strip(segments, strip.cell_length + left + right)
        self._padded[id(strip)] = (strip, (left, right), padded)
        return padded
