"""Approval reminders at their edges (issue 19; tools/mutants/services_request_remind.toml), on a
real database: exactly the configured hours, each level and each round reminded, today's
substitute of this approver only (on the substitution's first and last day), the time it was
asked, and a tick that comes within the minute, even after the clock was set back."""

from __future__ import annotations

from datetime import timedelta

import pytest

from desk.models import Notification
from desk.services import agents, request_approval, requests, sla_tick


@pytest.fixture
def approvers(desk):
    for login in ("boss", "owner", "sub", "other"):
        agents.save_agent(desk, "admin", agent_login=login, name=login.title(), roles=["approver"], group=None)
    return desk


def hours(desk) -> float:
    return float(desk.config.request_setting("approval_remind_hours", 24))


def asked(desk, *levels: str):
    r = requests.create(desk, "li", title="VPN access", checked=["identity", "details", "type", "scope"])
    requests.accept(desk, "li", r.id)
    requests.dispatch(desk, "li", r.id, to="chen")
    return request_approval.ask_approval(desk, "chen", r.id, approvers=list(levels))


def reminded() -> list[tuple[str, int]]:
    query = Notification.select().where(Notification.kind == "request.approval_waiting").order_by(Notification.id)
    return [(n.agent.login, n.entity_id) for n in query]


def test_an_approval_waiting_exactly_the_configured_hours_is_reminded(desk, approvers, clock):
    desk.config.data.setdefault("request", {})["approval_remind_hours"] = 2
    r = asked(desk, "boss")
    clock.advance(hours=2)
    sla_tick.tick(desk, "admin")
    assert reminded() == [("boss", r.id)]
    (note,) = sla_tick.for_agent(desk, "boss")
    assert f"since {r.approvals[0].asked_at:%Y-%m-%d %H:%M}" in sla_tick.text(note, "en")  # when it was asked


def test_each_level_of_a_round_and_each_new_round_are_reminded(desk, approvers, clock):
    r = asked(desk, "boss", "owner")
    clock.advance(hours=hours(desk) + 1)
    sla_tick.tick(desk, "admin")
    request_approval.approve(desk, "boss", r.id)
    clock.advance(hours=hours(desk) + 1)
    sla_tick.tick(desk, "admin")
    assert reminded() == [("boss", r.id), ("owner", r.id)]  # the second level, once it was open
    request_approval.approve(desk, "owner", r.id)
    request_approval.ask_approval(desk, "chen", r.id, approvers=["owner", "boss"])  # asked again: a new round
    clock.advance(hours=hours(desk) + 1)
    sla_tick.tick(desk, "admin")
    assert reminded() == [("boss", r.id), ("owner", r.id), ("owner", r.id)]


def test_only_this_approvers_substitute_of_today_is_told_on_its_first_and_last_day(desk, approvers, clock):
    r = asked(desk, "boss")
    clock.advance(hours=hours(desk) + 1)
    today = clock.now.date()
    request_approval.delegate(desk, "boss", substitute="sub", starts=today, ends=today)
    request_approval.delegate(desk, "owner", substitute="other", starts=today, ends=today)  # another approver's
    sla_tick.tick(desk, "admin")
    assert sorted(reminded()) == [("boss", r.id), ("sub", r.id)]


def test_a_reminder_comes_within_the_minute_it_is_due(desk, approvers, clock):
    r = asked(desk, "boss")
    clock.advance(hours=hours(desk), seconds=-30)
    sla_tick.tick(desk, "admin")
    assert reminded() == []  # not yet
    clock.advance(seconds=61)
    sla_tick.tick(desk, "admin")
    assert reminded() == [("boss", r.id)]


def test_a_clock_set_back_does_not_silence_the_reminders(desk, approvers, clock):
    start = clock.now
    clock.advance(hours=hours(desk) + 6)
    sla_tick.tick(desk, "admin")  # a tick with the clock ahead
    clock.now = start  # ... then put right
    r = asked(desk, "boss")
    clock.advance(hours=hours(desk), minutes=1)
    sla_tick.tick(desk, "admin")
    assert reminded() == [("boss", r.id)]
