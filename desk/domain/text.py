"""Untrusted text made safe to show: one place that neutralises terminal control characters.

Kept: tab and newline. Replaced with a visible stand-in: the other C0 controls (as their
Unicode control pictures, e.g. ESC -> ␛), DEL (␡), C1 controls and bidi overrides/isolates
(as U+FFFD) — so ESC]52 (clipboard), ESC[2J (clear) or U+202E cannot act on the terminal.
Markup is a separate matter: callers build Text/Content objects, never parse this as markup.
"""

from __future__ import annotations

_BIDI = [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]


def _table() -> dict[int, str]:
    table: dict[int, str] = {}
    for code in range(0x00, 0x20):
        if code not in (0x09, 0x0A):
            table[code] = chr(0x2400 + code)
    table[0x7F] = "\u2421"
    for code in range(0x80, 0xA0):
        table[code] = "\ufffd"
    for code in _BIDI:
        table[code] = "\ufffd"
    return table


_TABLE = _table()
_ONE_LINE = {**_TABLE, 0x09: " ", 0x0A: " "}


def neutralise(text: str | None) -> str:
    """Safe for a multi-line view (tabs and newlines kept)."""
    if not text:
        return ""
    return text.translate(_TABLE)


def one_line(text: str | None, limit: int | None = None) -> str:
    """Safe for a table cell: also folds tabs and newlines to spaces, optionally truncated."""
    if not text:
        return ""
    out = text.translate(_ONE_LINE)
    if limit is not None and len(out) > limit:
        out = out[: max(limit - 1, 0)] + "…"
    return out
