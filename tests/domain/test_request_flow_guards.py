"""The service-request rules that a removed or inverted line would let pass (issue 19;
tools/mutants/domain_request_flow.toml): the transition and permission tables written out from seed
003 as a reviewed spec (not read back from the module), and the guards' edges."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from desk.domain import request_flow as flow
from desk.domain.errors import InvalidTransition, ValidationError

OPEN = {"pending", "accepted", "dispatched", "escalated", "awaiting_approval", "awaiting_cost",
        "awaiting_requester"}
WORKING = {"dispatched", "escalated"}

# action -> the statuses it starts from, as seed 003's flow reads (the module's docstring draws it).
REVIEWED_FROM = {
    "accept": {"pending"},
    "dispatch": {"accepted", "dispatched", "escalated"},
    "return": WORKING,
    "escalate": {"accepted", "dispatched"},
    "ask_approval": WORKING,
    "approve": {"awaiting_approval"},
    "reject": {"awaiting_approval"},
    "ask_cost": WORKING,
    "confirm_cost": {"awaiting_cost"},
    "wait": WORKING,
    "resume": {"awaiting_requester"},
    "resolve": WORKING,
    "callback": {"resolved"},
    "close": {"resolved"},
    "auto_close": {"resolved"},
    "cancel": OPEN,
    "to_incident": OPEN,  # it was a fault: it becomes an incident
    "note": OPEN | {"resolved"},
}

# action -> the permission it needs: leaders decide approvals; the closing steps need request.close.
REVIEWED_PERMISSION = {
    **{action: "request.handle" for action in REVIEWED_FROM},
    "approve": "request.approve", "reject": "request.approve",
    "callback": "request.close", "close": "request.close", "auto_close": "request.close", "cancel": "request.close",
}


def test_the_transition_table_is_the_reviewed_one():
    assert {action: set(statuses) for action, statuses in flow.ALLOWED_FROM.items()} == REVIEWED_FROM


def test_the_permission_table_is_the_reviewed_one():
    assert flow.PERMISSION == REVIEWED_PERMISSION


@pytest.mark.parametrize("status", sorted(set(flow.STATUSES) - REVIEWED_FROM["dispatch"]))
def test_a_request_is_accepted_before_it_is_dispatched_and_never_dispatched_once_done(status):
    with pytest.raises(InvalidTransition):
        flow.require_from("dispatch", status)


# --- the guards at their edges ---------------------------------------------------------------------

NOW = datetime(2026, 12, 1, 9, 0)
BOSS, SUB = 10, 12


def test_a_delegation_ending_the_day_before_it_starts_is_refused():
    day = date(2026, 12, 5)
    with pytest.raises(ValidationError) as caught:
        flow.check_delegation(BOSS, flow.Approver(SUB, True, "s"), day, day - timedelta(days=1))
    assert caught.value.key == "request.error.period"


def test_accepting_keeps_an_owner_the_request_already_has():
    changes = flow.plan_accept(flow.RequestState("pending", owner_id=1), NOW, 7)
    assert "owner_id" not in changes
    assert flow.plan_accept(flow.RequestState("pending"), NOW, 7)["owner_id"] == 7


def test_a_later_dispatch_keeps_the_first_response():
    first = datetime(2026, 11, 30, 8, 0)
    changes = flow.plan_dispatch(flow.RequestState("accepted", first_response_at=first), NOW, 7, None)
    assert "first_response_at" not in changes


@pytest.mark.parametrize("amount,ok", [("999999999.99", True), ("1000000000", False), ("0.01", True)])
def test_a_cost_stays_below_the_maximum(amount, ok):
    state = flow.RequestState("awaiting_cost")
    if ok:
        assert flow.plan_confirm_cost(state, NOW, amount, "CNY", "Ms Li", 7)["cost_amount"] == amount
    else:
        with pytest.raises(ValidationError):
            flow.plan_confirm_cost(state, NOW, amount, "CNY", "Ms Li", 7)


def test_auto_close_is_due_at_exactly_the_days_not_a_minute_before():
    resolved = flow.RequestState("resolved", resolved_at=NOW)
    assert flow.auto_close_due(resolved, NOW + timedelta(days=5), 5)
    assert not flow.auto_close_due(resolved, NOW + timedelta(days=5) - timedelta(minutes=1), 5)
    assert not flow.auto_close_due(resolved._replace(callback_at=NOW), NOW + timedelta(days=9), 5)
    with pytest.raises(InvalidTransition) as caught:
        flow.plan_auto_close(resolved, NOW + timedelta(days=4), 5)
    assert caught.value.key == "request.error.not_due"
