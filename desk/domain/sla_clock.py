"""SLA clocks on business time, with a pause ledger (pure: the clock `now` is injected).

Generic over the kind of ticket: a clock needs only when it started, when it stopped (first
response, resolution; None while running), its pauses and a target in business minutes. An
incident and a service request give the same `ClockInput`; nothing here names their fields.

Business time spent = working time of the calendar in [start, stop or now) less the working
time inside pauses. It depends on the ledger only, never on the target, so re-targeting (a new
priority, another service) keeps the time spent and paused: the state is evaluated afresh
against the new target.

States: running, paused, warning (the warning share of the target spent), breached (past the
instant the target was reached; a stopped clock too: a ticket resolved after its target did NOT
meet it), met (stopped by then), none (no target).
"""

# (no `from __future__ import annotations`: under it each NamedTuple field's annotation is a string
# that typing compiles when the class is made, ~9 µs a field, and this module is read before desk's
# first frame: tests/test_startup.py)

from datetime import datetime, timedelta
from typing import NamedTuple

from desk.domain.errors import ValidationError
from desk.domain.sla_calendar import Calendar
from desk.domain.sla import Targets

RUNNING, PAUSED, WARNING, BREACHED, MET, NONE = "running", "paused", "warning", "breached", "met", "none"
STATES = (RUNNING, PAUSED, WARNING, BREACHED, MET, NONE)
DEFAULT_WARNING = 0.75


class Pause(NamedTuple):
    """One row of the ledger: [start, end) (end None: still paused), why, and who."""

    start: datetime
    end: datetime | None = None
    reason: str = ""


class ClockInput(NamedTuple):
    """What any kind of ticket gives the engine."""

    started: datetime
    stopped: datetime | None = None
    pauses: tuple[Pause, ...] = ()


class ClockState(NamedTuple):
    state: str
    target_seconds: float | None
    spent: float  # business seconds counted
    paused: float  # business seconds inside pauses
    remaining: float | None  # business seconds to the target; negative: overdue
    due_at: datetime | None  # when the target is (or was) reached; None while paused before it, or no target
    warn_at: datetime | None

    @property
    def overdue(self) -> float:
        return max(0.0, -(self.remaining or 0.0))

    def remaining_delta(self) -> timedelta | None:
        return None if self.remaining is None else timedelta(seconds=self.remaining)


# --- the ledger -----------------------------------------------------------------------------------

def merged(pauses, started: datetime, until: datetime) -> list[tuple[datetime, datetime]]:
    """Pauses clipped to [started, until), sorted, overlaps merged (so nothing counts twice)."""
    spans = []
    for p in pauses:
        lo = max(p.start, started)
        hi = min(p.end or until, until)
        if hi > lo:
            spans.append((lo, hi))
    spans.sort()
    out: list[list[datetime]] = []
    for lo, hi in spans:
        if out and lo <= out[-1][1]:
            out[-1][1] = max(out[-1][1], hi)
        else:
            out.append([lo, hi])
    return [(a, b) for a, b in out]


def is_paused(pauses, now: datetime) -> bool:
    return any(p.start <= now and (p.end is None or p.end > now) for p in pauses)


def open_pause(pauses) -> Pause | None:
    return next((p for p in pauses if p.end is None), None)


def plan_hold(pauses, now: datetime, reason: str, reasons) -> Pause:
    """A new pause from now; refused while one is open or for a reason config does not know."""
    if open_pause(pauses) is not None:
        raise ValidationError("sla.error.already_paused")
    if reason not in reasons:
        raise ValidationError("sla.error.reason", reason=reason, known=", ".join(reasons))
    return Pause(now, None, reason)


def plan_resume(pauses, now: datetime) -> Pause:
    """The open pause, ended now; refused when the clock is not paused."""
    current = open_pause(pauses)
    if current is None:
        raise ValidationError("sla.error.not_paused")
    return current._replace(end=max(now, current.start))


# --- a reopened ticket ------------------------------------------------------------------------------

