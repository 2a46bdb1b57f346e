"""`desk sla hold/resume` on requests (issue 15): a request's clock is held for a reason its
statuses do not give (waiting for a third party), through the same write path as an incident's;
the reasons its statuses give (approval, cost, the requester) are the status's to start and end,
so a hold or a resume that the status would undo is refused, and a refusal changes nothing."""

from __future__ import annotations

import pytest

from desk.domain.errors import InvalidTransition, NotAllowed, ValidationError
from desk.models import ServiceRequest, SlaClock
from desk.services import requests, sla, sla_hold, sla_views


def _dispatched(desk):
    r = requests.create(desk, "li", title="New mailbox", requester="Zhang Wei", checked=["all"], priority=2)
    requests.accept(desk, "li", r.id)
    return requests.dispatch(desk, "li", r.id, to="chen")


def _state(request_id):
    row = ServiceRequest.get_by_id(request_id)
    clock = SlaClock.get((SlaClock.entity == "request") & (SlaClock.entity_id == request_id))
    return row.version, row.due_at, clock.paused_since


def test_a_request_is_held_and_resumed_its_due_time_moving_by_the_pause(desk, clock):
    r = _dispatched(desk)
    due = ServiceRequest.get_by_id(r.id).due_at
    held = sla_hold.hold_request(desk, "chen", r.id, reason="vendor", note="supplier ships the token")
    assert held.version == r.version + 1
    assert _state(r.id)[1:] == (None, clock.now)  # held: no due time, the wallboard counts it held
    assert sla_views.view(desk, requests.KIND, r.id).state == "paused"
    clock.advance(minutes=30)
    sla_hold.resume_request(desk, "chen", r.id)
    assert [(p.reason, p.ended_at) for p in sla.ledger(desk, "request", r.id)] == [("vendor", clock.now)]
    version, new_due, paused = _state(r.id)
    assert paused is None and new_due > due


@pytest.mark.parametrize("reason, status", [("caller", "awaiting the requester"), ("approval", "awaiting approval")])
def test_a_reason_the_requests_status_gives_is_refused_and_nothing_changes(desk, reason, status):
    r = _dispatched(desk)
    before = _state(r.id)
    with pytest.raises(ValidationError) as caught:
        sla_hold.hold_request(desk, "chen", r.id, reason=reason)
    assert caught.value.message("en") == (f"`{reason}` pauses the service request's SLA clock by its status ({status}), "
                                          "not by a hold: change the service request's status instead")
    assert _state(r.id) == before and sla.ledger(desk, "request", r.id) == []


def test_a_pause_its_status_holds_is_not_resumed_by_hand(desk):
    r = _dispatched(desk)
    requests.wait(desk, "chen", r.id, reason="the requester is on leave")
    before = _state(r.id)
    with pytest.raises(ValidationError) as caught:
        sla_hold.resume_request(desk, "chen", r.id)
    assert caught.value.message("en") == ("the service request is awaiting the requester, which pauses its SLA clock: "
                                          "the clock runs again when its status changes")
    assert _state(r.id) == before
    assert [p.ended_at for p in sla.ledger(desk, "request", r.id)] == [None]


def test_a_resolved_request_is_not_held(desk):
    r = _dispatched(desk)
    requests.fulfil(desk, "chen", r.id, note="done")
    with pytest.raises(InvalidTransition) as caught:
        sla_hold.hold_request(desk, "chen", r.id, reason="vendor")
    assert caught.value.message("en") == ("the SLA clock of this service request cannot be paused: it is resolved, "
                                          "and its clock runs only while it is open")
    assert sla.ledger(desk, "request", r.id) == []


def test_only_who_may_work_a_request_holds_its_clock(desk):
    r = _dispatched(desk)
    with pytest.raises(NotAllowed):
        sla_hold.hold_request(desk, "appr", r.id, reason="vendor")
    assert sla.ledger(desk, "request", r.id) == []
