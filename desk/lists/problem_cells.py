"""The problem queue's columns and cells (the TableSpec of desk.lists.problem)."""

from __future__ import annotations

from datetime import timedelta

from rich.cells import cell_len

from desk.domain.text import one_line
from desk.i18n import t
from desk.lists.layout import capital, compact, person_cell
from desk.lists.spec import Column, TableSpec

COLUMNS = (
    Column("mark", "", 1),
    Column("id", "problem.col.id", 4, right=True),
    Column("priority", "problem.col.priority", 1, sort="priority"),
    Column("status", "problem.col.status", 12),
    Column("title", "problem.col.title", min=24),
    Column("service", "problem.col.service", min=8, max=16, share=(1, 4)),
    Column("incidents", "problem.col.incidents", 4, right=True),
    Column("owner", "problem.col.owner", 10),
    Column("age", "col.age", 5, right=True, sort="age"),
)


def _status(env, code: str) -> str:
    return env.memo(("problem.status", code), lambda: capital(t(f"problem.status.{code}", env.lang)))


def widths(env, id_digits: int) -> dict[str, int]:
    lang = env.lang
    status = max(cell_len(_status(env, c)) for c in ("new", "under_investigation", "root_cause_known",
                                                     "known_error", "resolved", "closed"))
    out = {"id": max(id_digits, cell_len(t("problem.col.id", lang))),
           "status": min(max(status, cell_len(t("problem.col.status", lang))), 14),
           "incidents": max(4, cell_len(t("problem.col.incidents", lang)))}
    for column in COLUMNS:
        if column.sort:
            out[column.key] = max(out.get(column.key, column.width), cell_len(t(column.label, lang)) + 1)
    return out


def cell(env, row, column: str, width: int, now):
    if column == "id":
        return str(row.id), None
    if column == "priority":
        return str(row.priority), f"p{row.priority}"
    if column == "status":
        return _status(env, row.status), ("dim" if row.status in ("resolved", "closed") else None)
    if column == "title":
        return one_line(row.title[: width * 2 + 2], width * 2 + 1), None
    if column == "service":  # (a code: named as users read it elsewhere, in the catalogue and the detail)
        return one_line(env.label("service", row.service), 40), None
    if column == "incidents":
        return str(row.incidents), (None if row.incidents else "dim")
    if column == "owner":
        return person_cell(row.owner)
    if column == "age":
        return compact(max(now - row.opened_at, timedelta(0))), "dim"
    return "", None


TABLE = TableSpec(COLUMNS, ("service", "age", "owner", "incidents"), cell, widths, ("p1", "p2", "p4", "dim"))
