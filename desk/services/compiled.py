"""SQL compiled once per database handle for the hot paths (every transition, every detail).

Peewee builds SQL text in Python on every execution — about 1 ms for the 40-column incident row,
more than SQLite takes to run it. These helpers ask peewee for the text once (with placeholder
values), keep it on the Desk handle, and bind fresh parameters each time, converted by the
fields' own `db_value` / `python_value`, so the rows are what peewee itself would produce.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

# (patterns compiled at their first use, by re's own cache: this module is read before desk's first
# frame, which uses none of them)
_SET = r'"(\w+)" = (?:\?|%s)'
_INSERT_COLUMNS = r'INSERT INTO "?\w+"? \(([^)]*)\)'


def compiled(desk, key, build: Callable, nparams: int | None = None) -> str:
    """The SQL text of `build()` (a peewee query), built on first use for this handle.
    Callers pass every parameter peewee put in the text (LIMIT 1 is one too), in order."""
    cache = desk.cache.setdefault("sql", {})
    hit = cache.get(key)
    if hit is None:
        sql, params = build().sql()
        hit = cache[key] = (sql, len(params))
    if nparams is not None and nparams != hit[1]:
        raise ValueError(f"{key!r} takes {hit[1]} parameters, {nparams} given")
    return hit[0]


def fetch_fixed(desk, key, build: Callable) -> list:
    """All rows of a query that takes nothing from its caller (its values are part of `build()`):
    the text and the values peewee gives, both kept on first use for this handle."""
    cache = desk.cache.setdefault("sql_fixed", {})
    hit = cache.get(key)
    if hit is None:
        sql, params = build().sql()
        hit = cache[key] = (sql, tuple(params))
    return desk.db.execute_sql(hit[0], hit[1]).fetchall()


def fetch_one(desk, key, build: Callable, params: Sequence):
    return desk.db.execute_sql(compiled(desk, key, build, len(params)), params).fetchone()


def fetch_all(desk, key, build: Callable, params: Sequence) -> list:
    return desk.db.execute_sql(compiled(desk, key, build, len(params)), params).fetchall()


def to_python(fields, row) -> dict:
    return {f.name: (f.python_value(v) if v is not None else None) for f, v in zip(fields, row)}


def set_columns(sql: str) -> list[str]:
    """Column names of an UPDATE's SET clause in the order peewee wrote them (it sorts them)."""
    return re.findall(_SET, sql.split(" WHERE ", 1)[0])


def insert_columns(sql: str) -> list[str]:
    match = re.search(_INSERT_COLUMNS, sql)
    return [c.strip().strip('"') for c in match.group(1).split(",")] if match else []
