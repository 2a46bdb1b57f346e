"""The incident queue as a kind of list: the first kind on the machinery (desk.lists)."""

from __future__ import annotations

from desk.domain.incident_flow import ALLOWED_FROM, OPEN
from desk.lists.spec import ListSpec
from desk.services import queue


def make_filter(view: str, parsed) -> queue.QueueFilter:
    return queue.QueueFilter(view=view, text=parsed.text, priorities=parsed.priorities, statuses=parsed.statuses,
                             groups=parsed.groups, assignees=parsed.assignees, categories=parsed.categories,
                             breached=parsed.breached, refs=parsed.refs)


def _context(desk, login):
    return queue.context(desk, login, scoped=True)


# Looked up at each call (not bound at import): tests and the bench replace them in desk.services.queue.
def _count(f, ctx):
    return queue.count(f, ctx)


def _window(f, ctx, sort="priority", offset=0, limit=100, descending=False):
    return queue.window(f, ctx, sort, offset, limit, descending)


def _iter_ids(f, ctx, sort="priority", descending=False, **kwargs):
    return queue.iter_ids(f, ctx, sort, descending, **kwargs)


def _vocabulary(config):
    return queue.vocabulary(config)


def _rows(desk, ids):
    from desk.services import queue_rows

    return queue_rows.rows(desk, ids)


ACTIONS = {"detail": "enter", "assign": "a", "escalate": "e", "resolve": "r", "close": "c", "reopen": "o",
           "new": "n", "knowledge": "k", "note": "m", "return": "b", "confirm": "y",
           "problem": "P", "to_request": "R", "cause": "C", "set_service": "t", "set_priority": "i", "sla_hold": "h",
           "sla_resume": "H"}
# Holding and resuming the SLA clock (desk/screens/clock_keys.py, as `desk sla hold/resume 12`) are not
# steps of the incident flow: from any open status, where its clock runs (the service refuses the rest).
CLOCK = ("sla_hold", "sla_resume")

INCIDENTS = ListSpec(
    kind="incident",
    views=queue.VIEWS,
    sorts=queue.SORTS,
    context=_context,
    make_filter=make_filter,
    count=_count,
    window=_window,
    iter_ids=_iter_ids,
    rows=_rows,
    vocabulary=_vocabulary,
    table="desk.lists.incident_cells:TABLE",
    filter_hint="tui.filter.hint_incident",  # (ref: finds a migrated or imported incident by its former number)
    actions=ACTIONS,
    bulk=frozenset({"assign", "escalate", "close", "problem", "cause"}),
    rowless=frozenset({"new", "knowledge"}),
    allowed_from=ALLOWED_FROM | dict.fromkeys(CLOCK, OPEN),
)