REOPEN_PAUSED, REOPEN_COUNTED = "paused", "counted"
REOPEN_POLICIES = (REOPEN_PAUSED, REOPEN_COUNTED)
RESOLVED_REASON = "resolved"  # the ledger's reason for the time between a resolution and a reopening


def reopen_gap(policy: str, resolved_at: datetime | None, reopened_at: datetime) -> Pause | None:
    """The ledger row a reopening adds: the time the ticket stood resolved, [resolved, reopened),
    as a pause ("paused": the clock did not run while the desk believed it solved, as it does not
    run in any other waiting status), or nothing ("counted": that time counts against the target)."""
    if policy != REOPEN_PAUSED or resolved_at is None or reopened_at <= resolved_at:
        return None
    return Pause(resolved_at, reopened_at, RESOLVED_REASON)


# --- time spent -----------------------------------------------------------------------------------

def spent(calendar: Calendar, clock: ClockInput, now: datetime) -> tuple[float, float]:
    """(business seconds counted, business seconds paused) from the start to the stop or now."""
    end = min(clock.stopped, now) if clock.stopped is not None else now
    if end <= clock.started:
        return 0.0, 0.0
    total = calendar.seconds(clock.started, end)
    paused = sum(calendar.seconds(a, b) for a, b in merged(clock.pauses, clock.started, end))
    return total - paused, paused


def reached_at(calendar: Calendar, clock: ClockInput, seconds: float) -> datetime | None:
    """When `seconds` of business time are counted, pauses skipped. None when an open pause
    (or a calendar without hours) comes first: the instant is not known yet."""
    cursor = clock.started
    left = float(seconds)
    far = datetime.max
    for lo, hi in merged(clock.pauses, clock.started, far):
        have = calendar.seconds(cursor, lo)
        if have >= left:
            return calendar.add(cursor, left)
        left -= have
        if hi == far:
            return None
        cursor = max(cursor, hi)
    return calendar.add(cursor, left)


def evaluate(calendar: Calendar, target_minutes: int | float | None, clock: ClockInput, now: datetime,
             warning: float = DEFAULT_WARNING) -> ClockState:
    """Where a clock stands at `now` against a target in business minutes."""
    counted, paused = spent(calendar, clock, now)
    if target_minutes is None:
        return ClockState(NONE, None, counted, paused, None, None, None)
    target = float(target_minutes) * 60
    remaining = target - counted
    due = reached_at(calendar, clock, target)
    warn = reached_at(calendar, clock, target * warning)
    if clock.stopped is not None and clock.stopped <= now:
        met = clock.stopped <= due if due is not None else counted <= target
        state = MET if met else BREACHED
    elif remaining < 0 or (due is not None and now > due):
        state = BREACHED
    elif is_paused(clock.pauses, now):
        state = PAUSED
    elif counted >= target * warning:
        state = WARNING
    else:
        state = RUNNING
    return ClockState(state, target, counted, paused, remaining, due, warn)


# --- targets --------------------------------------------------------------------------------------

def targets_for(priority, service_sla: dict | None, defaults: Targets | None) -> Targets | None:
    """Response and resolution minutes for a priority: the service version's SLA table
    ({"1": {"response": 15, "resolve": 240}, …}) where it has them, else the config defaults."""
    entry = (service_sla or {}).get(str(priority)) or {}
    response = entry.get("response", entry.get("response_minutes"))
    resolve = entry.get("resolve", entry.get("resolve_minutes"))
    if defaults is None and (response is None or resolve is None):
        return None
    return Targets(int(response if response is not None else defaults.response_minutes),
                   int(resolve if resolve is not None else defaults.resolve_minutes))


def format_business(seconds: float) -> str:
    """'2h05', '45m', '3d04' for business time (days of 24 h, as the queue's other columns)."""
    whole = int(abs(seconds))
    if whole < 3600:
        return f"{whole // 60}m"
    if whole < 86400:
        return f"{whole // 3600}h{(whole % 3600) // 60:02d}"
    return f"{whole // 86400}d{(whole % 86400) // 3600:02d}"
