"""The service-request state machine (seed 003): every action from every status, each guard and
its inversion, the approval rules (role, level order, own request, dated substitutes)."""

from datetime import date, datetime, timedelta
from decimal import Decimal

import pytest

from desk.domain import request_flow as flow
from desk.domain.errors import InvalidTransition, NotAllowed, ValidationError
from desk.domain.permissions import PERMISSIONS, may_assign_within, may_touch

NOW = datetime(2026, 12, 1, 9, 0)
OWNER, HANDLER, CREATOR, BOSS, OWNER_BOSS, SUB, OTHER = 1, 2, 3, 10, 11, 12, 13
STEPS = [flow.ApprovalStep(1, BOSS), flow.ApprovalStep(2, OWNER_BOSS)]
CODES = ["not_justified", "other"]


def state(status, **kw):
    base = {"owner_id": OWNER, "handler_id": HANDLER, "created_by_id": CREATOR, "resolved_at": NOW,
            "callback_at": NOW, "outcome": "succeeded"}
    return flow.RequestState(status, **{**base, **kw})


from desk.domain.request_convert import plan_to_incident  # noqa: E402

PLANS = {
    "accept": lambda s: flow.plan_accept(s, NOW, 7),
    "dispatch": lambda s: flow.plan_dispatch(s, NOW, 7, 4),
    "return": lambda s: flow.plan_return(s, NOW, "not ours", "give it to the database team", 1),
    "escalate": lambda s: flow.plan_escalate(s, NOW, "VIP waiting"),
    "ask_approval": lambda s: flow.plan_ask_approval(s, NOW, [flow.Approver(BOSS, True, "boss")]),
    "approve": lambda s: flow.plan_approve(s, NOW, BOSS, STEPS, []),
    "reject": lambda s: flow.plan_reject(s, NOW, BOSS, STEPS, [], "other", CODES, "no"),
    "ask_cost": lambda s: flow.plan_ask_cost(s, NOW),
    "confirm_cost": lambda s: flow.plan_confirm_cost(s, NOW, "120.50", "cny", "Ms Li, by phone", 7),
    "wait": lambda s: flow.plan_wait(s, NOW, "which laptop model?"),
    "resume": lambda s: flow.plan_resume(s, NOW),
    "resolve": lambda s: flow.plan_resolve(s, NOW, "succeeded", "installed"),
    "callback": lambda s: flow.plan_callback(s, NOW, 4, "quick"),
    "close": lambda s: flow.plan_close(s, NOW, None),
    "auto_close": lambda s: flow.plan_auto_close(s._replace(callback_at=None, resolved_at=NOW - timedelta(days=9)),
                                                 NOW, 5),
    "cancel": lambda s: flow.plan_cancel(s, NOW, "no longer needed"),
    "note": lambda s: flow.plan_note(s, NOW, "called back"),
    "to_incident": lambda s: plan_to_incident(s, NOW, "it is a fault"),
}
CASES = [(action, status) for action in PLANS for status in flow.STATUSES]


def test_every_action_has_a_row_in_the_tables():
    assert set(PLANS) == set(flow.ALLOWED_FROM) == set(flow.PERMISSION)
    assert set(flow.PERMISSION.values()) <= set(PERMISSIONS)


@pytest.mark.parametrize("action,status", CASES, ids=[f"{a}-{s}" for a, s in CASES])
def test_each_action_is_allowed_exactly_from_its_statuses(action, status):
    if status in flow.ALLOWED_FROM[action]:
        PLANS[action](state(status))
    else:
        with pytest.raises(InvalidTransition) as err:
            PLANS[action](state(status))
        assert err.value.params == {"kind": "request", "step": action, "status": status}


def test_a_closed_request_takes_nothing_more():
    assert not any(flow.CLOSED in allowed for allowed in flow.ALLOWED_FROM.values())


def test_the_happy_path_moves_one_step_at_a_time():
    assert PLANS["accept"](state("pending", owner_id=None, first_response_at=None)) == {
        "status": "accepted", "accepted_at": NOW, "owner_id": 7, "first_response_at": NOW}
    assert PLANS["dispatch"](state("accepted"))["status"] == "dispatched"
    assert PLANS["resolve"](state("dispatched"))["status"] == "resolved"
    assert PLANS["callback"](state("resolved"))["satisfaction"] == 4
    assert PLANS["close"](state("resolved")) == {"status": "closed", "close_code": "succeeded", "closed_at": NOW,
                                                  "completed_at": NOW}


