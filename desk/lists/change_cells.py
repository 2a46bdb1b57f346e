"""The change queue's columns and cells (the TableSpec of desk.lists.change)."""

from __future__ import annotations

from rich.cells import cell_len

from desk.domain import change_flow as flow
from desk.domain.text import one_line
from desk.i18n import t
from desk.lists.layout import capital
from desk.lists.spec import Column, TableSpec
from desk.timefmt import short, zone

COLUMNS = (
    Column("mark", "", 1),
    Column("id", "change.col.id", 4, right=True),
    Column("type", "change.col.type", 9),
    Column("status", "change.col.status", 12),
    Column("title", "change.col.title", min=24),
    Column("services", "change.col.services", min=8, max=20, share=(1, 4)),
    Column("start", "change.col.start", 11, sort="start"),
    Column("requester", "change.col.requester", 10),
)
_STYLES = {flow.EMERGENCY: "p1", flow.AWAITING: "near", flow.REJECTED: "dim", flow.CLOSED: "dim"}


def _label(env, prefix: str, code) -> str:
    return env.memo((prefix, code), lambda: capital(t(f"{prefix}{code}", env.lang)) if code else "")


def service_names(services: str, name) -> str:
    """'core-banking, database' as users read them, `name(code)` for each (the change list and the
    calendar): the text is typed by people, so what is no service code comes back as typed."""
    return ", ".join(name(part.strip()) for part in services.split(",")) if services else ""


def _services(env, services: str) -> str:
    return env.memo(("services", services), lambda: service_names(services, lambda code: env.label("service", code)))


def widths(env, id_digits: int) -> dict[str, int]:
    lang = env.lang
    out = {"id": max(id_digits, cell_len(t("change.col.id", lang))),
           "type": min(max([cell_len(_label(env, "change.type.", c)) for c in flow.TYPES]
                           + [cell_len(t("change.col.type", lang))]), 10),
           "status": min(max([cell_len(_label(env, "change.status.", c)) for c in flow.STATUSES]
                             + [cell_len(t("change.col.status", lang))]), 14)}
    out["start"] = max(11, cell_len(t("change.col.start", lang)) + 1)
    return out


def cell(env, row, column: str, width: int, now):
    if column == "id":
        return str(row.id), None
    if column == "type":
        return _label(env, "change.type.", row.type), _STYLES.get(row.type)
    if column == "status":
        return _label(env, "change.status.", row.status), _STYLES.get(row.status)
    if column == "title":
        return one_line(row.title[: width * 2 + 2], width * 2 + 1), None
    if column == "services":
        return one_line(_services(env, row.services), 60), None
    if column == "start":
        return short(row.planned_start, env.memo("zone", lambda: zone(env.config))), None  # the desk's time
    if column == "requester":
        return one_line(row.requester, 40), None
    return "", None


TABLE = TableSpec(COLUMNS, ("services", "requester", "type", "start"), cell, widths, ("p1", "near", "dim"))
