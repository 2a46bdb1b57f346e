"""What an export carries, derived from the models: one TableSpec per table of
`desk.models.ALL_MODELS`, in foreign-key order, except the tables EXCLUDED names (with the reason).

For each table the spec knows its columns, its foreign keys (which table each one points at:
an import maps them), its natural key (a unique index over columns that may not be NULL: how an
import recognises a row the target desk already has, such as a group's code or an agent's login),
and whether it refers to a record softly (`entity` + `entity_id`, as history and refusals do).
Nothing here names a table but the exclusions: a model added to ALL_MODELS is exported as it is.
"""

from __future__ import annotations

from dataclasses import dataclass

from peewee import BooleanField, DateField, DateTimeField, ForeignKeyField, TimeField, sort_models

# Tables an export leaves out, and why (docs/export-format.md lists them too).
EXCLUDED = {
    "setting": "this database's own settings (schema version, desk id): they describe the database, not its work",
    "transfer_origin": "where imported rows came from: each exported row carries its origin instead",
}
# Tables that are indexes desk rebuilds from exported rows (SQLite's title search; the reports'
# per-day summary and its change markers, which the imported incidents' triggers mark again).
DERIVED_PREFIXES = ("incident_fts", "problem_fts", "change_fts", "report_day")
# Rows that copy other rows: once an import has read a table named here, the function named
# (module:function, called with the desk inside the import's transaction; it returns how many rows
# of the second table it brought up to date) makes the copies follow what was imported. A service
# row copies its newest catalogue version, and this desk's row of a service is kept as it is here.
FOLLOW: dict[str, tuple[str, str]] = {"service_version": ("service", "desk.services.catalogue_load:follow_newest")}
# A soft reference's `entity` names a table (history's "incident" is the incident table) unless named here.
# (tests/transfer/test_export.py checks every kind's ENTITY in desk/services against the tables)
ENTITY_TABLES: dict[str, str] = {"request": "service_request", "catalogue": "service",
                                 "requirement": "catalogue_requirement"}


@dataclass(frozen=True)
class TableSpec:
    name: str
    model: type
    columns: tuple[str, ...]  # every column, the primary key first
    refs: dict  # column -> the table it points at (foreign keys, and ids kept without one: desk.models.base.IdOf)
    natural_key: tuple[str, ...] | None  # columns of a unique key over NOT NULL columns
    soft_ref: bool  # has `entity` and `entity_id` columns (history, refusals)
    auto_id: bool  # the primary key is an integer id the database assigns
    times: frozenset[str]  # date/time columns
    flags: frozenset[str]  # boolean columns
    versioned: bool  # has a `version` column (records users change)
    chained: bool  # a hash-chained log: soft reference, `seq`, `prev_hash`, `hash` (history)
    origin_column: bool  # keeps its rows' origin in its own `origin` column (incidents)
    nullable_unique: tuple[str, ...]  # unique columns that may be NULL (an alert's open key)

    @property
    def pk(self) -> str:
        return self.columns[0]


def _natural_key(model) -> tuple[str, ...] | None:
    meta = model._meta
    by_name = {f.name: f for f in meta.sorted_fields}
    candidates = []
    for field in meta.sorted_fields:
        if field.unique and not field.primary_key:
            candidates.append((field.name,))
    for names, unique in meta.indexes:
        if unique:
            candidates.append(tuple(names))
    for names in candidates:
        fields = [by_name.get(n) for n in names]
        if all(f is not None and not f.null for f in fields):
            return tuple(f.column_name for f in fields)
    return None


def table_spec(model) -> TableSpec:
    meta = model._meta
    fields = list(meta.sorted_fields)
    pk = meta.primary_key
    fields.sort(key=lambda f: f is not pk)  # the key first, the rest in declaration order
    names = {f.column_name for f in fields}
    return TableSpec(
        name=meta.table_name,
        model=model,
        columns=tuple(f.column_name for f in fields),
        refs={f.column_name: f.rel_model._meta.table_name if isinstance(f, ForeignKeyField) else f.refers_to
              for f in fields if isinstance(f, ForeignKeyField) or getattr(f, "refers_to", None)},
        natural_key=_natural_key(model),
        soft_ref={"entity", "entity_id"} <= names,
        auto_id=pk.field_type == "AUTO",
        times=frozenset(f.column_name for f in fields if isinstance(f, (DateTimeField, DateField, TimeField))),
        flags=frozenset(f.column_name for f in fields if isinstance(f, BooleanField)),
        versioned="version" in names,
        chained={"entity", "entity_id", "seq", "prev_hash", "hash"} <= names,
        origin_column="origin" in names,
        nullable_unique=tuple(f.column_name for f in fields if f.unique and f.null and f.column_name != "origin"),
    )


def models() -> list:
    from desk.models import ALL_MODELS

    return sort_models(ALL_MODELS)


def _referenced_first(out: list[TableSpec]) -> list[TableSpec]:
    """The tables in their order, each moved after the tables it refers to (sort_models knows
    foreign keys only, not the ids kept without one): an import maps a table's ids before it reads
    the rows that refer to them."""
    names = {s.name for s in out}
    placed: set[str] = set()
    ordered, pending = [], list(out)
    while pending:
        for i, s in enumerate(pending):
            if all(t in placed or t == s.name or t not in names for t in s.refs.values()):
                ordered.append(pending.pop(i))
                placed.add(s.name)
                break
        else:  # (a cycle: the rest as they were)
            ordered += pending
            break
    return ordered


def specs() -> list[TableSpec]:
    """Every exported table, referenced tables before the tables that point at them, and tables
    that refer to records softly (history, refusals) after every other."""
    out = _referenced_first([table_spec(m) for m in models() if m._meta.table_name not in EXCLUDED])
    return [s for s in out if not s.soft_ref] + [s for s in out if s.soft_ref]


def entity_table(entity: str) -> str:
    return ENTITY_TABLES.get(entity, entity)


def derived(table: str) -> bool:
    return table.startswith(DERIVED_PREFIXES)