# --- first-responder ownership -------------------------------------------------------------------

def test_the_agent_who_accepts_owns_it_and_nobody_else_takes_that():
    assert flow.plan_accept(state("pending", owner_id=None), NOW, 7)["owner_id"] == 7
    assert "owner_id" not in flow.plan_accept(state("pending", owner_id=5), NOW, 7)
    for action in PLANS:
        for status in flow.ALLOWED_FROM[action]:
            assert "owner_id" not in PLANS[action](state(status)) or action == "accept"


def test_first_response_is_stamped_once():
    assert flow.plan_dispatch(state("accepted", first_response_at=None), NOW, 7, None)["first_response_at"] == NOW
    assert "first_response_at" not in flow.plan_dispatch(state("accepted", first_response_at=NOW), NOW, 7, None)


# --- dispatch and return ---------------------------------------------------------------------------

def test_dispatch_needs_a_handler_or_a_group():
    with pytest.raises(ValidationError) as err:
        flow.plan_dispatch(state("accepted"), NOW, None, None)
    assert err.value.params == {"field": "to"}
    assert flow.plan_dispatch(state("accepted"), NOW, None, 4)["group_id"] == 4
    assert flow.plan_dispatch(state("accepted"), NOW, 7, None)["handler_id"] == 7


@pytest.mark.parametrize("reason,suggestion,missing", [
    ("", "the database team", "reason"), ("  ", "the database team", "reason"), (None, "x", "reason"),
    ("not ours", "", "suggestion"), ("not ours", " \n", "suggestion"), ("not ours", None, "suggestion")])
def test_return_needs_both_a_reason_and_a_suggestion(reason, suggestion, missing):
    with pytest.raises(ValidationError) as err:
        flow.plan_return(state("dispatched"), NOW, reason, suggestion, 1)
    assert err.value.params == {"field": missing}


def test_return_goes_back_to_the_desk_with_both_on_record():
    changes = PLANS["return"](state("dispatched"))
    assert changes["status"] == "accepted" and changes["handler_id"] is None and changes["group_id"] == 1
    assert changes["_note"] == "not ours"
    assert changes["_recorded"] == {"suggestion": [None, "give it to the database team"]}


@pytest.mark.parametrize("plan", [
    lambda: flow.plan_escalate(state("dispatched"), NOW, " "),
    lambda: flow.plan_wait(state("dispatched"), NOW, ""),
    lambda: flow.plan_cancel(state("pending"), NOW, None),
    lambda: flow.plan_resolve(state("dispatched"), NOW, "succeeded", ""),
    lambda: flow.plan_note(state("pending"), NOW, "\t"),
    lambda: flow.plan_reject(state("awaiting_approval"), NOW, BOSS, STEPS, [], "other", CODES, ""),
])
def test_reasons_and_notes_are_required(plan):
    with pytest.raises(ValidationError):
        plan()


# --- approval ------------------------------------------------------------------------------------

def test_asking_for_approval_names_the_levels_in_order():
    changes = flow.plan_ask_approval(state("dispatched", approval_levels=2), NOW,
                                     [flow.Approver(BOSS, True, "boss"), flow.Approver(OWNER_BOSS, True, "owner")])
    assert changes["status"] == "awaiting_approval"
    assert changes["_approvals"] == [(1, BOSS), (2, OWNER_BOSS)]
    assert changes["approval_levels"] == 2


def test_approvers_must_hold_the_role_be_new_and_not_the_requests_own_agents():
    ask = lambda *a: flow.plan_ask_approval(state("dispatched"), NOW, list(a))  # noqa: E731
    with pytest.raises(ValidationError) as err:
        ask(flow.Approver(OTHER, False, "zhao"))
    assert err.value.key == "request.error.not_an_approver"
    for own in (OWNER, HANDLER, CREATOR):
        with pytest.raises(ValidationError) as err:
            ask(flow.Approver(own, True, "me"))
        assert err.value.key == "request.error.own_approver"
    with pytest.raises(ValidationError) as err:
        ask(flow.Approver(BOSS, True, "boss"), flow.Approver(BOSS, True, "boss"))
    assert err.value.key == "request.error.approver_twice"
    with pytest.raises(ValidationError):
        ask()
    assert ask(flow.Approver(BOSS, True, "boss"))["_approvals"] == [(1, BOSS)]


