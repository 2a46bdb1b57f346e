"""The request queue's columns and cells (the TableSpec of desk.lists.request)."""

from __future__ import annotations

from datetime import timedelta

from rich.cells import cell_len

from desk.domain import request_flow as flow
from desk.domain.sla_clock import PAUSED
from desk.domain.text import one_line
from desk.i18n import t
from desk.lists.layout import compact, person_cell
from desk.lists.spec import Column, TableSpec
from desk.services.sla_terms import cached_terms
from desk.services.sla_views import clock_of

COLUMNS = (
    Column("mark", "", 1),
    Column("id", "request.col.id", 4, right=True),
    Column("priority", "request.col.priority", 1, sort="priority"),
    Column("status", "request.col.status", 12),
    Column("sla", "col.sla", 6, right=True, sort="sla"),
    Column("title", "request.col.title", min=24),
    Column("requester", "request.col.requester", min=8, max=20, share=(1, 4)),
    Column("service", "request.col.service", min=8, max=18, share=(1, 4)),
    Column("owner", "request.col.owner", 10),
    Column("handler", "request.col.handler", 10),
    Column("age", "col.age", 5, right=True, sort="age"),
)


def _status(env, code: str) -> str:
    return env.label("request_status", code)


def widths(env, id_digits: int) -> dict[str, int]:
    lang = env.lang
    status = max(cell_len(_status(env, c)) for c in flow.STATUSES)
    out = {"id": max(id_digits, cell_len(t("request.col.id", lang))),
           "status": min(max(status, cell_len(t("request.col.status", lang))), 14)}
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
        style = "dim" if row.status in (flow.RESOLVED, flow.CLOSED) else ("near" if row.status in flow.WAITING else None)
        return _status(env, row.status), style
    if column == "sla":  # the SLA engine's clock: business time left or over; a held clock marked
        got = clock_of(env.config, cached_terms(env.config, row.service_id, row.service_version), status=row.status,
                       priority=row.priority, due_at=row.due_at, resolved_at=row.stopped_at,
                       open_statuses=flow.OPEN, now=now)
        if got.state == PAUSED:
            return "‖", "dim"
        text = compact(timedelta(seconds=got.remaining)) if got.remaining is not None else ""
        return text, _SLA_STYLES.get(got.state)
    if column == "title":
        return one_line(row.title[: width * 2 + 2], width * 2 + 1), None
    if column == "requester":
        return one_line(row.requester, 40), None
    if column == "service":
        return (env.label("service", row.service) if row.service else ""), None
    if column in ("owner", "handler"):
        return person_cell(getattr(row, column))
    if column == "age":
        return compact(max(now - row.registered_at, timedelta(0))), "dim"
    return "", None


_SLA_STYLES = {"breached": "breached", "warning": "near", "met": "met"}

TABLE = TableSpec(COLUMNS, ("service", "age", "requester", "owner", "handler", "sla"), cell, widths,
                  ("p1", "p2", "p4", "dim", "near", "breached", "met"))
