"""What a kind of record tells the list machinery about itself: a `ListSpec`.

Two halves, so that a list can be read before Textual (or rich) is imported:

- `ListSpec` (this module, no UI import): the kind, the history entities whose rows touch it, its
  views and sorts, its filter (built from a parsed filter bar line), its row query (context,
  count, window, iter_ids, rows), its actions and which of them act on every marked row.
- `TableSpec` (named by `ListSpec.table` as "module:attribute", imported by the table widget):
  its columns with widths, the order they give way in a narrow terminal, and its cells.

A row is any NamedTuple with `id` (an int) and, if the kind has one, `version` (an int that goes
up with every change: rendered lines are cached by it; a kind without it is cached by the whole
row, so a change still repaints).
"""

# (no `from __future__ import annotations`: under it each NamedTuple field's annotation is a string
# that typing compiles when the class is made, ~9 µs a field, and this module is read before desk's
# first frame: tests/test_startup.py)

from collections.abc import Callable, Mapping
from importlib import import_module
from typing import Any, NamedTuple


class ListSpec(NamedTuple):
    kind: str  # the entity name, as in history rows and saved views ("incident")
    views: tuple[str, ...]  # view codes; labels are t(f"{view_label}{view}")
    sorts: tuple[str, ...]  # sort codes in the order `s` cycles them; the first is the default
    context: Callable[..., Any]  # (desk, login) -> the query context (who is looking, when)
    make_filter: Callable[..., Any]  # (view, ParsedFilter) -> the kind's filter value (hashable)
    count: Callable[..., int]  # (filter, ctx) -> rows matching
    window: Callable[..., list[int]]  # (filter, ctx, sort, offset, limit, descending) -> ids in order
    iter_ids: Callable[..., Any]  # (filter, ctx, sort, descending) -> chunks (lists) of every id in order
    rows: Callable[..., list]  # (desk or None, ids) -> rows in the order given, missing ids skipped
    vocabulary: Callable[..., Any]  # (config) -> desk.domain.filter_terms.Vocabulary for the filter bar
    table: str  # "module:attribute" of the TableSpec
    entities: frozenset[str] = frozenset()  # history entities whose rows repaint a row (default: {kind})
    actions: Mapping[str, str] = {}  # action -> default key
    bulk: frozenset[str] = frozenset()  # actions that act on every marked row (others: the cursor row)
    permissions: Mapping[str, str] = {}  # action -> the permission it needs (desk.domain.permissions)
    allowed_from: Mapping[str, frozenset] = {}  # action -> the statuses a row must be in (greyed otherwise)
    status_label: str = ""  # message key prefix of status names ("": the config's `status` code table)
    rowless: frozenset[str] = frozenset()  # actions that need no row under the cursor ("new")
    view_label: str = "tui.view."  # message key prefix of view names
    sort_label: str = "tui.sort."  # ... of sort names
    key_label: str = "tui.key."  # ... of action names (bindings, help, palette)
    filter_hint: str = "tui.filter.hint"  # message key of the filter bar's help line (the terms the list takes)
    filter_placeholder: str = "tui.filter.placeholder"  # ... of its empty field's example (terms the list takes)

    @property
    def watched(self) -> frozenset[str]:
        return self.entities or frozenset({self.kind})

    def table_spec(self) -> "TableSpec":
        module, _, name = self.table.partition(":")
        return getattr(import_module(module), name)

    def status_name(self, status: str, config, lang: str) -> str:
        """A status of the kind in the user's words."""
        from desk.i18n import t

        if self.status_label:
            return t(f"{self.status_label}{status}", lang)
        return config.label("status", status, lang)

    def next_sort(self, sort: str) -> str:
        sorts = self.sorts
        return sorts[(sorts.index(sort) + 1) % len(sorts)] if sort in sorts else sorts[0]


class Column(NamedTuple):
    key: str  # the cell's key ("mark" is the table's own: the marked-row star)
    label: str  # message key of the header ("" : none)
    width: int | None = None  # cells; None: flexible (takes a share of what the fixed ones leave)
    right: bool = False  # right-aligned
    sort: str | None = None  # a click on the header sorts by this
    min: int = 0  # flexible columns: narrower than this, a column in `drop` gives way
    max: int = 0  # flexible columns other than the first: at most this (0: no limit)
    share: tuple[int, int] = (0, 1)  # flexible columns other than the first: this fraction of the room


class TableSpec(NamedTuple):
    columns: tuple[Column, ...]  # in display order
    drop: tuple[str, ...]  # the order columns give way when the first flexible one gets too narrow
    # (env, row, column key, width, now) -> (text, style name or None); text is plain (never markup)
    cell: Callable[..., tuple[str, str | None]]
    # (env, id digits) -> {column key: width} for columns whose width depends on labels or data
    widths: Callable[..., dict[str, int]] | None = None
    styles: tuple[str, ...] = ()  # style names `cell` may return (component classes of the table)
    # sort -> (column, cell key, label key): while the list is sorted by a key no column shows, one
    # column shows that key's cells under its own label instead, and carries the sort marker
    while_sorted: Mapping[str, tuple[str, str, str]] = {}


class CellEnv:
    """What cells are computed with: the config, the language, and memos of labels and targets."""

    __slots__ = ("config", "lang", "_memo")

    def __init__(self, config, lang: str) -> None:
        self.config, self.lang = config, lang
        self._memo: dict = {}

    def label(self, table: str, code) -> str:
        key = ("label", table, code)
        value = self._memo.get(key)
        if value is None:
            value = self._memo[key] = self.config.label(table, code, self.lang) if code not in ("", None) else ""
        return value

    def memo(self, key, compute: Callable[[], Any]):
        if key not in self._memo:
            self._memo[key] = compute()
        return self._memo[key]