def test_a_service_needing_two_levels_refuses_one_approver():
    with pytest.raises(ValidationError) as err:
        flow.plan_ask_approval(state("dispatched", approval_levels=2), NOW, [flow.Approver(BOSS, True, "b")])
    assert err.value.params == {"needed": 2, "given": 1}


def test_levels_are_decided_in_order_and_the_last_one_sends_it_back_to_the_handler():
    s = state("awaiting_approval", approval_levels=2)
    first = flow.plan_approve(s, NOW, BOSS, STEPS, [])
    assert first["_decided"] == (1, None) and "status" not in first and "approved" not in first
    with pytest.raises(NotAllowed) as err:  # the second level's approver cannot go first
        flow.plan_approve(s, NOW, OWNER_BOSS, STEPS, [])
    assert err.value.key == "request.error.not_your_approval" and err.value.params == {"level": 1}
    done = [STEPS[0]._replace(decision="approved"), STEPS[1]]
    last = flow.plan_approve(s, NOW, OWNER_BOSS, done, [])
    assert last["_decided"] == (2, None) and last["approved"] is True and last["status"] == "dispatched"


def test_only_the_named_approver_decides():
    for plan in (lambda who: flow.plan_approve(state("awaiting_approval"), NOW, who, STEPS, []),
                 lambda who: flow.plan_reject(state("awaiting_approval"), NOW, who, STEPS, [], "other", CODES, "no")):
        with pytest.raises(NotAllowed):
            plan(OTHER)
        plan(BOSS)


def test_nobody_decides_on_a_request_they_raised_accepted_or_handle():
    for own in (OWNER, HANDLER, CREATOR):
        steps = [flow.ApprovalStep(1, own)]
        with pytest.raises(NotAllowed) as err:
            flow.plan_approve(state("awaiting_approval"), NOW, own, steps, [])
        assert err.value.key == "request.error.own_request"
        with pytest.raises(NotAllowed):
            flow.plan_reject(state("awaiting_approval"), NOW, own, steps, [], "other", CODES, "no")
        # the same agent on a request that is not theirs decides
        flow.plan_approve(state("awaiting_approval", owner_id=90, handler_id=91, created_by_id=92), NOW, own, steps, [])


def test_no_open_level_nothing_to_decide():
    decided = [s._replace(decision="approved") for s in STEPS]
    with pytest.raises(InvalidTransition):
        flow.plan_approve(state("awaiting_approval"), NOW, BOSS, decided, [])


def test_a_substitute_decides_only_within_the_dates_and_the_history_says_for_whom():
    away = [flow.Delegation(BOSS, SUB, date(2026, 11, 30), date(2026, 12, 2))]
    changes = flow.plan_approve(state("awaiting_approval"), NOW, SUB, STEPS, away)
    assert changes["_decided"] == (1, BOSS)
    assert changes["_recorded"]["approval"][1] == {"level": 1, "decision": "approved", "on_behalf_of": BOSS}
    for when in (datetime(2026, 11, 29, 23, 59), datetime(2026, 12, 3, 0, 0)):
        with pytest.raises(NotAllowed):
            flow.plan_approve(state("awaiting_approval"), when, SUB, STEPS, away)
    flow.plan_approve(state("awaiting_approval"), datetime(2026, 12, 2, 23, 59), SUB, STEPS, away)
    # a substitute for someone else's level does not count
    with pytest.raises(NotAllowed):
        flow.plan_approve(state("awaiting_approval"), NOW, SUB, STEPS,
                          [flow.Delegation(OWNER_BOSS, SUB, date(2026, 11, 1), date(2026, 12, 31))])
    # the approver themselves still decides while a substitute is named
    assert flow.plan_approve(state("awaiting_approval"), NOW, BOSS, STEPS, away)["_decided"] == (1, None)


