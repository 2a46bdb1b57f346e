"""`desk demo`'s problems and changes: every state, histories the services wrote, links in both
histories, a known error with its article, a change that fixed a problem and one that caused incidents."""

import json

import pytest

from desk.domain import change_flow, problem_flow
from desk.models import Agent, Article, ChangeApproval, ChangeIncident, History, Problem, ProblemIncident
from desk.services import changes, check, demo, problems


@pytest.fixture
def demo_desk(desk):
    demo.generate(desk, incidents=300, seed=7, days=30)
    return desk


def test_every_state_is_there(demo_desk):
    _, problem_rows = problems.list_(demo_desk, limit=100)
    _, change_rows = changes.list_(demo_desk, limit=100)
    assert {p.status for p in problem_rows} == set(problem_flow.STATUSES)
    assert {c.status for c in change_rows} == set(change_flow.STATUSES)
    assert {c.type for c in change_rows} == set(change_flow.TYPES)
    assert {c.outcome for c in change_rows if c.status == "closed"} == set(change_flow.OUTCOMES)


def test_histories_are_what_the_services_write(demo_desk):
    assert check.run_check(demo_desk).ok
    now = demo_desk.now()
    for entity, model in (("problem", Problem), ("change", changes.Change)):
        for row in model.select():
            rows = list(History.select().where((History.entity == entity) & (History.entity_id == row.id))
                        .order_by(History.seq))
            assert row.version == len(rows) and rows[0].action == "create"
            times = [r.at for r in rows]
            assert times == sorted(times) and times[-1] == row.updated_at <= now
            said = [json.loads(r.changes)["status"][1] for r in rows if "status" in json.loads(r.changes)]
            assert said[-1] == row.status


def test_links_are_in_both_histories(demo_desk):
    links = list(ProblemIncident.select())
    assert len(links) >= 15
    for link in links:
        problem_rows = History.select().where((History.entity == "problem") & (History.entity_id == link.problem_id))
        named = [i for r in problem_rows for i in (json.loads(r.changes).get("incidents") or [None, []])[1] or []]
        assert link.incident_id in named
        mine = History.select().where((History.entity == "incident") & (History.entity_id == link.incident_id)
                                      & (History.action == "link_problem")).get()
        assert json.loads(mine.changes) == {"problem": [None, link.problem_id]}
    assert ChangeIncident.select().count() >= 1


def test_known_errors_resolutions_and_decisions_tell_a_consistent_story(demo_desk):
    known = Problem.select().where(Problem.status == "known_error")
    assert known.count() >= 2 and all(p.article_id for p in known)
    statuses = {Article.get_by_id(p.article_id).status for p in known}
    assert statuses == {"published", "draft"}  # a shift lead's published, a second-line agent's a draft
    fixed = Problem.select().where(Problem.fix_change.is_null(False)).get()
    assert changes.get(demo_desk, fixed.fix_change_id).outcome == "successful"
    for decision in ChangeApproval.select():
        assert decision.agent_id != changes.Change.get_by_id(decision.change_id).requester_id  # nobody their own
    emergency = changes.Change.select().where((changes.Change.type == "emergency")
                                              & (changes.Change.status == "closed")).get()
    closer = History.select().where((History.entity == "change") & (History.entity_id == emergency.id)
                                    & (History.action == "close")).get()
    assert emergency.approved_via == "lead" and "approver" in Agent.get_by_id(closer.actor_id).role_set


def test_a_calendar_conflict_is_planned(demo_desk):
    planned = changes.Change.select().where(changes.Change.status == "scheduled")
    from desk.services import change_calendar

    weeks = {change_calendar.week_of(c.planned_start) for c in planned}
    found = {k for week in weeks for k in change_calendar.calendar(demo_desk, week).conflicts}
    assert len(found) >= 2
