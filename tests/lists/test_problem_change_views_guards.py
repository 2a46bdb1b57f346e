"""Which problems and changes each view of their queues shows, and each filter term (issue 19): a
record in every status, each view's ids compared with the statuses it names; `p:` `s:` `g:` `a:me`
`cat:` and the text on problems, `s:` and `a:me` on changes."""

from __future__ import annotations

from desk.domain import change_flow as cflow
from desk.domain import problem_flow as pflow
from desk.lists.change import CHANGES, ChangeFilter
from desk.lists.problem import PROBLEMS, ProblemFilter
from desk.models import Change, Problem
from desk.services import changes, problems


def _problem_ids(desk, login="wang", **terms) -> set[int]:
    ctx = PROBLEMS.context(desk, login)
    return set(PROBLEMS.window(ProblemFilter(**terms), ctx, limit=100))


def _change_ids(desk, login="wang", **terms) -> set[int]:
    ctx = CHANGES.context(desk, login)
    return set(CHANGES.window(ChangeFilter(**terms), ctx, limit=100))


def test_each_problem_view_and_term_shows_what_it_names(desk):
    made = {}
    for status in pflow.STATUSES:
        made[status] = problems.create(desk, "lead", title=f"problem {status}", impact=3, urgency=3,
                                       category="network").id
        Problem.update(status=status).where(Problem.id == made[status]).execute()
    owned = problems.create(desk, "lead", title="Printers jam", impact=1, urgency=1, category="hardware").id
    problems.investigate(desk, "wang", owned, owner="me", group="network")
    done = problems.create(desk, "lead", title="Old disk firmware", impact=3, urgency=3, category="network").id
    problems.investigate(desk, "wang", done, owner="me", group="network")
    Problem.update(status=pflow.RESOLVED).where(Problem.id == done).execute()
    open_ = {made[s] for s in pflow.OPEN} | {owned}
    assert _problem_ids(desk, view="open") == open_
    assert _problem_ids(desk, view="mine") == {owned}  # not the one wang resolved
    assert _problem_ids(desk, view="new") == {made[pflow.NEW]}
    assert _problem_ids(desk, view="investigating") == {made[pflow.INVESTIGATING], made[pflow.ROOT_CAUSE], owned}
    assert _problem_ids(desk, view="known_error") == {made[pflow.KNOWN_ERROR]}
    assert _problem_ids(desk, view="resolved") == {made[pflow.RESOLVED], made[pflow.CLOSED], done}
    assert len(_problem_ids(desk, view="all")) == len(pflow.STATUSES) + 2
    assert _problem_ids(desk, view="all", priorities=frozenset({1})) == {owned}
    assert _problem_ids(desk, view="all", statuses=frozenset({pflow.KNOWN_ERROR})) == {made[pflow.KNOWN_ERROR]}
    assert _problem_ids(desk, view="all", groups=frozenset({"network"})) == {owned, done}
    assert _problem_ids(desk, view="all", owners=frozenset({"me"})) == {owned, done}
    assert _problem_ids(desk, view="all", categories=frozenset({"hardware"})) == {owned}
    assert _problem_ids(desk, view="all", text="printers") == {owned}
    assert PROBLEMS.count(ProblemFilter(view="open"), PROBLEMS.context(desk, "wang")) == len(open_)


def test_each_change_view_and_term_shows_what_it_names(desk):
    made = {}
    for status in cflow.STATUSES:
        made[status] = changes.create(desk, "chen", title=f"change {status}", reason="why not").id
        Change.update(status=status).where(Change.id == made[status]).execute()
    mine = changes.create(desk, "wang", title="Upgrade the VPN firmware", reason="drops").id
    done = {made[cflow.CLOSED], made[cflow.REJECTED]}
    assert _change_ids(desk, view="open") == set(made.values()) - done | {mine}
    assert _change_ids(desk, view="mine") == {mine}
    assert _change_ids(desk, view="awaiting") == {made[cflow.AWAITING]}
    assert _change_ids(desk, view="scheduled") == {made[cflow.APPROVED], made[cflow.SCHEDULED]}
    assert _change_ids(desk, view="implementing") == {made[cflow.IMPLEMENTING], made[cflow.REVIEW]}
    assert _change_ids(desk, view="done") == done
    assert _change_ids(desk, view="all", statuses=frozenset({cflow.REVIEW})) == {made[cflow.REVIEW]}
    assert _change_ids(desk, view="all", requesters=frozenset({"me"})) == {mine}
    assert _change_ids(desk, view="all", text="vpn") == {mine}
