"""Text laid out in pieces that a line break never splits: a checklist's "○ caller" items, an SLA
value's "breached", "9d06 over" and "(due 2026-11-28 23:45)". Rich wraps at any space, so at 80
columns the "○" ended one line and its word began the next, and the due time came apart from its
label; here the pieces are packed greedily on lines of the width given, a break only between two
pieces (the wallboard's agents line does the same, desk/screens/board.py). A piece wider than a
whole line has a line of its own, where it folds.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from rich.text import Text
from textual import events
from textual.widgets import Static


@dataclass(frozen=True)
class Packed:
    """A heading (its own trailing space, if it wants one), then pieces separated by `sep`,
    broken between pieces only."""

    pieces: tuple[Text, ...]
    head: Text = field(default_factory=Text)
    sep: str = "  "


def pack(packed: Packed, width: int) -> list[Text]:
    """The lines of `packed` at `width` cells (0: one line)."""
    *above, line = packed.head.split("\n", allow_blank=True) if "\n" in packed.head.plain else [packed.head.copy()]
    lines: list[Text] = list(above)  # (a heading's first lines, a blank one above it, are lines of their own)
    first = True  # (no separator between the heading and the first piece)
    for piece in packed.pieces:
        gap = "" if first else packed.sep
        if width and line.cell_len and line.cell_len + len(gap) + piece.cell_len > width:
            lines.append(line)
            line, gap = Text(), ""
        line.append(gap)
        line.append_text(piece)
        first = False
    lines.append(line)
    for out in lines:
        out.end = ""
    return lines


def joined(packed: Packed, width: int) -> Text:
    """The lines of `packed` at `width` cells as one Text."""
    return Text("\n").join(pack(packed, width))


class PackedStatic(Static):
    """A Static showing a Packed at its own width: laid out again when it is resized."""

    def __init__(self, packed: Packed | None = None, **kwargs) -> None:
        super().__init__(**kwargs)
        self.packed = packed or Packed(())

    def show(self, packed: Packed) -> None:
        self.packed = packed
        self._lay_out()

    def on_resize(self, event: events.Resize) -> None:
        self._lay_out()

    def _lay_out(self) -> None:
        width = self.content_region.width if self.is_mounted else 0
        self.update(joined(self.packed, width))
