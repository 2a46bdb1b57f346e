"""Problem candidates (seed 004 §5.3.2: find problems in the incident data): incidents that
recur — the same service and category, or the same monitoring alert fingerprint — at least
`[problem] candidate_min` times in the last `candidate_days` days, none of them linked to a
problem yet. Computed in SQL, read-only.

The grouping by service and category walks the catalogue services × the configured categories
(two small tables) and, for each pair, counts its window of incidents in one covering index
(INDEX_SQL: service, category, opened_at, classification), less the linked ones (counted from the
links): a few tenths of a second over a million incidents whose last 30 days hold a third of them
(bench figure 7). Only incidents classified as incidents count (not
service requests or complaints).

The alert fingerprint grouping reads the alert table (issue 17: desk.models.Alert, one row per
fingerprint and incident it opened or joined): incidents sharing a fingerprint, whatever their
service and category. `candidates(..., alert_model=...)` takes another table of that shape.
"""

from __future__ import annotations

from datetime import timedelta

from peewee import JOIN, SQL, Select, fn

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
        raise ValidationError("error.at_least", field="days", low=1, got=days)
    if minimum < 2:
        raise ValidationError("error.at_least", field="min", low=2, got=minimum)
    return days, minimum


def _groups(since, minimum: int, limit: int):
    """(service id, service code, category, unlinked count), most first: every incident of a
    service × category pair in the window, counted from the covering index alone, less those
    linked to a problem (few: counted once, from the links). CROSS JOIN keeps SQLite's join
    order: the small tables drive, each pair reads its own slice of the index."""
    in_window = (Incident.opened_at >= since) & (Incident.classification == "incident")
    totals = (Service.select(Service.id.alias("sid"), Service.code.alias("code"), Code.code.alias("cat"),
                             fn.COUNT(Incident.id).alias("n"))
              .join(Code, JOIN.CROSS).join(Incident, JOIN.CROSS)
              .where((Code.table == "category") & (Incident.service == Service.id) & (Incident.category == Code.code)
                     & in_window)
              .group_by(Service.id, Service.code, Code.code)).alias("t")
    linked = (ProblemIncident.select(Incident.service.alias("sid"), Incident.category.alias("cat"),
                                     fn.COUNT(Incident.id).alias("n"))
              .join(Incident, JOIN.CROSS).where((Incident.id == ProblemIncident.incident) & in_window)
              .group_by(Incident.service, Incident.category)).alias("l")
    unlinked = totals.c.n - fn.COALESCE(linked.c.n, 0)
    query = (Select([totals], [totals.c.sid, totals.c.code, totals.c.cat, unlinked])
             .join(linked, JOIN.LEFT_OUTER, on=(linked.c.sid == totals.c.sid) & (linked.c.cat == totals.c.cat))
             .where(unlinked >= minimum).order_by(unlinked.desc(), totals.c.code, totals.c.cat).limit(max(limit, 0)))
    return query.bind(Incident._meta.database).tuples()


def candidates(desk, *, days: int | None = None, minimum: int | None = None, limit: int = 50,
               alert_model=None) -> list[Candidate]:
    """The recurring groups, most incidents first. `alert_model`: the alert table to group by
    fingerprint as well (default: desk.models.Alert when there is one)."""
    days, minimum = _settings(desk, days, minimum)
    since = desk.now() - timedelta(days=days)
    found = []
    for service_id, service, category, n in _groups(since, minimum, limit):
        group = ((Incident.service == service_id) & (Incident.category == category) & (Incident.opened_at >= since)
                 & (Incident.classification == "incident") & _unlinked())
        newest = list(Incident.select(Incident.id, Incident.opened_at).where(group)
                      .order_by(Incident.opened_at.desc()).limit(SAMPLE))  # the index's order: no sort
        first = Incident.select(Incident.opened_at).where(group).order_by(Incident.opened_at).limit(1).scalar()
        found.append(Candidate(service, category, int(n), _when(first), _when(newest[0].opened_at),
                               tuple(r.id for r in newest)))
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
