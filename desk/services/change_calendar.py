"""The change calendar (a week of changes by day, conflicts on the same service marked) and the
check the catalogue calls before publishing. Read-only."""

from __future__ import annotations

from datetime import datetime, timedelta

from desk.domain import change_flow as flow
from desk.domain.change_freeze import days_frozen
from desk.domain.errors import InvalidTransition, NotFound
from desk.models import Change
from desk.services.changes import row_view
from desk.services.problem_change_views import Calendar, CalendarDay, CalendarEntry
from desk.timefmt import local, to_utc, zone


def _windows(rows) -> list[flow.Window]:
    return [flow.Window(r.id, flow.service_names(r.services), r.planned_start, r.planned_end) for r in rows]


def _on_calendar(start: datetime, end: datetime) -> list[Change]:
    """The changes on the calendar whose planned window meets [start, end) (stored times)."""
    return list(Change.select().where(Change.status.in_(sorted(flow.ON_CALENDAR)) & Change.planned_start.is_null(False)
                                      & (Change.planned_start < end) & (Change.planned_end > start))
                .order_by(Change.planned_start, Change.id))


def calendar(desk, week: str | None = None) -> Calendar:
    """The changes whose planned window meets the ISO week `week` ("2026-W49"; None: this week),
    by day (a change on every day its window covers), and the conflicts of each: windows that
    overlap and name a service in common, with any change, in this week or the next (a change
    running into Monday conflicts there, as scheduling it warned). Rejected changes and drafts
    are not on it. Its days are the desk's days (`[sla] timezone`, as its times are shown): a
    change typed for Tuesday 01:00 is on Tuesday, though it is stored as Monday 17:00 UTC.
    `start` is that Monday's midnight there."""
    tz = zone(desk.config)
    first = flow.week_start(week, local(desk.now(), tz))
    edges = [to_utc(first + timedelta(days=n), tz) for n in range(8)]  # each day's midnight, stored (UTC)
    rows = _on_calendar(edges[0], edges[7])
    shown = {r.id for r in rows}
    around = _on_calendar(min((r.planned_start for r in rows), default=edges[0]),
                          max((r.planned_end for r in rows), default=edges[7]))
    found = {k: v for k, v in flow.conflicts(_windows(around)).items() if k in shown}
    views = {r.id: row_view(desk, r) for r in rows}
    days = []
    frozen = days_frozen(desk.config.change_freezes, first.date())  # freezes are written in the desk's time
    for n in range(7):
        day = (first + timedelta(days=n)).date()
        entries = tuple(CalendarEntry(views[r.id], tuple(found.get(r.id, ()))) for r in rows
                        if r.planned_start < edges[n + 1] and r.planned_end > edges[n])
        days.append(CalendarDay(day, entries, frozen.get(day)))
    year, number, _ = first.isocalendar()
    return Calendar(f"{year}-W{number:02d}", first, tuple(days), found)


def conflicts_of(desk, change_id: int) -> list[tuple[int, str]]:
    """The other planned changes whose windows overlap this one's on a service in common: what
    scheduling it should warn about."""
    change = Change.get_or_none(Change.id == change_id)
    if change is None:
        raise NotFound(kind="change", id=change_id)
    if change.planned_start is None:
        return []
    others = list(Change.select().where(Change.status.in_(sorted(flow.ON_CALENDAR)) & (Change.id != change_id)
                                        & Change.planned_start.is_null(False)
                                        & (Change.planned_start < change.planned_end)
                                        & (Change.planned_end > change.planned_start)))
    return flow.conflicts(_windows([change, *others])).get(change_id, [])


def _approved(change: Change) -> bool:
    """Approved for what it names: approved, scheduled, implementing, or in review or closed
    having succeeded (a failed or backed-out change approves nothing any more)."""
    return change.status in (flow.APPROVED, flow.SCHEDULED, flow.IMPLEMENTING) or (
        change.status in (flow.REVIEW, flow.CLOSED) and change.outcome == "successful")


def change_approved_for(desk, change_id: int, service_code: str) -> Change:
    """For the catalogue: a publication that requires an approved change ([change]
    publication_requires_change) names one. Returns the change when it is approved (see
    `_approved`) and names `service_code` among its services; raises NotFound or
    InvalidTransition (change.error.not_approved_for) otherwise."""
    change = Change.get_or_none(Change.id == change_id)
    if change is None:
        raise NotFound(kind="change", id=change_id)
    if not _approved(change) or service_code.casefold() not in flow.service_names(change.services):
        raise InvalidTransition("change.error.not_approved_for", id=change_id, service=service_code,
                                kind="change", status=change.status)
    return change


def approved_for(desk, service_code: str, limit: int = 200) -> list:
    """The changes a publication of this service may name (what `change_approved_for` accepts),
    newest first: the catalogue's publish form offers them."""
    statuses = sorted({flow.APPROVED, flow.SCHEDULED, flow.IMPLEMENTING, flow.REVIEW, flow.CLOSED})
    wanted = service_code.casefold()
    rows = (Change.select().where(Change.status.in_(statuses) & Change.services.contains(service_code))
            .order_by(Change.id.desc()))
    found = [r for r in rows if _approved(r) and wanted in flow.service_names(r.services)]
    return [row_view(desk, r) for r in found[:limit]]


def publication_requires_change(desk) -> bool:
    return bool(desk.config.change_setting("publication_requires_change", False))


def week_of(moment: datetime) -> str:
    year, number, _ = moment.isocalendar()
    return f"{year}-W{number:02d}"
