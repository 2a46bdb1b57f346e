"""The catalogue inboxes' columns and cells (the TableSpecs of desk.lists.catalogue_inbox)."""

from __future__ import annotations

from datetime import timedelta

from rich.cells import cell_len

from desk.domain import catalogue as rules
from desk.domain.text import one_line
from desk.i18n import t
from desk.lists.layout import capital, compact
from desk.lists.spec import Column, TableSpec

DRAFT_COLUMNS = (
    Column("mark", "", 1),
    Column("id", "catalogue.col.id", 4, right=True),
    Column("kind", "catalogue.col.kind", 8),
    Column("status", "catalogue.col.status", 10),
    Column("code", "catalogue.col.code", 16),
    Column("name", "catalogue.col.name", min=20),
    Column("author", "catalogue.inbox.col.author", 10),
    Column("updated", "catalogue.col.updated", 5, right=True, sort="updated"),
)
REQUIREMENT_COLUMNS = (
    Column("mark", "", 1),
    Column("id", "catalogue.col.id", 4, right=True),
    Column("status", "catalogue.col.status", 8),
    Column("title", "catalogue.col.title", min=20),
    Column("service", "catalogue.col.service", min=8, max=16, share=(1, 4)),
    Column("source", "catalogue.col.source", min=8, max=16, share=(1, 4)),
    Column("raised_by", "catalogue.inbox.col.raised_by", 10),
    Column("age", "col.age", 5, right=True, sort="age"),
)
_STYLES = {"in_review": "near", "returned": "p2", "approved": "met", "published": "dim", "withdrawn": "dim",
           "rejected": "dim", "accepted": "dim"}


def _label(env, prefix: str, code) -> str:
    """A kind or status as a list cell shows it: a label, capital first ('Open', 'In review'), as
    the problem and change lists show theirs."""
    return env.memo((prefix, code), lambda: capital(t(f"{prefix}{code}", env.lang)) if code else "")


def _widest(env, prefix: str, codes, header: str, most: int) -> int:
    return min(max([cell_len(_label(env, prefix, c)) for c in codes] + [cell_len(t(header, env.lang))]), most)


def draft_widths(env, id_digits: int) -> dict[str, int]:
    return {"id": max(id_digits, cell_len(t("catalogue.col.id", env.lang))),
            "kind": _widest(env, "catalogue_draft.kind.", rules.DRAFT_KINDS, "catalogue.col.kind", 10),
            "status": _widest(env, "catalogue_draft.status.", rules.DRAFT_STATUSES, "catalogue.col.status", 12),
            "updated": max(5, cell_len(t("catalogue.col.updated", env.lang)) + 1)}


def requirement_widths(env, id_digits: int) -> dict[str, int]:
    return {"id": max(id_digits, cell_len(t("catalogue.col.id", env.lang))),
            "status": _widest(env, "requirement.status.", rules.REQUIREMENT_STATUSES, "catalogue.col.status", 10),
            "age": max(5, cell_len(t("col.age", env.lang)) + 1)}


def draft_cell(env, row, column: str, width: int, now):
    if column == "id":
        return str(row.id), None
    if column == "kind":
        return _label(env, "catalogue_draft.kind.", row.kind), ("p1" if row.kind == "retire" else None)
    if column == "status":
        return _label(env, "catalogue_draft.status.", row.status), _STYLES.get(row.status)
    if column == "code":
        return one_line(row.code, 64), None
    if column == "name":
        return one_line(row.name(env.lang), 200), None
    if column == "author":
        return one_line(row.author, 40), None
    if column == "updated":
        return compact(max(now - row.updated_at, timedelta(0))), "dim"
    return "", None


def requirement_cell(env, row, column: str, width: int, now):
    if column == "id":
        return str(row.id), None
    if column == "status":
        return _label(env, "requirement.status.", row.status), _STYLES.get(row.status)
    if column == "title":
        return one_line(row.title[: width * 2 + 2], width * 2 + 1), None
    if column == "service":
        if not row.service:
            return t("catalogue.inbox.new_service", env.lang), "dim"
        return one_line(env.label("service", row.service), 64), None  # by its name, as the change list's
    if column == "source":
        return one_line(row.source, 80), None
    if column == "raised_by":
        return one_line(row.raised_by, 40), None
    if column == "age":
        return compact(max(now - row.created_at, timedelta(0))), "dim"
    return "", None


DRAFT_TABLE = TableSpec(DRAFT_COLUMNS, ("author", "kind", "code", "updated"), draft_cell, draft_widths,
                        ("p1", "p2", "near", "met", "dim"))
REQUIREMENT_TABLE = TableSpec(REQUIREMENT_COLUMNS, ("source", "raised_by", "service", "age"), requirement_cell,
                              requirement_widths, ("near", "dim"))