def test_a_substitute_holds_the_role_is_someone_else_and_the_period_is_real():
    d1, d2 = date(2026, 12, 1), date(2026, 12, 5)
    assert flow.check_delegation(BOSS, flow.Approver(SUB, True, "s"), d1, d2) == flow.Delegation(BOSS, SUB, d1, d2)
    with pytest.raises(ValidationError):
        flow.check_delegation(BOSS, flow.Approver(SUB, False, "s"), d1, d2)
    with pytest.raises(ValidationError):
        flow.check_delegation(BOSS, flow.Approver(BOSS, True, "b"), d1, d2)
    with pytest.raises(ValidationError):
        flow.check_delegation(BOSS, flow.Approver(SUB, True, "s"), d2, d1)
    flow.check_delegation(BOSS, flow.Approver(SUB, True, "s"), d1, d1)  # one day


def test_rejection_closes_with_approval_rejected_and_the_code():
    changes = flow.plan_reject(state("awaiting_approval"), NOW, BOSS, STEPS, [], "not_justified", CODES, "no")
    assert changes["status"] == "closed" and changes["close_code"] == "approval_rejected"
    assert changes["rejection_code"] == "not_justified" and changes["_note"] == "no"
    assert flow.plan_reject(state("awaiting_approval"), NOW, BOSS, STEPS, [], None, CODES, "no")["rejection_code"] == "other"
    with pytest.raises(ValidationError):
        flow.plan_reject(state("awaiting_approval"), NOW, BOSS, STEPS, [], "made_up", CODES, "no")


# --- cost, fulfilment, callback, close -------------------------------------------------------------

def test_fulfilment_waits_for_the_approval_and_the_cost_it_needs():
    with pytest.raises(InvalidTransition) as err:
        PLANS["resolve"](state("dispatched", approval_levels=1, approved=False))
    assert err.value.key == "request.error.needs_approval"
    PLANS["resolve"](state("dispatched", approval_levels=1, approved=True))
    with pytest.raises(InvalidTransition) as err:
        PLANS["resolve"](state("dispatched", needs_cost=True, cost_confirmed=False))
    assert err.value.key == "request.error.needs_cost"
    PLANS["resolve"](state("dispatched", needs_cost=True, cost_confirmed=True))
    # a failed fulfilment is recorded whatever was approved
    assert flow.plan_resolve(state("dispatched", approval_levels=1), NOW, "failed", "no stock")["outcome"] == "failed"
    with pytest.raises(ValidationError):
        flow.plan_resolve(state("dispatched"), NOW, "maybe", "done")


def test_cost_confirmation_records_amount_currency_who_and_when():
    changes = PLANS["confirm_cost"](state("awaiting_cost"))
    assert changes == {"status": "dispatched", "cost_amount": "120.50", "cost_currency": "CNY",
                       "cost_confirmed_with": "Ms Li, by phone", "cost_confirmed_by_id": 7,
                       "cost_confirmed_at": NOW, "cost_confirmed": True}


@pytest.mark.parametrize("amount", ["0", "-5", "abc", "", "1e12", "NaN", "inf", "1.001", None])
def test_a_cost_is_a_positive_amount_in_cents(amount):
    with pytest.raises(ValidationError):
        flow.plan_confirm_cost(state("awaiting_cost"), NOW, amount, "CNY", "Ms Li", 7)


@pytest.mark.parametrize("currency,with_", [("", "Ms Li"), ("yuan", "Ms Li"), ("C1Y", "Ms Li"), ("CNY", " ")])
def test_a_cost_needs_a_currency_code_and_whom_it_was_confirmed_with(currency, with_):
    with pytest.raises(ValidationError):
        flow.plan_confirm_cost(state("awaiting_cost"), NOW, "10", currency, with_, 7)


def test_asking_for_the_cost_twice_is_refused_once_confirmed():
    assert flow.plan_ask_cost(state("dispatched"), NOW) == {"status": "awaiting_cost", "needs_cost": True}
    with pytest.raises(InvalidTransition):
        flow.plan_ask_cost(state("dispatched", cost_confirmed=True), NOW)
    assert flow.parse_amount("99.9") == Decimal("99.9")


