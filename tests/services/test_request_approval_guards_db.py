"""The guards of request approval (desk/services/request_approval.py) through the real database
that a removed or inverted line would let pass (issue 19; tools/mutants/services_request_approval.toml):
who may be named, rounds, who is told of a substitute, what the inbox and the substitutions list."""

from __future__ import annotations

from datetime import timedelta

import pytest

from desk.domain.errors import NotAllowed, ValidationError
from desk.models import ApprovalDelegation
from desk.services import agents, request_approval, request_reads, requests


@pytest.fixture
def approvers(desk):
    for login in ("boss", "owner", "sub"):
        agents.save_agent(desk, "admin", agent_login=login, name=login.title(), roles=["approver"], group=None)
    return desk


def dispatched(desk):
    r = requests.create(desk, "li", title="New laptop", requester="Zhang Wei", checked=["all"])
    requests.accept(desk, "li", r.id)
    return requests.dispatch(desk, "li", r.id, to="chen")


def asked(desk, names):
    return request_approval.ask_approval(desk, "chen", dispatched(desk).id, approvers=names)


def refused(call, key: str):
    with pytest.raises((ValidationError, NotAllowed)) as caught:
        call()
    assert caught.value.key == key, caught.value.message("en")


def told(desk, request_id) -> bool:
    return any(h.action == "delegate" for h in request_reads.get(desk, request_id).history)


def test_an_agent_without_the_approver_role_is_not_named_approver(desk, approvers):
    r = dispatched(desk)
    refused(lambda: request_approval.ask_approval(desk, "chen", r.id, approvers=["wang"]),
            "request.error.not_an_approver")
    refused(lambda: request_approval.ask_approval(desk, "chen", r.id, approvers=["x" * 201]), "error.too_long")
    assert request_reads.get(desk, r.id).version == r.version


def test_asking_again_starts_a_new_round_decided_on_its_own(desk, approvers):
    r = asked(desk, ["boss"])
    request_approval.approve(desk, "boss", r.id)
    r = request_approval.ask_approval(desk, "chen", r.id, approvers=["owner"])
    assert [(a.approver, a.decision) for a in r.approvals] == [("owner", None)]
    assert [row.id for row in request_approval.inbox(desk, "owner")] == [r.id]
    r = request_approval.approve(desk, "owner", r.id)
    assert r.status == "dispatched" and [(a.approver, a.decided_by) for a in r.approvals] == [("owner", "owner")]
    first = request_approval.approvals(desk, r.id, 1)
    assert [(a.approver, a.decision, a.decided_by) for a in first] == [("boss", "approved", "boss")]


def test_a_note_or_reason_no_database_stores_is_refused_before_anything_is_written(desk, approvers):
    r = asked(desk, ["boss"])
    refused(lambda: request_approval.approve(desk, "boss", r.id, note="a\x00b"), "error.nul")
    refused(lambda: request_approval.reject(desk, "boss", r.id, reason="a\x00b"), "error.nul")
    assert request_reads.get(desk, r.id).version == r.version


def test_an_approver_may_name_themselves_as_the_one_away(desk, approvers, clock):
    today = clock.now.date()
    row = request_approval.delegate(desk, "boss", approver="boss", substitute="sub", starts=today, ends=today)
    assert (row.approver, row.substitute) == ("boss", "sub")


def test_an_administrators_substitution_is_checked_for_the_approver_away(desk, approvers, clock):
    today = clock.now.date()
    refused(lambda: request_approval.delegate(desk, "admin", approver="owner", substitute="owner", starts=today,
                                              ends=today), "request.error.self_substitute")
    assert ApprovalDelegation.select().count() == 0


def test_only_requests_waiting_on_the_approver_away_are_told_of_the_substitute(desk, approvers, clock):
    waiting = asked(desk, ["boss"])
    others = asked(desk, ["owner"])
    decided = asked(desk, ["boss", "owner"])
    request_approval.approve(desk, "boss", decided.id)
    closed = asked(desk, ["owner", "boss"])
    request_approval.reject(desk, "owner", closed.id, reason="no budget")
    today = clock.now.date()
    request_approval.delegate(desk, "boss", substitute="sub", starts=today, ends=today)
    assert [told(desk, r.id) for r in (waiting, others, decided, closed)] == [True, False, False, False]
    assert request_reads.get(desk, waiting.id).version == waiting.version + 1


def test_substitutions_listed_are_those_ending_today_or_later(desk, approvers, clock):
    today = clock.now.date()
    day = timedelta(days=1)
    request_approval.delegate(desk, "boss", substitute="sub", starts=today - 3 * day, ends=today - day)
    request_approval.delegate(desk, "owner", substitute="sub", starts=today - day, ends=today)
    assert [(d.approver, d.ends) for d in request_approval.delegations(desk)] == [("owner", today)]


def test_a_substitute_sees_nothing_before_the_substitution_starts(desk, approvers, clock):
    r = asked(desk, ["boss"])
    tomorrow = clock.now.date() + timedelta(days=1)
    request_approval.delegate(desk, "boss", substitute="sub", starts=tomorrow, ends=tomorrow)
    assert request_approval.inbox(desk, "sub") == []
    clock.advance(days=1)
    assert [row.id for row in request_approval.inbox(desk, "sub")] == [r.id]


def test_an_approval_waiting_exactly_the_reminder_hours_is_overdue(desk, approvers, clock):
    asked(desk, ["boss"])
    clock.advance(hours=float(desk.config.request_setting("approval_remind_hours", 24)))
    assert [row.overdue for row in request_approval.inbox(desk, "boss")] == [True]


def test_a_later_level_waits_outside_the_inbox_and_a_rejected_request_leaves_it(desk, approvers):
    r = asked(desk, ["boss", "owner"])
    assert request_approval.inbox(desk, "owner") == []
    closed = asked(desk, ["owner", "boss"])
    request_approval.reject(desk, "owner", closed.id, reason="no budget")
    assert [row.id for row in request_approval.inbox(desk, "boss")] == [r.id]  # not the closed one
