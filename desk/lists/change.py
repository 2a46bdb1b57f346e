"""Changes as a kind of list (seed 004 §4.1): the change queue's views, filter and rows."""

from __future__ import annotations

from typing import NamedTuple

from desk.domain import change_flow as flow
from desk.lists import paging
from desk.lists.spec import ListSpec

VIEWS = ("open", "mine", "awaiting", "scheduled", "implementing", "done", "all")
SORTS = ("updated", "start", "age")
DONE = (flow.CLOSED, flow.REJECTED)


class ChangeFilter(NamedTuple):
    view: str = "open"
    text: str = ""
    statuses: frozenset = frozenset()
    requesters: frozenset = frozenset()


# The filter terms a change list takes: its status and `a:` its requester (a change has no priority,
# group, category, former number or resolution target).
TERMS = frozenset({"s", "a"})


def make_filter(view: str, parsed) -> ChangeFilter:
    return ChangeFilter(view, parsed.text, parsed.statuses, parsed.assignees)


def _where(f: ChangeFilter, ctx):
    from desk.models import Agent, Change

    conds = []
    view = f.view
    if view == "open":
        conds.append(Change.status.not_in(DONE))
    elif view == "mine":
        conds += [Change.requester == ctx.agent_id, Change.status.not_in(DONE)]
    elif view == "awaiting":
        conds.append(Change.status == flow.AWAITING)
    elif view == "scheduled":
        conds.append(Change.status.in_([flow.APPROVED, flow.SCHEDULED]))
    elif view == "implementing":
        conds.append(Change.status.in_([flow.IMPLEMENTING, flow.REVIEW]))
    elif view == "done":
        conds.append(Change.status.in_(DONE))
    if f.statuses:
        conds.append(Change.status.in_(sorted(f.statuses)))
    if f.requesters:
        logins = sorted({ctx.login if a == "me" else a for a in f.requesters})
        conds.append(Change.requester.in_(Agent.select(Agent.id).where(Agent.login.in_(logins))))
    if f.text.strip():
        from desk.services import queue_text

        conds.append(queue_text.title_contains(Change, f.text))
    return conds


_PAGING: list = []


def _pager() -> paging.Paging:
    if not _PAGING:
        from desk.models import Change

        _PAGING.append(paging.Paging(Change, _where, {
            "updated": [(Change.updated_at, True)],
            "start": [(Change.planned_start, False)],
            "age": [(Change.created_at, False)],
        }))
    return _PAGING[0]


def rows(desk, ids) -> list:
    """ChangeRows for these ids, in the order given (missing ids skipped)."""
    from desk.models import Change
    from desk.services.changes import row_view

    ids = [int(i) for i in ids]
    if not ids:
        return []
    found = {r.id: row_view(desk, r) for r in Change.select().where(Change.id.in_(ids))}
    return [found[i] for i in ids if i in found]


def vocabulary(config):
    from desk.domain.filter_terms import Vocabulary

    return Vocabulary(statuses=paging.message_aliases("change.status.", flow.STATUSES),
                      open_statuses=frozenset(flow.STATUSES) - frozenset(DONE), terms=TERMS, kind="change")


CHANGES = ListSpec(
    kind="change",
    views=VIEWS,
    sorts=SORTS,
    context=paging.context,
    make_filter=make_filter,
    count=paging.title_counted("CHANGES", ChangeFilter("all"), _pager),
    window=lambda f, ctx, sort="updated", offset=0, limit=100, descending=False:
        _pager().window(f, ctx, sort, offset, limit, descending),
    iter_ids=lambda f, ctx, sort="updated", descending=False, **kw: _pager().iter_ids(f, ctx, sort, descending, **kw),
    rows=rows,
    vocabulary=vocabulary,
    table="desk.lists.change_cells:TABLE",
    actions={"detail": "enter", "submit": "u", "assess": "e", "approve": "a", "reject": "j", "schedule": "p",
             "start": "t", "review": "o", "back_out": "b", "close": "c", "link_incident": "i", "unlink_incident": "I"},
    permissions={"submit": "change.create", "assess": "change.assess", "approve": "change.approve",
                 "reject": "change.approve", "schedule": "change.implement", "start": "change.implement",
                 "review": "change.implement", "back_out": "change.implement", "close": "change.close",
                 "link_incident": "change.link_incident", "unlink_incident": "change.link_incident"},
    allowed_from={**{a: flow.ALLOWED_FROM[a] for a in ("submit", "assess", "approve", "reject", "schedule", "start",
                                                        "review", "close", "link_incident", "unlink_incident")},
                  "back_out": flow.ALLOWED_FROM["review"]},
    status_label="change.status.",
    view_label="lists.change.view.",
    sort_label="lists.sort.",
    key_label="lists.change.key.",
    filter_hint="tui.filter.hint_change",
    filter_placeholder="tui.filter.placeholder_change",
)
