"""The problem state machine: every action from every status, and each guard."""

from datetime import datetime

import pytest

from desk.domain import problem_flow as flow
from desk.domain.errors import InvalidTransition, ValidationError

NOW = datetime(2026, 12, 1, 9, 0)


def state(status, **kw):
    return flow.ProblemState(status, **{"root_cause": "bad firmware", "workaround": "reconnect", **kw})


PLANS = {
    "investigate": lambda s: flow.plan_investigate(s, NOW, 7, None),
    "root_cause": lambda s: flow.plan_root_cause(s, NOW, "bad firmware"),
    "known_error": lambda s: flow.plan_known_error(s, NOW, "reconnect"),
    "resolve": lambda s: flow.plan_resolve(s, NOW, "firmware 2.1", None, None),
    "close": lambda s: flow.plan_close(s, NOW),
    "note": lambda s: flow.plan_note(s, NOW, "looked at the logs"),
    "link": lambda s: flow.plan_link(s, "link", [3, 2, 3]),
    "unlink": lambda s: flow.plan_link(s, "unlink", [2]),
}
CASES = [(action, status) for action in PLANS for status in flow.STATUSES]


def test_every_action_has_a_row_in_the_table():
    assert set(PLANS) == set(flow.ALLOWED_FROM)


@pytest.mark.parametrize("action,status", CASES, ids=[f"{a}-{s}" for a, s in CASES])
def test_each_action_is_allowed_exactly_from_its_statuses(action, status):
    if status in flow.ALLOWED_FROM[action]:
        PLANS[action](state(status))
    else:
        with pytest.raises(InvalidTransition) as err:
            PLANS[action](state(status))
        assert err.value.params == {"kind": "problem", "step": action, "status": status}


def test_the_workflow_moves_forward_one_step_at_a_time():
    assert PLANS["investigate"](state("new")) == {"status": "under_investigation", "owner_id": 7}
    assert flow.plan_investigate(state("new"), NOW, 7, 4)["group_id"] == 4
    assert PLANS["root_cause"](state("under_investigation"))["status"] == "root_cause_known"
    assert PLANS["known_error"](state("root_cause_known"))["status"] == "known_error"
    assert PLANS["known_error"](state("root_cause_known"))["known_error_at"] == NOW
    assert PLANS["resolve"](state("known_error"))["status"] == "resolved"
    assert PLANS["resolve"](state("known_error"))["resolved_at"] == NOW
    assert PLANS["close"](state("resolved")) == {"status": "closed", "closed_at": NOW}


def test_a_closed_problem_takes_nothing_more():
    assert not any("closed" in allowed for allowed in flow.ALLOWED_FROM.values())


@pytest.mark.parametrize("text", [None, "", "   \n"])
def test_root_cause_workaround_fix_and_notes_need_text(text):
    with pytest.raises(ValidationError):
        flow.plan_root_cause(state("under_investigation"), NOW, text)
    with pytest.raises(ValidationError):
        flow.plan_known_error(state("root_cause_known"), NOW, text)
    with pytest.raises(ValidationError):
        flow.plan_resolve(state("root_cause_known"), NOW, text, None, None)
    with pytest.raises(ValidationError):
        flow.plan_note(state("new"), NOW, text)


def test_a_known_error_needs_its_root_cause_on_record():
    with pytest.raises(ValidationError) as err:
        flow.plan_known_error(state("root_cause_known", root_cause=" "), NOW, "reconnect")
    assert err.value.params == {"field": "root_cause"}


def test_the_permanent_fix_may_be_a_change_but_only_a_successful_one():
    changes = flow.plan_resolve(state("root_cause_known"), NOW, "", 12, True)
    assert changes["fix_change_id"] == 12 and changes["status"] == "resolved"
    for outcome_ok in (False, None):
        with pytest.raises(InvalidTransition) as err:
            flow.plan_resolve(state("root_cause_known"), NOW, "firmware 2.1", 12, outcome_ok)
        assert err.value.key == "problem.error.fix_change_not_done"
    assert "fix_change_id" not in flow.plan_resolve(state("root_cause_known"), NOW, "firmware", None, None)


def test_links_record_the_ids_added_or_removed_in_order():
    assert PLANS["link"](state("new")) == {"_recorded": {"incidents": [None, [2, 3]]}}
    assert PLANS["unlink"](state("resolved")) == {"_recorded": {"incidents": [[2], None]}}
    with pytest.raises(ValidationError):
        flow.plan_link(state("new"), "link", [])
