"""A tree and a text field that tell their screen of a change while they make it, so that what
the screen changes in answer (a list filtered, an entry shown) goes out in the same frame.

Textual's own path is a message (Tree.NodeHighlighted, Input.Changed) that reaches the screen
after the widget has asked for its own repaint: that repaint goes out in a frame alone, and the
screen's answer waits for Textual's next frame, 17-33 ms later (its update timer, resumed after
a pause, ticks at once and then skips to the second frame boundary). The catalogue's tree and
search keys cost ~43 ms at any size on an idle machine for that reason (figure 12, 2026-12-07).
Both hooks are public reactive watchers; the messages still go out for anyone else listening."""

from __future__ import annotations

from typing import Callable

from textual.geometry import Size
from textual.reactive import Reactive
from textual.widgets import Input, Tree

from desk.widgets.scrollbar import QuickBars


class SameFrameTree(QuickBars, Tree):
    """`moved(node)` is called in the turn the cursor moves to another node (its scrollbar keeps
    its drawn lines: desk.widgets.scrollbar)."""

    moved: Callable | None = None

    def watch_cursor_line(self, previous_line: int, line: int) -> None:
        before = self.cursor_node
        super().watch_cursor_line(previous_line, line)
        node = self.cursor_node
        if self.moved is not None and node is not None and node is not before and self.is_mounted:
            self.moved(node)


class SameFrameInput(Input):
    """`changed(value)` is called in the turn the value changes (typed, pasted or set).

    Its virtual size (the text's width, which Input sets on every key) repaints the field only:
    Widget's own `virtual_size` asks for a layout pass of the whole screen, so each key typed
    re-rendered every widget on it (the catalogue's tree, list, entry and their scrollbars), more
    of them the bigger the catalogue (figure 12). Nothing else depends on it: the field's box is
    set by its styles (Input asks for its own layout pass when its width is `auto`) and its
    scrollbars are off."""

    changed: Callable[[str], None] | None = None
    virtual_size = Reactive(Size(0, 0), layout=False)

    def watch_value(self, value: str) -> None:
        if self.changed is not None and self.is_mounted:
            self.changed(value)