@pytest.mark.parametrize("score", [0, 6, -1, "x", None, True, "4.5"])
def test_satisfaction_is_one_to_five(score):
    with pytest.raises(ValidationError):
        flow.plan_callback(state("resolved"), NOW, score)


def test_satisfaction_bounds_are_accepted():
    assert flow.plan_callback(state("resolved"), NOW, 1)["satisfaction"] == 1
    assert flow.plan_callback(state("resolved"), NOW, "5")["satisfaction"] == 5


def test_close_needs_the_callback():
    with pytest.raises(InvalidTransition) as err:
        flow.plan_close(state("resolved", callback_at=None), NOW, None)
    assert err.value.key == "request.error.needs_callback"
    assert flow.plan_close(state("resolved"), NOW, None)["status"] == "closed"


def test_close_codes_succeeded_or_failed_default_to_the_outcome():
    assert flow.plan_close(state("resolved", outcome="failed"), NOW, None)["close_code"] == "failed"
    assert flow.plan_close(state("resolved"), NOW, "failed")["close_code"] == "failed"
    for code in ("approval_rejected", "cancelled", "bogus"):
        with pytest.raises(ValidationError):
            flow.plan_close(state("resolved"), NOW, code)


def test_resolving_again_clears_an_earlier_callback():
    assert flow.plan_resolve(state("dispatched"), NOW, None, "done")["callback_at"] is None


def test_cancel_closes_as_cancelled_by_the_user():
    changes = flow.plan_cancel(state("awaiting_cost"), NOW, "user withdrew")
    assert changes["close_code"] == "cancelled" and changes["status"] == "closed"


# --- auto-close ------------------------------------------------------------------------------------

def test_auto_close_only_when_resolved_silent_and_past_the_days():
    silent = state("resolved", callback_at=None, resolved_at=NOW - timedelta(days=5))
    assert flow.auto_close_due(silent, NOW, 5)
    assert flow.plan_auto_close(silent, NOW, 5) == {"status": "closed", "close_code": "succeeded", "closed_at": NOW,
                                                    "completed_at": NOW, "auto_closed": True}
    assert not flow.auto_close_due(silent, NOW - timedelta(seconds=1), 5)
    with pytest.raises(InvalidTransition):
        flow.plan_auto_close(silent, NOW - timedelta(seconds=1), 5)
    called = silent._replace(callback_at=NOW - timedelta(days=1))
    assert not flow.auto_close_due(called, NOW, 5)
    with pytest.raises(InvalidTransition):
        flow.plan_auto_close(called, NOW, 5)
    assert flow.plan_auto_close(silent._replace(outcome="failed"), NOW, 5)["close_code"] == "failed"


# --- intake flags and checklist --------------------------------------------------------------------

def test_the_agent_may_add_approval_or_cost_but_never_remove_them():
    assert flow.intake_flags(0, False, None, None) == (0, False)
    assert flow.intake_flags(0, False, True, True) == (1, True)
    assert flow.intake_flags(2, True, None, None) == (2, True)
    assert flow.intake_flags(2, True, True, True) == (2, True)
    assert flow.intake_flags(0, False, False, False) == (0, False)
    with pytest.raises(ValidationError) as err:
        flow.intake_flags(1, False, False, None)
    assert err.value.params == {"item": "approval"}
    with pytest.raises(ValidationError) as err:
        flow.intake_flags(0, True, None, False)
    assert err.value.params == {"item": "cost"}


def test_missing_items_in_checklist_order():
    assert flow.missing_items(["identity", "details", "scope"], {"details"}) == ["identity", "scope"]
    assert flow.missing_items(["identity"], {"identity", "extra"}) == []


# --- who may (the permission table and its scope rule) ---------------------------------------------

def test_second_line_handles_requests_of_its_own_group_only():
    assert may_touch({"l2"}, "request.handle", 5, 5)
    assert not may_touch({"l2"}, "request.handle", 5, 6)
    assert not may_touch({"l2"}, "request.handle", 5, None)
    assert may_touch({"l1"}, "request.handle", 1, 6)


def test_the_request_manager_reaches_every_request_and_dispatches_anywhere():
    assert may_touch({"request_manager"}, "request.handle", None, 6)
    assert may_assign_within({"request_manager"}, None, 6)
    assert not may_assign_within({"l2"}, 5, 6)
