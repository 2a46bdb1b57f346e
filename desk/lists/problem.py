"""Problems as a kind of list (seed 004 §5.3): the problem queue's views, filter and rows."""

from __future__ import annotations

from typing import NamedTuple

from desk.domain import problem_flow as flow
from desk.lists import paging
from desk.lists.spec import ListSpec

VIEWS = ("open", "mine", "new", "investigating", "known_error", "resolved", "all")
SORTS = ("priority", "age", "updated")


class ProblemFilter(NamedTuple):
    view: str = "open"
    text: str = ""
    priorities: frozenset = frozenset()
    statuses: frozenset = frozenset()
    groups: frozenset = frozenset()
    owners: frozenset = frozenset()
    categories: frozenset = frozenset()


# The filter terms a problem list takes: no former number and no `breached` (a problem has no
# resolution target).
TERMS = frozenset({"p", "s", "g", "a", "cat"})


def make_filter(view: str, parsed) -> ProblemFilter:
    return ProblemFilter(view, parsed.text, parsed.priorities, parsed.statuses, parsed.groups, parsed.assignees,
                         parsed.categories)


def _where(f: ProblemFilter, ctx):
    from desk.models import Agent, Group, Problem

    conds = []
    view = f.view
    if view == "open":
        conds.append(Problem.status.in_(sorted(flow.OPEN)))
    elif view == "mine":
        conds += [Problem.owner == ctx.agent_id, Problem.status.in_(sorted(flow.OPEN))]
    elif view == "new":
        conds.append(Problem.status == flow.NEW)
    elif view == "investigating":
        conds.append(Problem.status.in_([flow.INVESTIGATING, flow.ROOT_CAUSE]))
    elif view == "known_error":
        conds.append(Problem.status == flow.KNOWN_ERROR)
    elif view == "resolved":
        conds.append(Problem.status.in_([flow.RESOLVED, flow.CLOSED]))
    if f.priorities:
        conds.append(Problem.priority.in_(sorted(f.priorities)))
    if f.statuses:
        conds.append(Problem.status.in_(sorted(f.statuses)))
    if f.categories:
        conds.append(Problem.category.in_(sorted(f.categories)))
    if f.groups:
        conds.append(Problem.group.in_(Group.select(Group.id).where(Group.code.in_(sorted(f.groups)))))
    if f.owners:
        logins = sorted({ctx.login if a == "me" else a for a in f.owners})
        conds.append(Problem.owner.in_(Agent.select(Agent.id).where(Agent.login.in_(logins))))
    if f.text.strip():
        from desk.services import queue_text

        conds.append(queue_text.title_contains(Problem, f.text))
    return conds


def _paging() -> paging.Paging:
    from desk.models import Problem

    return paging.Paging(Problem, _where, {
        "priority": [(Problem.priority, False), (Problem.opened_at, False)],
        "age": [(Problem.opened_at, False)],
        "updated": [(Problem.updated_at, True)],
    })


_PAGING: list = []


def _pager() -> paging.Paging:
    if not _PAGING:  # (the models are imported when first read, not with the spec)
        _PAGING.append(_paging())
    return _PAGING[0]


def rows(desk, ids) -> list:
    """ProblemRows for these ids, in the order given (missing ids skipped)."""
    from peewee import fn

    from desk.models import Problem, ProblemIncident
    from desk.services import linking
    from desk.services.problem_change_views import ProblemRow

    ids = [int(i) for i in ids]
    if not ids:
        return []
    linked = (ProblemIncident.select(fn.COUNT(ProblemIncident.id)).where(ProblemIncident.problem == Problem.id))
    found = {}
    for r in Problem.select(Problem, linked.alias("linked")).where(Problem.id.in_(ids)):
        found[r.id] = ProblemRow(r.id, r.priority, r.status, r.title, linking.service_code(desk, r.service_id),
                                 r.category, linking.agent_login(desk, r.owner_id) or "",
                                 linking.group_code(desk, r.group_id) or "", r.linked, r.opened_at, r.updated_at,
                                 r.version)
    return [found[i] for i in ids if i in found]


def vocabulary(config):
    from desk.domain.filter_terms import Vocabulary
    from desk.services import queue

    base = queue.vocabulary(config)
    return Vocabulary(priorities=base.priorities, statuses=paging.message_aliases("problem.status.", flow.STATUSES),
                      groups=base.groups, categories=base.categories, open_statuses=flow.OPEN, terms=TERMS,
                      kind="problem")


PROBLEMS = ListSpec(
    kind="problem",
    views=VIEWS,
    sorts=SORTS,
    context=paging.context,
    make_filter=make_filter,
    count=paging.title_counted("PROBLEMS", ProblemFilter("all"), _pager),
    window=lambda f, ctx, sort="priority", offset=0, limit=100, descending=False:
        _pager().window(f, ctx, sort, offset, limit, descending),
    iter_ids=lambda f, ctx, sort="priority", descending=False, **kw: _pager().iter_ids(f, ctx, sort, descending, **kw),
    rows=rows,
    vocabulary=vocabulary,
    table="desk.lists.problem_cells:TABLE",
    actions={"detail": "enter", "investigate": "i", "root_cause": "r", "known_error": "w", "resolve": "x",
             "close": "c", "note": "m", "resolve_incidents": "I"},
    permissions={"investigate": "problem.investigate", "root_cause": "problem.root_cause",
                 "known_error": "problem.known_error", "resolve": "problem.resolve", "close": "problem.close",
                 "note": "problem.note", "resolve_incidents": "incident.resolve"},
    allowed_from={**{a: s for a, s in flow.ALLOWED_FROM.items()
                     if a in ("investigate", "root_cause", "known_error", "resolve", "close", "note")},
                  "resolve_incidents": frozenset({flow.RESOLVED, flow.CLOSED})},
    status_label="problem.status.",
    view_label="lists.problem.view.",
    sort_label="lists.sort.",
    key_label="lists.problem.key.",
    filter_hint="tui.filter.hint_problem",
    filter_placeholder="tui.filter.placeholder_problem",
)
