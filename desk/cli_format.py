"""Plain-text output for the CLI: aligned columns that respect double-width (CJK) cells, and
untrusted text neutralised before it reaches the terminal."""

from __future__ import annotations

import unicodedata

from desk.domain.text import one_line


def cell_width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(ch) in ("W", "F") else 0 if unicodedata.combining(ch) else 1
               for ch in text)


def fit(text: str, width: int) -> str:
    """Truncate (with "…") or pad `text` to exactly `width` cells. A double-width character that
    would straddle the end is left out and the gap padded: the next column stays in line."""
    if width <= 0:
        return ""
    used = cell_width(text)
    if used <= width:
        return text + " " * (width - used)
    out, used = [], 0
    for ch in text:
        w = cell_width(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…" + " " * (width - 1 - used)


def table(headers: list[str], rows: list[list[str]], widths: list[int | None]) -> str:
    """`None` width means: as wide as the widest value (the last column is never padded)."""
    cleaned = [[one_line(str(v)) for v in row] for row in rows]
    resolved = []
    for i, w in enumerate(widths):
        natural = max([cell_width(headers[i])] + [cell_width(r[i]) for r in cleaned])
        resolved.append(min(w, natural) if w else natural)
    lines = []
    for row in [headers] + cleaned:
        cells = [fit(v, resolved[i]) if i < len(row) - 1 else fit(v, resolved[i]).rstrip() for i, v in enumerate(row)]
        lines.append("  ".join(cells).rstrip())
    return "\n".join(lines)
