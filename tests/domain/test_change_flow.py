"""The change state machine and its approval rules: every action from every status, each guard,
the CAB's any/all rule, emergencies, standard changes, the calendar's conflicts."""

from datetime import datetime, timedelta

import pytest

from desk.domain import change_flow as flow
from desk.domain.errors import InvalidTransition, NotAllowed, ValidationError

NOW = datetime(2026, 12, 1, 9, 0)
REQUESTER, APPR1, APPR2, APPR3, LEAD = 1, 2, 3, 4, 5
BOARD = flow.Board(frozenset({APPR1, APPR2, APPR3}), "any")


def state(status="draft", type="normal", **kw):
    values = {"requester_id": REQUESTER, "template": "", "reason": "tunnel resets", "risk": "low",
              "impact": "VPN down 10 min", "implementation_plan": "upgrade", "backout_plan": "downgrade",
              "planned_start": NOW, "planned_end": NOW + timedelta(hours=1)}
    values.update(kw)
    return flow.ChangeState(status, type, **values)


PLANS = {
    "submit": lambda s: flow.plan_submit(s, NOW, frozenset()),
    "assess": lambda s: flow.plan_assess(s, NOW, "low", None, None, None, None),
    "approve": lambda s: flow.plan_decide(s, NOW, APPR1, False, "approve", BOARD, {}),
    "reject": lambda s: flow.plan_decide(s, NOW, APPR1, False, "reject", BOARD, {}),
    "schedule": lambda s: flow.plan_schedule(s, NOW, None, None),
    "start": lambda s: flow.plan_start(s, NOW, 9),
    "review": lambda s: flow.plan_review(s, NOW, "successful", ""),
    "close": lambda s: flow.plan_close(s, NOW, "went fine", True),
    "link_incident": lambda s: flow.require_from("link_incident", s.status),
    "unlink_incident": lambda s: flow.require_from("unlink_incident", s.status),
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
        assert err.value.params == {"kind": "change", "step": action, "status": status}


def test_incidents_are_caused_only_by_changes_whose_work_began():
    assert flow.ALLOWED_FROM["link_incident"] == {"implementing", "review", "closed"}


# --- submitting, by type ----------------------------------------------------------------------------

def test_a_normal_change_goes_to_assessment_an_emergency_straight_to_approval():
    assert flow.plan_submit(state(), NOW, frozenset()) == {"status": "assessment"}
    assert flow.plan_submit(state(type="emergency"), NOW, frozenset()) == {"status": "awaiting_approval"}


def test_a_standard_change_is_approved_by_its_template():
    changes = flow.plan_submit(state(type="standard", template="restart-spooler"), NOW, frozenset({"restart-spooler"}))
    assert changes == {"status": "approved", "approved_via": "template", "approved_at": NOW}
    with pytest.raises(ValidationError) as err:
        flow.plan_submit(state(type="standard", template="gone"), NOW, frozenset({"restart-spooler"}))
    assert err.value.key == "change.error.unknown_template"


def test_a_change_says_why_and_an_emergency_brings_its_plans():
    with pytest.raises(ValidationError):
        flow.plan_submit(state(reason=" "), NOW, frozenset())
    for field in ("implementation_plan", "backout_plan"):
        with pytest.raises(ValidationError) as err:
            flow.plan_submit(state(type="emergency", **{field: ""}), NOW, frozenset())
        assert err.value.params == {"field": field}
    flow.plan_submit(state(implementation_plan="", backout_plan=""), NOW, frozenset())  # normal: at assessment


# --- assessment -------------------------------------------------------------------------------------

def test_assessment_needs_a_risk_the_impact_and_both_plans():
    bare = state("assessment", risk="", impact="", implementation_plan="", backout_plan="")
    with pytest.raises(ValidationError) as err:
        flow.plan_assess(bare, NOW, None, "x", "y", "z", None)
    assert err.value.key == "change.error.unknown_risk"
    for missing in ("impact", "implementation_plan", "backout_plan"):
        given = {"impact": "x", "implementation_plan": "y", "backout_plan": "z", missing: None}
        with pytest.raises(ValidationError) as err:
            flow.plan_assess(bare, NOW, "high", given["impact"], given["implementation_plan"], given["backout_plan"],
                             None)
        assert err.value.params == {"field": missing}
    changes = flow.plan_assess(bare, NOW, "high", "x", "y", "z", "t")
    assert changes == {"status": "awaiting_approval", "risk": "high", "impact": "x", "implementation_plan": "y",
                       "backout_plan": "z", "test_plan": "t"}
    assert flow.plan_assess(state("assessment"), NOW, None, None, None, None, None) == {
        "status": "awaiting_approval", "risk": "low"}  # what the change holds already will do


# --- deciding ---------------------------------------------------------------------------------------

def decide(s, actor, decision="approve", board=BOARD, decided=None, lead=False):
    return flow.plan_decide(s, NOW, actor, lead, decision, board, decided or {})


def test_nobody_decides_on_their_own_change_not_even_a_board_member():
    board = flow.Board(frozenset({REQUESTER, APPR1}), "any")
    for decision in ("approve", "reject"):
        with pytest.raises(NotAllowed) as err:
            decide(state("awaiting_approval"), REQUESTER, decision, board)
        assert err.value.key == "change.error.own_change"
    with pytest.raises(NotAllowed):
        decide(state("awaiting_approval", type="emergency"), REQUESTER, lead=True)


def test_a_normal_change_is_decided_by_the_board_only():
    with pytest.raises(NotAllowed) as err:
        decide(state("awaiting_approval"), LEAD, lead=True)
    assert err.value.key == "change.error.not_cab"
    assert decide(state("awaiting_approval"), APPR2)["status"] == "approved"


def test_rule_any_one_approval_approves():
    changes = decide(state("awaiting_approval"), APPR1)
    assert changes == {"_recorded": {"decision": [None, "approve"]}, "status": "approved", "approved_via": "cab",
                       "approved_at": NOW}


def test_rule_all_waits_for_every_member_but_the_requester():
    board = flow.Board(frozenset({REQUESTER, APPR1, APPR2, APPR3}), "all")
    first = decide(state("awaiting_approval"), APPR1, board=board)
    assert "status" not in first and first["_recorded"] == {"decision": [None, "approve"]}
    second = decide(state("awaiting_approval"), APPR2, board=board, decided={APPR1: "approve"})
    assert "status" not in second
    last = decide(state("awaiting_approval"), APPR3, board=board, decided={APPR1: "approve", APPR2: "approve"})
    assert last["status"] == "approved"


def test_one_rejection_rejects_whatever_the_rule():
    for rule in flow.RULES:
        board = flow.Board(BOARD.members, rule)
        changes = decide(state("awaiting_approval"), APPR2, "reject", board, {APPR1: "approve"})
        assert changes["status"] == "rejected"


def test_a_member_decides_once():
    board = flow.Board(BOARD.members, "all")
    with pytest.raises(InvalidTransition) as err:
        decide(state("awaiting_approval"), APPR1, board=board, decided={APPR1: "approve"})
    assert err.value.params == {"decision": "approve"}


def test_an_emergency_change_is_approved_by_a_shift_lead_alone_and_the_board_reviews_it_afterwards():
    emergency = state("awaiting_approval", type="emergency")
    by_lead = decide(emergency, LEAD, lead=True, board=flow.Board(BOARD.members, "all"))
    assert (by_lead["status"], by_lead["approved_via"]) == ("approved", "lead")
    assert decide(emergency, APPR1)["approved_via"] == "cab"
    with pytest.raises(NotAllowed) as err:
        decide(emergency, 42)  # neither a member nor a lead
    assert err.value.key == "change.error.not_cab_or_lead"
    in_review = state("review", type="emergency", approved_via="lead")
    with pytest.raises(NotAllowed) as err:
        flow.plan_close(in_review, NOW, "fine", reviewer_in_cab=False)
    assert err.value.key == "change.error.needs_cab_review"
    assert flow.plan_close(in_review, NOW, "fine", reviewer_in_cab=True)["status"] == "closed"
    assert flow.plan_close(state("review", approved_via="cab"), NOW, "fine", reviewer_in_cab=False)["status"] == "closed"


# --- scheduling to closing --------------------------------------------------------------------------

def test_scheduling_needs_a_window_that_ends_after_it_starts():
    bare = state("approved", planned_start=None, planned_end=None)
    with pytest.raises(ValidationError):
        flow.plan_schedule(bare, NOW, None, None)
    with pytest.raises(ValidationError) as err:
        flow.plan_schedule(bare, NOW, NOW, NOW)
    assert err.value.key == "change.error.window"
    later = NOW + timedelta(hours=2)
    assert flow.plan_schedule(bare, NOW, NOW, later) == {"status": "scheduled", "planned_start": NOW,
                                                         "planned_end": later}
    with pytest.raises(ValidationError):
        flow.check_window(NOW, None)


def test_outcome_and_review_are_required():
    with pytest.raises(ValidationError):
        flow.plan_review(state("implementing"), NOW, "fine", "")
    assert flow.plan_review(state("implementing"), NOW, "backed_out", "rolled back")["outcome"] == "backed_out"
    with pytest.raises(ValidationError):
        flow.plan_close(state("review"), NOW, "  ", True)


# --- the calendar -----------------------------------------------------------------------------------

def w(id, services, start_h, end_h):
    return flow.Window(id, flow.service_names(services), NOW + timedelta(hours=start_h), NOW + timedelta(hours=end_h))


def test_conflicts_are_overlapping_windows_on_a_service_in_common():
    found = flow.conflicts([w(1, "network, Core-Banking", 0, 2), w(2, "core-banking", 1, 3), w(3, "network", 2, 4),
                            w(4, "email", 0, 5)])
    assert found == {1: [(2, "core-banking")], 2: [(1, "core-banking")]}  # 3 starts as 1 ends: no overlap
    assert flow.conflicts([w(1, "email", 0, 2), w(2, "email; network", 1, 3)]) == {1: [(2, "email")],
                                                                               2: [(1, "email")]}


def test_services_are_free_text_compared_without_case():
    assert flow.service_names(" Network ,core-banking;;\nEmail ") == {"network", "core-banking", "email"}
    assert flow.service_names("") == frozenset()


def test_iso_weeks():
    assert flow.week_start("2026-W49", NOW) == datetime(2026, 11, 30)
    assert flow.week_start(None, datetime(2026, 12, 6, 23, 59)) == datetime(2026, 11, 30)
    for bad in ("2026-49", "2026-W54", "next week"):
        with pytest.raises(ValidationError):
            flow.week_start(bad, NOW)
