"""What a user sees of a ticket's SLA: its clocks and its pause ledger, as plain values.

`incident_sla(desk, id)` for the detail, `desk incident show` and `desk sla show`;
`row_clock(...)` for a queue row from its stored due time alone (no ledger read: the due time is
kept in step with the ledger, NULL while held)."""

# (no `from __future__ import annotations`: under it each NamedTuple field's annotation is a string
# that typing compiles when the class is made, ~9 µs a field, and this module is read before desk's
# first frame: tests/test_startup.py)

from datetime import datetime
from typing import Any, NamedTuple

from desk.domain import sla_clock
from desk.domain.errors import NotFound
from desk.models import Agent
from desk.services import sla, sla_terms


def _iso(value: datetime | None) -> str | None:
    return value.isoformat(timespec="seconds") if value else None


class PauseEntry(NamedTuple):
    reason: str
    started_at: datetime
    ended_at: datetime | None
    started_by: str
    ended_by: str
    note: str
    business_seconds: float  # working time the pause kept off the clock (so far, if still held)

    def to_json(self) -> dict:
        return {"reason": self.reason, "started_at": _iso(self.started_at), "ended_at": _iso(self.ended_at),
                "started_by": self.started_by, "ended_by": self.ended_by, "note": self.note,
                "business_seconds": int(self.business_seconds)}


class SlaView(NamedTuple):
    state: str
    remaining: float | None
    due_at: datetime | None
    warn_at: datetime | None
    spent: float
    paused: float
    response_state: str
    response_due_at: datetime | None
    calendar: str
    ledger: tuple[PauseEntry, ...]
    tz: Any = None  # the zone its times are shown in ([sla] timezone); JSON keeps them in UTC

    def to_json(self) -> dict:
        return {"state": self.state, "due_at": _iso(self.due_at), "warn_at": _iso(self.warn_at),
                "remaining_seconds": int(self.remaining) if self.remaining is not None else None,
                "spent_seconds": int(self.spent), "paused_seconds": int(self.paused),
                "response": {"state": self.response_state, "due_at": _iso(self.response_due_at)},
                "calendar": self.calendar, "pauses": [p.to_json() for p in self.ledger]}


def view(desk, kind, record_id: int, now: datetime | None = None) -> SlaView:
    from desk.services import records

    row = records.read(desk, kind, record_id)
    if row is None:
        raise NotFound(kind=kind.entity, id=record_id)
    now = now or desk.now()
    rows = sla.ledger(desk, kind.entity, record_id)
    pauses = tuple(sla_clock.Pause(r.started_at, r.ended_at, r.reason) for r in rows)
    got = sla.clocks(desk, kind.clock, row, now, pauses, kind.entity)
    logins = _logins({r.started_by_id for r in rows} | {r.ended_by_id for r in rows})
    stop = getattr(row, kind.clock.stopped) or now
    entries = tuple(
        PauseEntry(r.reason, r.started_at, r.ended_at, logins.get(r.started_by_id, ""), logins.get(r.ended_by_id, ""),
                   r.note, got.calendar.seconds(r.started_at, min(r.ended_at or stop, stop)))
        for r in rows)
    res, resp = got.resolution, got.response
    return SlaView(res.state, res.remaining, res.due_at, res.warn_at, res.spent, res.paused, resp.state,
                   resp.due_at, got.calendar.name, entries, desk.config.sla.tz)


def incident_sla(desk, incident_id: int, now: datetime | None = None) -> SlaView:
    from desk.services import incidents

    return view(desk, incidents.KIND, incident_id, now)


def _logins(ids) -> dict[int, str]:
    ids = {i for i in ids if i is not None}
    if not ids:
        return {}
    return {i: login for i, login in Agent.select(Agent.id, Agent.login).where(Agent.id.in_(sorted(ids))).tuples()}


class RowClock(NamedTuple):
    state: str
    remaining: float | None  # business seconds; negative: overdue


def row_clock(desk, *, status: str, priority, service_id: int | None, due_at: datetime | None,
              resolved_at: datetime | None, open_statuses, now: datetime, version_id: int | None = None) -> RowClock:
    """A row's resolution clock from its stored due time (the wallboard's lists), on the hours of the
    catalogue version it was raised under (`version_id`), else of its service's first version."""
    got = ((sla_terms.version_terms(desk, version_id) if version_id is not None else None)
           or sla_terms.terms(desk, service_id))
    return clock_of(desk.config, got, status=status, priority=priority, due_at=due_at,
                    resolved_at=resolved_at, open_statuses=open_statuses, now=now)


def clock_of(config, got, *, status: str, priority, due_at: datetime | None, resolved_at: datetime | None,
             open_statuses, now: datetime) -> RowClock:
    """A row's resolution clock from its stored due time and its service's terms (no database:
    the queue's SLA column, on the UI's thread)."""
    targets = config.sla.targets(priority, got.sla)
    if targets is None:
        return RowClock(sla_clock.NONE, None)
    cal = got.calendar
    if resolved_at is not None:
        if due_at is None:
            return RowClock(sla_clock.MET, None)
        late = resolved_at > due_at
        left = -cal.seconds(due_at, resolved_at) if late else cal.seconds(resolved_at, due_at)
        return RowClock(sla_clock.BREACHED if late else sla_clock.MET, left)
    if due_at is None:
        return RowClock(sla_clock.PAUSED if status in open_statuses else sla_clock.NONE, None)
    if now > due_at:
        return RowClock(sla_clock.BREACHED, -cal.seconds(due_at, now))
    left = cal.seconds(now, due_at)
    warn = left <= targets.resolve_minutes * 60 * (1 - config.sla.warning)
    return RowClock(sla_clock.WARNING if warn else sla_clock.RUNNING, left)


__all__ = ["PauseEntry", "RowClock", "SlaView", "incident_sla", "row_clock", "view"]
