"""SLA clocks of stored tickets: the engine (desk.domain.sla_clock) fed from the database.

A kind of ticket takes part by naming its fields in a `Clocked` and passing it as its Kind's
`clock` (desk.services.records): every change that goes through `records.transition` then
keeps the ticket's stored due time and its `sla_clock` row in step, in the same transaction
(desk.services.sla_sync); a kind's creation calls `records.created`. Incidents and service
requests do so.

Here: a ticket's clocks read at an instant, on its terms (desk.services.sla_terms) net of its
pause ledger (`sla_pause`): holds a user asks for, and the statuses `[sla.pausing]` names for its
kind (a request awaiting approval, cost confirmation or the requester), opened and ended by
`sync` as the status comes and goes.
"""

# (no `from __future__ import annotations`: under it each NamedTuple field's annotation is a string
# that typing compiles when the class is made, ~9 µs a field, and this module is read before desk's
# first frame: tests/test_startup.py)

from datetime import datetime
from typing import Any, NamedTuple

from desk.domain.sla_clock import ClockInput, ClockState, Pause, evaluate
from desk.models import SlaPause
from desk.services.sla_terms import terms_of


class Clocked(NamedTuple):
    """Which fields of a kind's row the SLA engine reads, and where the due time is stored."""

    open_statuses: frozenset[str]
    started: str = "opened_at"
    stopped: str = "resolved_at"
    responded: str = "first_response_at"
    priority: str = "priority"
    service: str = "service_id"
    group: str = "group_id"
    due: str = "due_at"
    cycle: str | None = "reopen_count"  # a reopened ticket starts a new cycle of escalations
    assignee: str = "assignee_id"  # who `assignee` in [sla.escalation] tells
    closed: str | None = None  # a second stop: a ticket closed without being resolved (a cancelled request)
    version: str | None = None  # the catalogue version the ticket was raised under (None: its service's first)

    def sync(self, desk, kind, record_id: int, now: datetime, actor_id: int | None = None, before=None) -> None:
        from desk.services import sla_sync  # (which imports this module)

        sla_sync.sync(desk, kind, record_id, now, actor_id, before)

    def stop(self, row) -> datetime | None:
        """When the clock stopped: resolved, else (for a kind that has it) closed; None: running."""
        got = getattr(row, self.stopped)
        if got is None and self.closed is not None:
            got = getattr(row, self.closed, None)
        return got

    def cycle_of(self, row) -> int:
        return int(getattr(row, self.cycle, 0) or 0) if self.cycle else 0


# --- the ledger -----------------------------------------------------------------------------------

def pauses(desk, entity: str, record_id: int) -> tuple[Pause, ...]:
    rows = (SlaPause.select(SlaPause.started_at, SlaPause.ended_at, SlaPause.reason)
            .where((SlaPause.entity == entity) & (SlaPause.entity_id == record_id))
            .order_by(SlaPause.started_at, SlaPause.id).tuples())
    return tuple(Pause(a, b, r) for a, b, r in rows)


def ledger(desk, entity: str, record_id: int) -> list[SlaPause]:
    """The ledger's rows with who held and resumed the clock (the detail shows them)."""
    return list(SlaPause.select().where((SlaPause.entity == entity) & (SlaPause.entity_id == record_id))
                .order_by(SlaPause.started_at, SlaPause.id))


# --- a ticket's clocks ----------------------------------------------------------------------------

class Clocks(NamedTuple):
    resolution: ClockState
    response: ClockState
    calendar: Any
    pauses: tuple[Pause, ...]


def clocks(desk, clocked: Clocked, row, now: datetime, ledger_rows: tuple[Pause, ...] | None = None,
           entity: str = "incident") -> Clocks:
    """The resolution and response clocks of a row at `now`."""
    if ledger_rows is None:
        ledger_rows = pauses(desk, entity, row.id)
    got = terms_of(desk, clocked, row)
    targets = desk.config.sla.targets(getattr(row, clocked.priority), got.sla)
    started = getattr(row, clocked.started)
    warning = desk.config.sla.warning
    resolution = evaluate(got.calendar, targets.resolve_minutes if targets else None,
                          ClockInput(started, clocked.stop(row), ledger_rows), now, warning)
    response = evaluate(got.calendar, targets.response_minutes if targets else None,
                        ClockInput(started, getattr(row, clocked.responded, None), ledger_rows), now, warning)
    return Clocks(resolution, response, got.calendar, ledger_rows)


def resolution(desk, clocked: Clocked, row, now: datetime, ledger_rows: tuple[Pause, ...]) -> ClockState:
    """The resolution clock alone, the one a stored due time comes from: for work over many rows
    (`desk init` re-timing resolved tickets), where the response clock would double the cost."""
    got = terms_of(desk, clocked, row)
    targets = desk.config.sla.targets(getattr(row, clocked.priority), got.sla)
    return evaluate(got.calendar, targets.resolve_minutes if targets else None,
                    ClockInput(getattr(row, clocked.started), clocked.stop(row), ledger_rows), now,
                    desk.config.sla.warning)


def due_for(desk, clocked: Clocked, row, ledger_rows=(), now: datetime | None = None) -> datetime | None:
    """The resolution due time a row should store (None while paused short of it, or no target)."""
    at = now or getattr(row, clocked.started)
    return clocks(desk, clocked, row, at, tuple(ledger_rows)).resolution.due_at

