"""A vertical scrollbar that draws its lines once per thumb position.

Textual's ScrollBar renders a Rich renderable, which goes through Rich's line splitting and a
new Strip per line on every paint: 1-3 ms each time the queue's list changes length or
scrolls (every page down, sort and filter). This one asks the same renderer for the same
segments, keeps the lines for the last few positions, and lets each Strip keep what the app's
line filters made of it. A horizontal bar is left to Textual.
"""

from __future__ import annotations

from math import ceil

from rich.style import Style
from textual.cache import LRUCache
from textual.geometry import Size
from textual.scrollbar import ScrollBar
from textual.strip import Strip

KEPT = 16  # thumb positions whose lines are kept


def set_virtual_size(widget, size: Size, repaint: bool = True) -> None:
    """Give a scrolling widget a new virtual size. When only its length changed and its vertical
    scrollbar stays (or stays away), move the thumb and repaint, without the whole-screen layout
    pass a new virtual size asks for (that pass re-renders every widget on the screen for each new
    list, count or search key); else set it as Textual does, layout pass and all (the bar comes or
    goes), and set the bar too (the layout pass alone would leave it as it was). `repaint=False`:
    the widget repaints the lines that change itself (a list's count changes none of those shown)."""
    before = widget.virtual_size
    if size == before:
        return
    height = widget.container_size.height
    bar_stays = widget.styles.overflow_y != "auto" or (size.height > height) == (before.height > height)
    if widget.is_mounted and height and size.width == before.width and bar_stays:
        widget.set_reactive(type(widget).virtual_size, size)
        # (Textual's private Widget._scroll_update: no public call sets the bars for a new virtual
        # size without a layout pass; tests/tui/test_textual_private_api.py checks it)
        widget._scroll_update(size)
        if repaint:
            widget.refresh()
    else:
        widget.virtual_size = size
        if widget.is_mounted:
            widget._scroll_update(size)


class QuickScrollBar(ScrollBar):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._lines: LRUCache[tuple, list[Strip]] = LRUCache(KEPT)

    def _colours(self) -> tuple:
        """What ScrollBar.render paints with: (background, bar colour) as Rich colours."""
        styles = self.parent.styles
        if self.grabbed:
            background, color = styles.scrollbar_background_active, styles.scrollbar_color_active
        elif self.mouse_over:
            background, color = styles.scrollbar_background_hover, styles.scrollbar_color_hover
        else:
            background, color = styles.scrollbar_background, styles.scrollbar_color
        if background.a < 1:
            base_background, _ = self.parent.background_colors
            background = base_background + background
        color = background + color
        return background, color

    def render_lines(self, crop):
        thickness = self.thickness
        if not self.vertical or self.parent is None or self.screen.styles.scrollbar_color.a == 0:
            return super().render_lines(crop)
        background, color = self._colours()
        height = self.size.height
        virtual = ceil(self.window_virtual_size)
        window = ceil(self.window_size if self.window_size < self.window_virtual_size else 0)
        filters = tuple(self.get_line_filters())
        key = (height, virtual, window, self.position, thickness, background, color, filters)
        lines = self._lines.get(key)
        if lines is None:
            style = Style.from_color(color.rich_color, background.rich_color)
            bar = self.renderer.render_bar(size=height, virtual_size=virtual, window_size=window,
                                           position=self.position, thickness=thickness, vertical=True,
                                           back_color=style.bgcolor, bar_color=style.color)
            lines = []
            for segment in bar.segments:
                strip = Strip([segment], thickness)
                for line_filter in filters:
                    strip = strip.apply_filter(line_filter, background)
                lines.append(strip)
            self._lines[key] = lines
        out = [lines[y] if 0 <= y < len(lines) else Strip.blank(thickness) for y in crop.line_range]
        if crop.column_span != (0, thickness):
            x1, x2 = crop.column_span
            out = [strip.crop(x1, x2) for strip in out]
        return out


class QuickBars:
    """A mixin for a scrolling widget: its vertical scrollbar is a QuickScrollBar."""

    @property
    def vertical_scrollbar(self) -> QuickScrollBar:
        # (as Widget.vertical_scrollbar makes it, but a bar that keeps its drawn lines: Textual has
        # no public way to give a widget another scrollbar class, so this uses the same private
        # `_vertical_scrollbar` and App._start_widget as Textual's property; tests/tui/test_textual_private_api.py)
        if self._vertical_scrollbar is None:
            bar = QuickScrollBar(vertical=True, name="vertical", thickness=self.scrollbar_size_vertical)
            bar.display = False
            self._vertical_scrollbar = bar
            self.app._start_widget(self, bar)
        return self._vertical_scrollbar
