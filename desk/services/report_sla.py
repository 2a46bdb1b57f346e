"""SLA attainment of a report's period, per service and priority, in SQL aggregates (docs/kpi.md).

Read from what the SLA engine stores: each incident's resolution due time (`incident.due_at`,
business hours of its calendar net of paused time, kept by desk.services.sla_sync) and its resolution
time. The rule is desk.domain.sla's: an incident is met when it was resolved at or before its due
time, breached when resolved after it (one second late is late).

- met / breached / rate: the incidents resolved in the period (status resolved or closed, last
  resolution in [start, end)) that have a due time; rate = met / (met + breached).
- no target: resolved in the period without a due time (no target for their priority or service).
- open past due: incidents whose due time fell in the period (before the moment of generation)
  and that were not resolved (or closed) by the period's end: breached, still open, not in the rate.

Service requests by the same definitions, from their stored due time (schema 12: business hours of
the service's calendar, net of the waiting statuses) and resolution time.
"""

from __future__ import annotations

from datetime import datetime

from desk.domain import incident_flow
from desk.services.report_figures import _rate, _Sql

_DONE = (incident_flow.RESOLVED, incident_flow.CLOSED)


def _services(sql: _Sql, ids: set) -> dict:
    """service id -> (code, English name, Chinese name), for the few services in the figures."""
    ids = sorted(int(i) for i in ids if i is not None)
    if not ids:
        return {}
    rows = sql.rows(f"SELECT id, code, name_en, name_zh FROM service WHERE id IN ({', '.join(map(str, ids))})")
    return {r[0]: (r[1], r[2], r[3]) for r in rows}


def _attainment(desk, table: str, start: datetime, end: datetime, now: datetime | None) -> dict:
    """Totals and one row per service × priority of `table`'s tickets (incident, service_request:
    both store status, priority, service_id, resolved_at and due_at)."""
    sql = _Sql(desk.db)
    upto = min(end, now or desk.now())
    done = ", ".join(f"'{s}'" for s in _DONE)
    in_period = f"(i.resolved_at >= ? AND i.resolved_at < ? AND i.status IN ({done}))"
    # finished by the end: resolved (or closed unresolved: a request rejected or cancelled) before it
    by_end = f"(COALESCE(i.resolved_at, i.closed_at) < ? AND i.status IN ({done}))"
    query = f"""
        SELECT i.service_id, i.priority,
               SUM(CASE WHEN {in_period} AND i.due_at IS NOT NULL AND i.resolved_at <= i.due_at THEN 1 ELSE 0 END),
               SUM(CASE WHEN {in_period} AND i.due_at IS NOT NULL AND i.resolved_at > i.due_at THEN 1 ELSE 0 END),
               SUM(CASE WHEN {in_period} AND i.due_at IS NULL THEN 1 ELSE 0 END),
               SUM(CASE WHEN i.due_at >= ? AND i.due_at < ? AND NOT {by_end} THEN 1 ELSE 0 END)
        FROM {table} i
        WHERE (i.resolved_at >= ? AND i.resolved_at < ?) OR (i.due_at >= ? AND i.due_at < ?)
        GROUP BY i.service_id, i.priority"""
    s, e, u = sql.at(start), sql.at(end), sql.at(upto)
    params = (s, e, s, e, s, e, s, u, e, s, e, s, u)
    found = sql.rows(query, params)
    names = _services(sql, {r[0] for r in found})
    rows, totals = [], {"met": 0, "breached": 0, "no_target": 0, "open_past_due": 0}
    for service_id, priority, *counts in found:
        met, breached, no_target, open_past_due = (int(c or 0) for c in counts)
        if not (met or breached or no_target or open_past_due):
            continue
        code, name_en, name_zh = names.get(service_id, ("", "", ""))
        rows.append({"service": code, "name_en": name_en, "name_zh": name_zh, "priority": str(priority),
                     "met": met, "breached": breached, "attainment_rate": _rate(met, met + breached),
                     "no_target": no_target, "open_past_due": open_past_due})
        for key, value in (("met", met), ("breached", breached), ("no_target", no_target),
                           ("open_past_due", open_past_due)):
            totals[key] += value
    rows.sort(key=lambda r: (r["service"], r["priority"]))
    return {**totals, "attainment_rate": _rate(totals["met"], totals["met"] + totals["breached"]), "rows": rows}


def incidents(desk, start: datetime, end: datetime, now: datetime | None = None) -> dict:
    """The incidents' attainment of [start, end): totals and one row per service × priority."""
    return _attainment(desk, "incident", start, end, now)


def requests(desk, start: datetime, end: datetime, now: datetime | None = None) -> dict:
    """The service requests' attainment, by the same definitions (their due time: schema 12)."""
    from desk.models import ServiceRequest

    if "due_at" not in ServiceRequest._meta.fields:
        return {"available": False}
    return _attainment(desk, "service_request", start, end, now)


def attainment(desk, start: datetime, end: datetime, now: datetime | None = None) -> dict:
    """The report's `sla` section: incidents and service requests."""
    return {"incidents": incidents(desk, start, end, now), "requests": requests(desk, start, end, now)}
