"""An approver away for a period names a substitute, and the substitute is told (issue 14): one
notification, in the delegation's transaction, naming for whom, the dates and how many requests
wait for that approver now; in the reader's language; nothing when the delegation is refused."""

from __future__ import annotations

from datetime import timedelta

import pytest

from desk.domain.errors import NotAllowed, ValidationError
from desk.services import agents, request_approval, requests, sla_tick


@pytest.fixture
def approvers(desk):
    for login in ("boss", "sub"):
        agents.save_agent(desk, "admin", agent_login=login, name=login.title(), roles=["approver"], group=None)
    return desk


def _waiting_for(desk, approver: str):
    r = requests.create(desk, "li", title="VPN access", checked=["identity", "details", "type", "scope"])
    requests.accept(desk, "li", r.id)
    requests.dispatch(desk, "li", r.id, to="chen")
    return request_approval.ask_approval(desk, "chen", r.id, approvers=[approver])


def test_the_substitute_is_told_for_whom_when_and_how_many_wait(desk, approvers, clock):
    _waiting_for(desk, "boss")
    _waiting_for(desk, "boss")
    today = clock.now.date()
    assert sla_tick.for_agent(desk, "sub") == []
    later = today + timedelta(days=2)
    request_approval.delegate(desk, "boss", substitute="sub", starts=today, ends=later)
    told = sla_tick.for_agent(desk, "sub", unread=True)
    assert len(told) == 1 and told[0].kind == "request.substitute"
    ends = later.isoformat()
    assert sla_tick.text(told[0], "en") == (
        f"boss is away from {today.isoformat()} to {ends}: you decide their approvals meanwhile "
        "(2 waiting now, in your approval inbox)")
    assert sla_tick.text(told[0], "zh").startswith(f"boss 于 {today.isoformat()} 至 {ends} 不在")
    assert sla_tick.for_agent(desk, "boss") == []  # (the approver away is not told of their own substitution)


@pytest.mark.parametrize("who, substitute, approver, error", [
    ("li", "sub", None, NotAllowed),  # not an approver
    ("boss", "li", None, ValidationError),  # the substitute is no approver
])
def test_a_refused_delegation_tells_nobody(desk, approvers, clock, who, substitute, approver, error):
    today = clock.now.date()
    with pytest.raises(error):
        request_approval.delegate(desk, who, substitute=substitute, starts=today, ends=today, approver=approver)
    assert sla_tick.for_agent(desk, "sub") == [] and sla_tick.for_agent(desk, "li") == []
