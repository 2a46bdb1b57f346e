"""Fitting a kind's columns to a terminal's width, and fitting text to a column (no UI import)."""

from __future__ import annotations

from datetime import timedelta
from typing import NamedTuple

from rich.cells import cell_len, set_cell_size

from desk.domain.sla import format_duration
from desk.domain.text import one_line
from desk.history_labels import capital  # noqa: F401  (the lists' cells say their words as the histories do)


class Layout(NamedTuple):
    width: int
    cells: tuple[tuple[str, int], ...]  # (column, width), a space between each

    @property
    def keys(self) -> tuple[str, ...]:
        return tuple(k for k, _ in self.cells)

    def column_at(self, x: int) -> str | None:
        pos = 0
        for key, width in self.cells:
            if pos <= x < pos + width + 1:
                return key
            pos += width + 1
        return None


def plan_layout(width: int, fixed: dict[str, int], spec) -> Layout:
    """Fit `spec`'s columns (a TableSpec) to `width` cells: fixed columns keep their width, the
    flexible ones share the rest; when they would get narrower than their minimums, columns give
    way in `spec.drop` order. The first flexible column takes what the others leave."""
    flexible = {c.key: c for c in spec.columns if c.width is None and c.key not in fixed}
    columns = [c.key for c in spec.columns]
    free = width
    for drop in (None, *spec.drop):
        if drop is not None and drop in columns:
            columns.remove(drop)
        used = sum(fixed.get(c, 0) for c in columns if c not in flexible) + len(columns) - 1
        free = width - used
        if free >= sum(flexible[c].min for c in columns if c in flexible):
            break
    free = max(free, 4)
    widths = dict(fixed)
    shown = [c for c in columns if c in flexible]
    rest = free
    for key in shown[1:]:
        column = flexible[key]
        share = free * column.share[0] // column.share[1]
        widths[key] = max(column.min, min(column.max, share) if column.max else share)
        rest -= widths[key]
    if shown:
        widths[shown[0]] = rest
    return Layout(width, tuple((c, widths.get(c, 0)) for c in columns))


NOBODY = "—"


def person_cell(login: str | None) -> tuple[str, str | None]:
    """A person column (assignee, owner, handler): the login, or a dimmed dash when nobody holds the
    row (blank read as a column not yet drawn), as the CLI and the detail print it."""
    return (one_line(login, 40), None) if login else (NOBODY, "dim")


def compact(delta: timedelta | None) -> str:
    """At most six cells: '45m', '5h07', '3d04', '-111d' (days alone from ten days on)."""
    if delta is None:
        return ""
    sign = "-" if delta < timedelta(0) else ""
    delta = abs(delta)
    if delta >= timedelta(days=10):
        return f"{sign}{delta.days}d"
    return sign + format_duration(delta)


def fit(text: str, width: int, right: bool) -> str:
    """Exactly `width` cells (double-width characters count two), truncated with an ellipsis."""
    if width <= 0:
        return ""
    length = len(text) if text.isascii() else cell_len(text)
    if length > width:
        return set_cell_size(text, width - 1) + "…" if width > 1 else set_cell_size(text, width)
    if right:
        return " " * (width - length) + text
    return text + " " * (width - length)


def label_width(env, table: str, header: str, cap: int) -> int:
    """The widest label of a code table (or the header), at most `cap` cells."""
    from desk.i18n import t

    widest = max([cell_len(env.label(table, c)) for c in env.config.codes(table)] + [cell_len(t(header, env.lang))])
    return min(widest, cap)
