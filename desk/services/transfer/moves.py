"""What a former tool's history says that desk's reports count: a ticket moved to another work
group, and a ticket reopened. Migration writes those rows with desk's own actions, so a report
counts them as it counts desk's (docs/kpi.md: escalations are `escalate` rows, reopenings `reopen`
rows, first-call resolution needs both and the resolving group); every other row stays `former`.

- An event whose kind the mapping makes a "dispatch" moves the ticket to the event's group: to a
  group of a higher tier it is an `escalate` (functional escalation), of a lower one a `return`, of
  the same tier an `assign`. The first group a ticket is seen in is where it was opened, not a move.
  An event of another kind that names another group moves the ticket too (the group worked it
  there: the group that closes a ticket is its resolving group), recorded but not counted.
- An event whose kind is a "reopen", or an audit row whose status goes from resolved or closed back
  to an open one, is a `reopen`.
- A ticket whose former history has no reopening but whose file gives a reopening time
  (`reopened_at`: BPIC 2014's reopen_time, the last one) gets one `reopen` row at that time.
- An audit row whose status goes from an open one to resolved or closed is a `resolve`; a resolved
  or closed ticket whose former history has none gets one `resolve` row at its resolution time
  (the report's resolutions are `resolve` rows, as it writes them for desk's own tickets).
"""

from __future__ import annotations

from bisect import bisect_right

DISPATCH, REOPEN, RESOLVE = "dispatch", "reopen", "resolve"
ESCALATE, RETURN, ASSIGN = "escalate", "return", "assign"
_DONE = ("resolved", "closed")
_OPEN = ("new", "assigned", "in_progress")


class Moves:
    """A ticket's group, tier and reopenings as its former history goes, and the action and
    changes each history row is written with."""

    def __init__(self):
        self.group: str | None = None
        self.tier: int | None = None
        self.reopens = 0

    def move(self, code: str | None, tier: int | None, dispatched: bool) -> tuple[str | None, dict]:
        """To the group `code` (of `tier`): (the desk action, or None when it is no move desk counts;
        the changes to record)."""
        if code is None or code == self.group:
            return None, {}
        changes: dict = {"group": [self.group, code]}
        action = None
        if tier is not None and self.tier is not None and tier != self.tier:
            changes["tier"] = [self.tier, tier]
        if dispatched and tier is not None and self.tier is not None:  # (no tier yet: where it was opened)
            action = ESCALATE if tier > self.tier else RETURN if tier < self.tier else ASSIGN
        self.group, self.tier = code, tier if tier is not None else self.tier
        return action, changes

    def reopen(self) -> dict:
        self.reopens += 1
        return {"reopen_count": [self.reopens - 1, self.reopens]}


def reopened(before: str | None, after: str | None) -> bool:
    """An audit row that takes a resolved or closed ticket back to an open status."""
    return before in _DONE and after in _OPEN


def resolved(before: str | None, after: str | None) -> bool:
    """An audit row that takes an open ticket (or one first seen) to resolved or closed."""
    return before not in _DONE and after in _DONE


def add_resolution(history: list, at, note: str) -> list:
    """`history` with a `resolve` row at `at` (after the rows of the same time), unless a `resolve`
    row already follows its last reopening."""
    last_reopen = max((i for i, row in enumerate(history) if row[2] == REOPEN), default=-1)
    if any(row[2] == RESOLVE for row in history[last_reopen + 1:]):
        return history
    return _in_time(history, (at, None, RESOLVE, {}, note))


def add_reopening(history: list, at, note: str) -> list:
    """`history` (rows (at, actor, action, changes, note) in time order) with a `reopen` row at
    `at` after the rows of the same time, unless it already holds one."""
    if any(row[2] == REOPEN for row in history):
        return history
    return _in_time(history, (at, None, REOPEN, {"reopen_count": [0, 1]}, note))


def _in_time(history: list, row: tuple) -> list:
    """`history` with `row` in its place in time, after the rows of the same time."""
    where = bisect_right([r[0] for r in history], row[0])
    return [*history[:where], row, *history[where:]]
