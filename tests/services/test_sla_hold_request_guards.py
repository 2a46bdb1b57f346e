"""The guards of holding and resuming a service request's SLA clock through the real database that
a removed or inverted line would let pass (issue 19; tools/mutants/services_sla_hold.toml, the
request mutants): second line reaches only its own group's requests, and a hand-made hold outlives
a status that pauses the clock by itself, so it is still resumed by hand."""

from __future__ import annotations

import pytest

from desk.domain.errors import NotAllowed
from desk.models import Refusal, ServiceRequest
from desk.services import requests, sla, sla_hold


def _dispatched_to_chen(desk):
    """A request dispatched to chen: second line of the systems group."""
    r = requests.create(desk, "li", title="New mailbox", requester="Zhang Wei", checked=["all"], priority=2)
    requests.accept(desk, "li", r.id)
    return requests.dispatch(desk, "li", r.id, to="chen")


def test_second_line_of_another_group_may_not_hold_a_requests_clock(desk):
    r = _dispatched_to_chen(desk)
    version = ServiceRequest.get_by_id(r.id).version
    with pytest.raises(NotAllowed) as caught:
        sla_hold.hold_request(desk, "wang", r.id, reason="vendor")  # wang: second line, network
    assert caught.value.key == "error.not_your_group"
    assert sla.ledger(desk, "request", r.id) == [] and ServiceRequest.get_by_id(r.id).version == version
    assert Refusal.select().where(Refusal.action == "request.hold").count() == 1


def test_second_line_of_another_group_may_not_resume_a_requests_clock(desk):
    r = _dispatched_to_chen(desk)
    sla_hold.hold_request(desk, "chen", r.id, reason="vendor")
    with pytest.raises(NotAllowed) as caught:
        sla_hold.resume_request(desk, "wang", r.id)
    assert caught.value.key == "error.not_your_group"
    assert [p.ended_at for p in sla.ledger(desk, "request", r.id)] == [None]


def test_a_vendor_hold_is_resumed_by_hand_while_the_status_awaits_the_requester(desk, clock):
    """Held for a supplier, then set to await the requester: the status's pause waits behind the
    hold; resuming the hold is allowed (it is not the status's own pause), and the status's pause
    takes over at once."""
    r = _dispatched_to_chen(desk)
    sla_hold.hold_request(desk, "chen", r.id, reason="vendor")
    requests.wait(desk, "chen", r.id, reason="which model?")
    clock.advance(minutes=20)
    sla_hold.resume_request(desk, "chen", r.id)
    assert [(p.reason, p.ended_at) for p in sla.ledger(desk, "request", r.id)] == [
        ("vendor", clock.now), ("caller", None)]
