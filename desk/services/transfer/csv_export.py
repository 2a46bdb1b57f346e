"""`desk export --format csv --what incidents|requests`: one table as a spreadsheet.

Columns are the table's own (from its model); a foreign key is shown as what a person reads
for the row it points at (a group's code, an agent's login, a caller's name) under the field's
name. Text that a spreadsheet would run as a formula (starting with = + - @ or a tab/CR) is
written with a leading apostrophe, the usual guard: titles and notes come from callers and alerts.
"""

from __future__ import annotations

import csv
from collections.abc import Callable

from desk.domain.errors import ValidationError
from desk.services.transfer import spec as specs_
from desk.services.transfer.export import _q, converters, snapshot, stream

# --what NAME -> table (a table's own name is accepted as well)
WHAT = {"incidents": "incident", "requests": "service_request", "problems": "problem", "changes": "change"}
DISPLAY = ("code", "login", "name", "title")  # what a row pointed at is shown by, first found
FORMULA = ("=", "+", "-", "@", "\t", "\r")


def guard(value: str) -> str:
    return "'" + value if value.startswith(FORMULA) else value


def table_for(what: str) -> specs_.TableSpec:
    name = WHAT.get(what, what)
    for spec in specs_.specs():
        if spec.name == name:
            return spec
    raise ValidationError("transfer.csv_unknown", what=what, choices=", ".join(sorted(WHAT)))


def _display_map(db, table: str) -> dict:
    model = next(m for m in specs_.models() if m._meta.table_name == table)
    names = [f.column_name for f in model._meta.sorted_fields]
    show = next((n for n in DISPLAY if n in names), None)
    if show is None:
        return {}
    pk = model._meta.primary_key.column_name
    return dict(db.execute_sql(f"SELECT {_q(pk)}, {_q(show)} FROM {_q(table)}"))


def write_csv(desk, what: str, out, progress: Callable[[int, int], None] | None = None) -> int:
    """Write the table to the text stream `out`; returns the rows written."""
    spec = table_for(what)
    db = desk.db
    if not db.table_exists(spec.name):
        raise ValidationError("transfer.csv_unknown", what=what, choices=", ".join(sorted(WHAT)))
    writer = csv.writer(out, lineterminator="\r\n")
    header = [c[:-3] if c in spec.refs and c.endswith("_id") else c for c in spec.columns]
    writer.writerow(header)
    done = 0
    with snapshot(db):
        total = db.execute_sql(f"SELECT COUNT(*) FROM {_q(spec.name)}").fetchone()[0]
        maps = {c: _display_map(db, table) for c, table in spec.refs.items()}
        convert = converters(spec)
        cols = ", ".join(_q(c) for c in spec.columns)
        for row in stream(db, f"SELECT {cols} FROM {_q(spec.name)} ORDER BY {_q(spec.pk)}"):
            out_row = []
            for column, f, value in zip(spec.columns, convert, row):
                if value is not None and column in maps:
                    value = maps[column].get(value, value)
                if f is not None:
                    value = f(value)
                if value is None:
                    value = ""
                elif isinstance(value, str):
                    value = guard(value)
                out_row.append(value)
            writer.writerow(out_row)
            done += 1
            if progress and done % 5000 == 0:
                progress(done, total)
    if progress:
        progress(done, max(done, 1))
    return done
