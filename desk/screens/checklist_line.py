"""The 200.2 checklist as one packed line of items, "✔ caller" or "○ symptoms": the new-incident
form's and the incident detail's. Each item (its mark and its words) is one piece that a line break
never splits (desk/widgets/packed.py): at 80 columns rich wrapped "○" apart from "impact"."""

from __future__ import annotations

from collections.abc import Iterable

from rich.text import Text

from desk.i18n import t
from desk.widgets.packed import Packed


def checklist_items(head: Text, items: Iterable[tuple[str, bool]], lang: str, sep: str = "  ") -> Packed:
    """`head` then each (item key, done) as its mark and label."""
    pieces = []
    for key, done in items:
        piece = Text(end="")
        piece.append("✔ " if done else "○ ", style="green" if done else "yellow")
        piece.append(t(f"checklist.{key}", lang), style="" if done else "dim")
        pieces.append(piece)
    return Packed(tuple(pieces), head=head, sep=sep)
