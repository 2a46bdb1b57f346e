"""The SLA clock: where an incident stands against its response and resolution targets.

The clock is injected (`now`), never read here. Business-hours calendars and pauses come with
the SLA issue; this measures wall-clock time against per-priority targets.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import NamedTuple

OK, NEAR, BREACHED, MET, NONE = "ok", "near", "breached", "met", "none"


class Targets(NamedTuple):
    response_minutes: int
    resolve_minutes: int


class SlaState(NamedTuple):
    state: str  # ok | near | breached | met | none
    remaining: timedelta | None  # time left to the resolution target (negative when breached)
    elapsed: timedelta
    target: datetime | None

    def short(self) -> str:
        """Compact remaining/overdue time for a table cell: '2h05', '-15m', '3d'."""
        if self.remaining is None:
            return format_duration(self.elapsed)
        sign = "-" if self.remaining < timedelta(0) else ""
        return sign + format_duration(abs(self.remaining))


def format_duration(delta: timedelta) -> str:
    seconds = int(delta.total_seconds())
    if seconds < 3600:
        return f"{seconds // 60}m"
    if seconds < 86400:
        return f"{seconds // 3600}h{(seconds % 3600) // 60:02d}"
    return f"{seconds // 86400}d{(seconds % 86400) // 3600:02d}"


def sla_state(
    opened_at: datetime,
    now: datetime,
    targets: Targets | None,
    resolved_at: datetime | None = None,
    near_fraction: float = 0.8,
) -> SlaState:
    end = resolved_at or now
    elapsed = end - opened_at
    if targets is None:
        return SlaState(NONE, None, elapsed, None)
    target = opened_at + timedelta(minutes=targets.resolve_minutes)
    if resolved_at is not None:
        return SlaState(MET if resolved_at <= target else BREACHED, target - resolved_at, elapsed, target)
    remaining = target - now
    if remaining < timedelta(0):
        state = BREACHED
    elif elapsed >= timedelta(minutes=targets.resolve_minutes * near_fraction):
        state = NEAR
    else:
        state = OK
    return SlaState(state, remaining, elapsed, target)
