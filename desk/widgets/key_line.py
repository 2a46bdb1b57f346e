"""A line of keys that wraps between keys, never inside one (the report review screen's key line:
at 80 columns, and in Chinese, every key stays readable on a second line instead of being cut).

The text is a message whose keys are separated by three spaces ("↑↓ report   g generate   …");
each `key label` group is kept whole and the groups are laid out greedily on as many lines as
the widget's width needs (terminal cells: a Chinese character takes two). Give it `height: auto`.
"""

from __future__ import annotations

from rich.cells import cell_len
from rich.text import Text
from textual import events
from textual.widgets import Static

SEPARATOR = "   "


def wrap_groups(text: str, width: int) -> list[str]:
    """The key groups of `text` on lines of at most `width` cells (a group wider than the width
    gets a line of its own, cut by the terminal rather than split)."""
    lines: list[str] = []
    for group in (g.strip() for g in text.split(SEPARATOR)):
        if not group:
            continue
        if lines and cell_len(lines[-1] + SEPARATOR + group) <= width:
            lines[-1] += SEPARATOR + group
        else:
            lines.append(group)
    return lines


class KeyLine(Static):
    def __init__(self, text: str, *, style: str = "dim", **kwargs) -> None:
        super().__init__(Text(text, style=style), **kwargs)
        self.keys_text, self.keys_style = text, style

    def on_resize(self, event: events.Resize) -> None:
        width = max(1, self.content_region.width or event.size.width)
        self.update(Text("\n".join(wrap_groups(self.keys_text, width)), style=self.keys_style))
