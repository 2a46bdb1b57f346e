"""Every allowed and refused transition of the incident state machine, table-driven."""

from datetime import datetime, timedelta

import pytest

from desk.domain import incident_flow as flow
from desk.domain.errors import InvalidTransition, ValidationError
from desk.domain.priority import PriorityMatrix
from desk.domain.request_convert import plan_to_request

NOW = datetime(2026, 11, 2, 12, 0)
CODES = frozenset({"fixed", "workaround"})
L1_DESK = flow.GroupRef(1, 1, "desk")
MATRIX = PriorityMatrix(((1, 1, 2), (1, 2, 3), (2, 3, 4)))  # (config/default.toml's: impact × urgency)
L2_NET = flow.GroupRef(2, 2, "l2")
VENDOR = flow.GroupRef(3, 3, "vendor")


def state(status, **kw):
    defaults = {"tier": 1, "group_id": 1}
    if status == flow.RESOLVED:
        defaults.update(resolved_at=NOW - timedelta(hours=1), closure_code="fixed", resolved_by_id=7,
                        resolved_group_id=2, resolved_tier=2)
    defaults.update(kw)
    return flow.IncidentState(status=status, **defaults)


# action -> a call that is valid apart from the status guard
CALLS = {
    "assign": lambda s: flow.plan_assign(s, NOW, 5, None),
    "start": lambda s: flow.plan_start(s, NOW, 9),
    "escalate": lambda s: flow.plan_escalate(s, NOW, L2_NET, "needs network team"),
    "escalate_hierarchical": lambda s: flow.plan_escalate_hierarchical(s, NOW, "P1 over an hour"),
    "return": lambda s: flow.plan_return(state(s.status, tier=2, group_id=2), NOW, L1_DESK, "not ours"),
    "resolve": lambda s: flow.plan_resolve(s, NOW, 9, "fixed", "rebooted", CODES),
    "confirm": lambda s: flow.plan_confirm(s, NOW),
    "reopen": lambda s: flow.plan_reopen(s, NOW, "still broken"),
    "close": lambda s: flow.plan_close(state(s.status, confirmed_at=NOW) if s.status == flow.RESOLVED else s,
                                       NOW, None, CODES, 3),
    "note": lambda s: flow.plan_note(s, NOW, "called back"),
    "to_request": lambda s: plan_to_request(s, NOW, "asks for a laptop"),
    "set_service": lambda s: flow.plan_set_service(s, 4, 7, "email", 21, "published"),
    "set_priority": lambda s: flow.plan_set_priority(s, MATRIX, (3, 3), 1, 2, "whole branch down"),
}

EXPECTED_TARGET = {
    "assign": flow.ASSIGNED,
    "start": flow.IN_PROGRESS,
    "escalate": flow.ASSIGNED,
    "escalate_hierarchical": None,  # status unchanged
    "return": flow.ASSIGNED,
    "resolve": flow.RESOLVED,
    "confirm": None,
    "reopen": flow.ASSIGNED,
    "close": flow.CLOSED,
    "note": None,
    "to_request": flow.CLOSED,
    "set_service": None,
    "set_priority": None,
}

ALLOWED = {
    "assign": {"new", "assigned", "in_progress"},
    "start": {"new", "assigned", "in_progress"},
    "escalate": {"new", "assigned", "in_progress"},
    "escalate_hierarchical": {"new", "assigned", "in_progress"},
    "return": {"new", "assigned", "in_progress"},
    "resolve": {"new", "assigned", "in_progress"},
    "confirm": {"resolved"},
    "reopen": {"resolved"},
    "close": {"resolved"},
    "note": {"new", "assigned", "in_progress", "resolved"},
    "to_request": {"new", "assigned", "in_progress"},
    "set_service": {"new", "assigned", "in_progress", "resolved"},
    "set_priority": {"new", "assigned", "in_progress", "resolved"},
}

CASES = [(action, status) for action in CALLS for status in flow.STATUSES]


def test_table_covers_every_action():
    assert set(CALLS) == set(flow.ALLOWED_FROM) == set(ALLOWED)
    assert {a: set(s) for a, s in flow.ALLOWED_FROM.items()} == ALLOWED


@pytest.mark.parametrize("action,status", CASES, ids=[f"{a}-from-{s}" for a, s in CASES])
def test_transition(action, status):
    s = state(status)
    if status in ALLOWED[action]:
        changes = CALLS[action](s)
        target = EXPECTED_TARGET[action]
        if target is None:
            assert "status" not in changes
        else:
            assert changes["status"] == target
    else:
        with pytest.raises(InvalidTransition):
            CALLS[action](s)


def test_set_service_takes_only_another_service_in_force_and_published():
    s = state(flow.ASSIGNED)
    assert flow.plan_set_service(s, 4, 7, "email", 21, "published") == {"service_id": 7, "service_version_id": 21}
    assert flow.plan_set_service(s, None, 7, "email", 21, "published")["service_id"] == 7  # none before
    for current, version, status, key in ((4, None, None, "error.service_not_in_force"),
                                          (4, 21, "retired", "error.service_retired"),
                                          (7, 21, "published", "error.same_service")):
        with pytest.raises(ValidationError) as err:
            flow.plan_set_service(s, current, 7, "email", version, status)
        assert err.value.key == key


