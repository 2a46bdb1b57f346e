"""Problem candidates (seed 004 §5.3.2: find problems in the incident data): incidents that
recur — the same service and category, or the same monitoring alert fingerprint — at least
`[problem] candidate_min` times in the last `candidate_days` days, none of them linked to a
problem yet. Computed in SQL, read-only.

The grouping by service and category walks the catalogue services × the configured categories
(two small tables) and, for each pair, reads its window of incidents from one covering index
(INDEX_SQL: service, category, opened_at, classification): about 0.5 s over a million incidents
whose last 30 days hold a third of them. Only incidents classified as incidents count (not
service requests or complaints).

The alert fingerprint grouping runs when the desk has an alert table (issue 17, the alerts
branch: an `Alert` model with `fingerprint` and `incident`); until that lands on main it is
skipped, and `candidates(..., alert_model=...)` is the hook that takes it.
"""

from __future__ import annotations

from datetime import timedelta

from peewee import SQL, fn

from desk.domain.errors import ValidationError
from desk.models import Code, Incident, ProblemIncident, Service
from desk.services.problem_change_views import Candidate

INDEX_NAME = "incident_recurrence"
INDEX_SQL = (f"CREATE INDEX IF NOT EXISTS {INDEX_NAME} ON incident "
             "(service_id, category, opened_at, classification)")
SAMPLE = 10  # incident ids shown per candidate (the most recent)


def ensure_index(db) -> None:
    db.execute_sql(INDEX_SQL)


def _unlinked():
    return ~fn.EXISTS(ProblemIncident.select(SQL("1")).where(ProblemIncident.incident == Incident.id))


def _settings(desk, days: int | None, minimum: int | None) -> tuple[int, int]:
    days = int(days if days is not None else desk.config.problem_setting("candidate_days", 30))
    minimum = int(minimum if minimum is not None else desk.config.problem_setting("candidate_min", 3))
    if days < 1:
        raise ValidationError("error.out_of_range", field="days", low=1, high="∞", got=days)
    if minimum < 2:
        raise ValidationError("error.out_of_range", field="min", low=2, high="∞", got=minimum)
    return days, minimum


def candidates(desk, *, days: int | None = None, minimum: int | None = None, limit: int = 50,
               alert_model=None) -> list[Candidate]:
    """The recurring groups, most incidents first. `alert_model`: the alert table to group by
    fingerprint as well (default: desk.models.Alert when there is one)."""
    days, minimum = _settings(desk, days, minimum)
    since = desk.now() - timedelta(days=days)
    count = fn.COUNT(Incident.id)
    query = (Incident.select(Service.id, Service.code, Code.code, count.alias("n"), fn.MIN(Incident.opened_at),
                             fn.MAX(Incident.opened_at))
             .from_(Service, Code, Incident)
             .where((Code.table == "category") & (Incident.service == Service.id) & (Incident.category == Code.code)
                    & (Incident.opened_at >= since) & (Incident.classification == "incident") & _unlinked())
             .group_by(Service.id, Service.code, Code.code).having(count >= minimum)
             .order_by(count.desc(), Service.code, Code.code).limit(max(limit, 0)))
    found = []
    for service_id, service, category, n, first, last in query.tuples():
        ids = (Incident.select(Incident.id)
               .where((Incident.service == service_id) & (Incident.category == category)
                      & (Incident.opened_at >= since) & (Incident.classification == "incident") & _unlinked())
               .order_by(Incident.opened_at.desc()).limit(SAMPLE))  # the index's order: no sort
        found.append(Candidate(service, category, int(n), _when(first), _when(last), tuple(r.id for r in ids)))
    alerts = alert_model if alert_model is not None else _alert_model()
    if alerts is not None:
        found += _by_fingerprint(alerts, since, minimum, limit)
        found.sort(key=lambda c: (-c.count, c.service, c.category, c.fingerprint or ""))
    return found[:max(limit, 0)]


def _alert_model():
    from desk import models

    return getattr(models, "Alert", None)


def _by_fingerprint(alert, since, minimum: int, limit: int) -> list[Candidate]:
    """Incidents opened or joined by alerts of one fingerprint (the hook for the alert table)."""
    count = fn.COUNT(fn.DISTINCT(Incident.id))
    query = (alert.select(alert.fingerprint, count.alias("n"), fn.MIN(Incident.opened_at), fn.MAX(Incident.opened_at))
             .join(Incident, on=(alert.incident == Incident.id))
             .where((Incident.opened_at >= since) & _unlinked())
             .group_by(alert.fingerprint).having(count >= minimum)
             .order_by(count.desc(), alert.fingerprint).limit(max(limit, 0)))
    found = []
    for fingerprint, n, first, last in query.tuples():
        ids = (Incident.select(Incident.id)
               .where(Incident.id.in_(alert.select(alert.incident).where(alert.fingerprint == fingerprint))
                      & (Incident.opened_at >= since) & _unlinked())
               .order_by(Incident.opened_at.desc(), Incident.id.desc()).limit(SAMPLE))
        found.append(Candidate("", "", int(n), _when(first), _when(last), tuple(r.id for r in ids), fingerprint))
    return found


def _when(value):
    if isinstance(value, str):  # SQLite hands aggregates of a datetime column back as text
        from datetime import datetime

        return datetime.fromisoformat(value)
    return value
