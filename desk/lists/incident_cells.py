"""The incident queue's columns and cells (the TableSpec of desk.lists.incident)."""

from __future__ import annotations

from datetime import timedelta

from rich.cells import cell_len

from desk.domain.incident_flow import OPEN
from desk.domain.sla_clock import PAUSED
from desk.domain.text import one_line
from desk.i18n import t
from desk.lists.layout import compact, label_width, person_cell
from desk.lists.spec import Column, TableSpec
from desk.services.sla_terms import cached_terms
from desk.services.sla_views import clock_of

COLUMNS = (
    Column("mark", "", 1),
    Column("id", "col.id", right=True, width=4),
    Column("priority", "col.priority", 1, sort="priority"),
    Column("status", "col.status", 12),
    Column("sla", "col.sla", 6, right=True, sort="sla"),
    Column("title", "col.title", min=24),
    Column("caller", "col.caller", min=14, max=40, share=(2, 5)),
    Column("group", "col.group", 14),
    Column("assignee", "col.assignee", 10),
    Column("age", "col.age", 5, right=True, sort="age"),
)
# Sorted by last update (no column of its own): the Age column shows how long each incident has
# been idle, under the sort marker.
WHILE_SORTED = {"updated": ("age", "idle", "col.idle")}
_SLA_STYLES = {"breached": "breached", "warning": "near", "met": "met"}


def widths(env, id_digits: int) -> dict[str, int]:
    lang = env.lang
    out = {
        "id": max(id_digits, cell_len(t("col.id", lang))),
        "status": label_width(env, "status", "col.status", 12),
        "group": label_width(env, "group", "col.group", 14),
    }
    for column in COLUMNS:  # room for the label and the sort arrow
        if column.sort:
            out[column.key] = max(out.get(column.key, column.width), cell_len(t(column.label, lang)) + 1)
    for column, _cells, label in WHILE_SORTED.values():  # (and the label shown in its place)
        out[column] = max(out[column], cell_len(t(label, lang)) + 1)
    return out


def row_clock(env, row, now):
    """The row's resolution clock (desk.services.sla_views.RowClock) on the terms the reading
    thread warmed: its catalogue version's targets and hours, else its service's (no database)."""
    terms = cached_terms(env.config, getattr(row, "service_id", None), getattr(row, "service_version_id", None))
    return clock_of(env.config, terms, status=row.status, priority=row.priority, due_at=row.due_at,
                    resolved_at=row.resolved_at, open_statuses=OPEN, now=now)


def sla_text(got) -> str:
    """The SLA cell: business time left, or over ('-' first); '‖' for a held clock."""
    if got.state == PAUSED:
        return "‖"
    return compact(timedelta(seconds=got.remaining)) if got.remaining is not None else ""


def cell(env, row, column: str, width: int, now):
    if column == "id":
        return str(row.id), None
    if column == "priority":
        return str(row.priority), f"p{row.priority}"
    if column == "status":
        return env.label("status", row.status), None
    if column == "sla":  # the SLA engine's clock: business time left or over, held clocks marked
        got = row_clock(env, row, now)
        return sla_text(got), (_SLA_STYLES.get(got.state) if got.state != PAUSED else "dim")
    if column == "title":
        return one_line(row.title[: width * 2 + 2], width * 2 + 1), None
    if column == "caller":
        caller, org = one_line(row.caller, 80), one_line(row.organisation, 80)
        return (f"{caller} · {org}" if caller and org else caller or org), None
    if column == "group":
        return one_line(env.label("group", row.group), 40), None
    if column == "assignee":
        return person_cell(row.assignee)
    if column == "age":
        return compact(max(now - row.opened_at, timedelta(0))), "dim"
    if column == "idle":  # time since the last change (the Age column's place, sorted by last update)
        return compact(max(now - row.updated_at, timedelta(0))), "dim"
    return "", None


TABLE = TableSpec(COLUMNS, ("caller", "group", "age", "assignee", "status"), cell, widths,
                  ("p1", "p2", "p4", "breached", "near", "met", "dim"), WHILE_SORTED)