def test_set_priority_follows_the_matrix_and_needs_a_reason_and_a_change():
    s = state(flow.IN_PROGRESS)
    assert flow.plan_set_priority(s, MATRIX, (3, 3), 1, 2, " whole branch down ") == {
        "impact": 1, "urgency": 2, "priority": 1, "_note": "whole branch down"}
    assert flow.plan_set_priority(s, MATRIX, (1, 1), 3, 3, "one user after all")["priority"] == 4
    assert flow.plan_set_priority(s, MATRIX, (1, 2), 1, 3, "can wait")["urgency"] == 3  # one of the two
    for current, impact, urgency, reason, key in (((2, 2), 2, 2, "why", "error.same_priority"),
                                                  ((2, 2), 1, 1, "  ", "error.required"),
                                                  ((2, 2), 4, 1, "why", "error.out_of_range"),
                                                  ((2, 2), 1, 0, "why", "error.out_of_range")):
        with pytest.raises(ValidationError) as err:
            flow.plan_set_priority(s, MATRIX, current, impact, urgency, reason)
        assert err.value.key == key


def test_escalate_needs_reason_and_next_tier():
    s = state(flow.ASSIGNED)
    with pytest.raises(ValidationError):
        flow.plan_escalate(s, NOW, L2_NET, "   ")
    with pytest.raises(InvalidTransition):
        flow.plan_escalate(s, NOW, VENDOR, "skip a tier")  # L1 -> vendor skips L2
    with pytest.raises(InvalidTransition):
        flow.plan_escalate(s, NOW, L1_DESK, "same tier")
    changes = flow.plan_escalate(state(flow.ASSIGNED, tier=2, group_id=2), NOW, VENDOR, "call the vendor")
    assert changes["tier"] == 3 and changes["group_id"] == 3 and changes["assignee_id"] is None
    with pytest.raises(InvalidTransition):
        flow.plan_escalate(state(flow.ASSIGNED, tier=3, group_id=3), NOW, VENDOR, "beyond vendor")


def test_return_goes_down_a_tier_with_reason():
    with pytest.raises(InvalidTransition):
        flow.plan_return(state(flow.ASSIGNED, tier=1), NOW, L1_DESK, "already at desk")
    with pytest.raises(ValidationError):
        flow.plan_return(state(flow.ASSIGNED, tier=2, group_id=2), NOW, L1_DESK, "")


def test_resolve_needs_known_code_and_note():
    s = state(flow.IN_PROGRESS)
    with pytest.raises(ValidationError):
        flow.plan_resolve(s, NOW, 9, None, "note", CODES)
    with pytest.raises(ValidationError):
        flow.plan_resolve(s, NOW, 9, "bogus", "note", CODES)
    with pytest.raises(ValidationError):
        flow.plan_resolve(s, NOW, 9, "fixed", " ", CODES)
    changes = flow.plan_resolve(s, NOW, 9, "fixed", "swapped the PSU", CODES)
    assert changes["resolved_at"] == NOW and changes["resolution"] == "swapped the PSU"


def test_close_needs_confirmation_or_silence():
    unconfirmed = state(flow.RESOLVED, resolved_at=NOW - timedelta(days=1))
    with pytest.raises(InvalidTransition):
        flow.plan_close(unconfirmed, NOW, None, CODES, 3)
    silent = state(flow.RESOLVED, resolved_at=NOW - timedelta(days=3))
    assert flow.plan_close(silent, NOW, None, CODES, 3)["status"] == flow.CLOSED
    confirmed = state(flow.RESOLVED, confirmed_at=NOW)
    assert flow.plan_close(confirmed, NOW, "workaround", CODES, 3)["closure_code"] == "workaround"
    with pytest.raises(ValidationError):
        flow.plan_close(confirmed, NOW, "bogus", CODES, 3)


def test_close_needs_a_closure_code():
    no_code = state(flow.RESOLVED, confirmed_at=NOW, closure_code=None)
    with pytest.raises(ValidationError):
        flow.plan_close(no_code, NOW, None, CODES, 3)


def test_reopen_needs_reason_and_goes_back_to_the_resolver():
    s = state(flow.RESOLVED)
    with pytest.raises(ValidationError):
        flow.plan_reopen(s, NOW, "")
    changes = flow.plan_reopen(s, NOW, "printer still jams")
    assert changes["assignee_id"] == 7 and changes["group_id"] == 2 and changes["tier"] == 2
    assert changes["reopen_count"] == 1 and changes["resolved_at"] is None


def test_confirm_twice_is_refused():
    with pytest.raises(InvalidTransition):
        flow.plan_confirm(state(flow.RESOLVED, confirmed_at=NOW), NOW)


def test_first_response_is_set_once():
    fresh = state(flow.NEW)
    assert flow.plan_start(fresh, NOW, 9)["first_response_at"] == NOW
    answered = state(flow.NEW, first_response_at=NOW - timedelta(minutes=5))
    assert "first_response_at" not in flow.plan_start(answered, NOW, 9)


def test_assign_stays_within_the_tier():
    with pytest.raises(InvalidTransition):
        flow.plan_assign(state(flow.NEW), NOW, None, L2_NET)  # dispatch to L2 is an escalation
    assert flow.plan_assign(state(flow.NEW), NOW, None, L1_DESK)["group_id"] == 1
    at_l2 = state(flow.ASSIGNED, tier=2, group_id=2)
    with pytest.raises(InvalidTransition):
        flow.plan_assign(at_l2, NOW, None, L1_DESK)  # handing back is a return, with a reason
