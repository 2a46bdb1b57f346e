"""Requests waiting for approval longer than [request] approval_remind_hours remind their approver
(issue 14): once per level of a round, whoever ticks and however often; the approver and whoever
stands in for them today; nothing before the hours, nothing for a decided level."""

from __future__ import annotations

from datetime import timedelta

import pytest

from desk.models import Notification
from desk.services import agents, request_approval, requests, sla_tick

HOURS = 24  # config/requests.toml


@pytest.fixture
def approvers(desk):
    for login in ("boss", "owner", "sub"):
        agents.save_agent(desk, "admin", agent_login=login, name=login.title(), roles=["approver"], group=None)
    return desk


def _asked(desk, *levels: str):
    r = requests.create(desk, "li", title="VPN access", checked=["identity", "details", "type", "scope"])
    requests.accept(desk, "li", r.id)
    requests.dispatch(desk, "li", r.id, to="chen")
    return request_approval.ask_approval(desk, "chen", r.id, approvers=list(levels))


def _reminders(login: str | None = None) -> list[tuple[str, int]]:
    query = Notification.select().where(Notification.kind == "request.approval_waiting")
    return sorted((n.agent.login, n.entity_id) for n in query if login is None or n.agent.login == login)


def test_an_approval_waiting_longer_than_the_hours_reminds_its_approver_once(desk, approvers, clock):
    r = _asked(desk, "boss", "owner")
    clock.advance(hours=HOURS - 1)
    sla_tick.tick(desk, "admin")
    assert _reminders() == []  # not yet
    clock.advance(hours=1, minutes=1)
    sla_tick.tick(desk, "admin")
    assert _reminders() == [("boss", r.id)]  # the open level's approver, not the next level's
    (note,) = sla_tick.for_agent(desk, "boss")
    assert sla_tick.text(note, "en").startswith(f"service request R{r.id} has waited for your approval since ")
    for _ in range(3):
        clock.advance(minutes=5)
        sla_tick.tick(desk, "admin")
    assert _reminders() == [("boss", r.id)]  # once


def test_the_next_level_and_a_substitute_are_reminded_a_decided_level_not(desk, approvers, clock):
    r = _asked(desk, "boss", "owner")
    request_approval.approve(desk, "boss", r.id)
    request_approval.delegate(desk, "owner", substitute="sub", starts=clock.now.date(),
                              ends=(clock.now + timedelta(days=3)).date())
    clock.advance(hours=HOURS + 1)
    sla_tick.tick(desk, "admin")
    assert _reminders() == [("owner", r.id), ("sub", r.id)]


def test_a_request_no_longer_waiting_is_not_reminded(desk, approvers, clock):
    r = _asked(desk, "boss")
    request_approval.reject(desk, "boss", r.id, reason="no budget this year", code="no_budget")
    clock.advance(hours=HOURS + 1)
    sla_tick.tick(desk, "admin")
    assert _reminders() == []
