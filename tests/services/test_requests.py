"""Service requests through the services: intake, dispatch and return, approval (levels, own
request, substitutes, refusals audited), cost, fulfilment, callback, close, cancel, ownership."""

from datetime import date

import pytest

from desk.domain.errors import InvalidTransition, NotAllowed, StaleVersion, ValidationError
from desk.models import Article, Refusal
from desk.services import agents, request_approval, request_reads, requests


def new(desk, **kw):
    values = {"title": "New laptop for Ms Zhang", "requester": "Zhang Wei", "checked": ["all"], **kw}
    return requests.create(desk, "li", **values)


def dispatched(desk, **kw):
    r = new(desk, **kw)
    requests.accept(desk, "li", r.id)
    return requests.dispatch(desk, "li", r.id, to="chen")


@pytest.fixture
def approvers(desk):
    for login in ("boss", "owner", "sub"):
        agents.save_agent(desk, "admin", agent_login=login, name=login.title(), roles=["approver"], group=None)
    return desk


def test_intake_refuses_until_every_item_is_ticked_and_names_the_missing(desk):
    with pytest.raises(ValidationError) as err:
        requests.create(desk, "li", title="VPN access", checked=["identity", "details"])
    assert err.value.key == "request.error.checklist"
    assert "Type and priority set" in err.value.message("en") and "Within the service's scope" in err.value.message()
    r = requests.create(desk, "li", title="VPN access", checked=["identity", "details", "type", "scope"])
    assert r.status == "pending" and r.version == 1 and r.created_by == "li"
    assert all(item.done for item in r.checklist)
    with pytest.raises(ValidationError):
        requests.create(desk, "li", title="VPN access", checked=["all", "made_up"])


def test_the_agent_may_add_approval_and_cost_at_intake(desk):
    r = new(desk, add_approval=True, add_cost=True)
    assert r.approval_levels == 1 and r.needs_cost


def test_only_desk_roles_create(desk):
    for login in ("wang", "appr", "vend"):
        with pytest.raises(NotAllowed):
            new(desk) if login == "li" else requests.create(desk, login, title="x", checked=["all"])
    assert Refusal.select().where(Refusal.action == "request.create").count() == 3


def test_accepting_makes_the_first_responder_its_owner_for_good(desk):
    r = new(desk)
    r = requests.accept(desk, "zhao", r.id)
    assert r.owner == "zhao" and r.status == "accepted" and r.first_response_at is not None
    r = requests.dispatch(desk, "zhao", r.id, to="chen")
    assert r.handler == "chen" and r.group == "systems" and r.owner == "zhao"
    r = requests.return_(desk, "chen", r.id, reason="not ours", suggestion="the network team")
    r = requests.dispatch(desk, "li", r.id, group="network")
    assert r.owner == "zhao"
    total, rows = request_reads.list_(desk, "zhao", view="mine")
    assert [row.id for row in rows] == [r.id]
    assert request_reads.list_(desk, "li", view="mine")[0] == 0


def test_second_line_works_its_own_groups_requests_only(desk):
    r = dispatched(desk)  # to chen, systems
    with pytest.raises(NotAllowed):
        requests.escalate(desk, "wang", r.id, reason="network team tries")
    r = requests.escalate(desk, "chen", r.id, reason="VIP waiting")
    assert r.status == "escalated"
    r = requests.dispatch(desk, "reqm", r.id, group="network")  # the request manager, any group
    assert r.status == "dispatched" and r.group == "network"
    with pytest.raises(NotAllowed):  # second line dispatches within its group only
        requests.dispatch(desk, "wang", r.id, group="systems")
    requests.dispatch(desk, "wang", r.id, to="wang")


def test_return_needs_reason_and_suggestion_and_records_both(desk):
    r = dispatched(desk)
    for reason, suggestion in (("", "network team"), ("not ours", ""), (None, None)):
        with pytest.raises(ValidationError):
            requests.return_(desk, "chen", r.id, reason=reason, suggestion=suggestion)
    assert request_reads.get(desk, r.id).version == r.version  # nothing written
    r = requests.return_(desk, "chen", r.id, reason="not ours", suggestion="the network team")
    assert r.status == "accepted" and r.handler == "" and r.group == "desk"
    last = r.history[-1]
    assert last.action == "return" and last.note == "not ours"
    assert last.changes["suggestion"] == [None, "the network team"]


def test_approval_levels_in_order_then_fulfil_callback_close(desk, approvers, clock):
    r = dispatched(desk, add_approval=True)
    with pytest.raises(InvalidTransition):  # fulfilment waits for the approval
        requests.fulfil(desk, "chen", r.id, note="installed")
    r = request_approval.ask_approval(desk, "chen", r.id, approvers=["boss", "owner"])
    assert r.status == "awaiting_approval" and [a.approver for a in r.approvals] == ["boss", "owner"]
    with pytest.raises(NotAllowed):  # level 2 cannot go first
        request_approval.approve(desk, "owner", r.id)
    r = request_approval.approve(desk, "boss", r.id, note="fine")
    assert r.status == "awaiting_approval" and r.approvals[0].decision == "approved"
    assert [row.id for row in request_approval.inbox(desk, "owner")] == [r.id]
    assert request_approval.inbox(desk, "boss") == []
    r = request_approval.approve(desk, "owner", r.id)
    assert r.status == "dispatched" and r.approved
    r = requests.fulfil(desk, "chen", r.id, note="installed the laptop")
    assert r.status == "resolved" and r.outcome == "succeeded"
    with pytest.raises(InvalidTransition) as err:
        requests.close(desk, "li", r.id)
    assert err.value.key == "request.error.needs_callback"
    r = requests.callback(desk, "li", r.id, satisfaction=5, comment="great")
    r = requests.close(desk, "li", r.id)
    assert r.status == "closed" and r.close_code == "succeeded" and r.satisfaction == 5
    actions = [h.action for h in r.history]
    assert actions == ["create", "accept", "dispatch", "ask_approval", "approve", "approve", "resolve", "callback",
                       "close"]


def test_non_approvers_and_the_requests_own_agents_are_refused_and_audited(desk, approvers):
    r = dispatched(desk)
    with pytest.raises(ValidationError):  # naming someone without the approver role
        request_approval.ask_approval(desk, "chen", r.id, approvers=["li"])
    r = request_approval.ask_approval(desk, "chen", r.id, approvers=["boss"])
    before = Refusal.select().count()
    for login in ("li", "chen", "lead"):  # no approver role
        with pytest.raises(NotAllowed):
            request_approval.approve(desk, login, r.id)
    with pytest.raises(NotAllowed):  # an approver, but not the one named
        request_approval.approve(desk, "owner", r.id)
    assert Refusal.select().count() == before + 4
    assert request_reads.get(desk, r.id).version == r.version


def test_an_approver_cannot_approve_their_own_request(desk, approvers):
    agents.save_agent(desk, "admin", agent_login="both", name="Both", roles=["l1", "approver"], group="desk")
    r = requests.create(desk, "both", title="Access for myself", checked=["all"], accept=True)
    r = requests.dispatch(desk, "both", r.id, to="chen")
    with pytest.raises(ValidationError):  # naming oneself
        request_approval.ask_approval(desk, "chen", r.id, approvers=["both"])
    r = request_approval.ask_approval(desk, "chen", r.id, approvers=["boss"])
    request_approval.delegate(desk, "boss", substitute="both", starts=date(2026, 11, 1), ends=date(2026, 11, 30))
    with pytest.raises(NotAllowed) as err:  # standing in for boss, on a request they raised
        request_approval.approve(desk, "both", r.id)
    assert err.value.key == "request.error.own_request"
    assert Refusal.select().where(Refusal.reason == "request.error.own_request").count() == 1


def test_a_substitute_decides_within_the_dates_and_history_says_on_whose_behalf(desk, approvers, clock):
    r = dispatched(desk)
    r = request_approval.ask_approval(desk, "chen", r.id, approvers=["boss"])
    with pytest.raises(NotAllowed):
        request_approval.approve(desk, "sub", r.id)
    today = clock.now.date()
    row = request_approval.delegate(desk, "boss", substitute="sub", starts=today, ends=today)
    assert (row.approver, row.substitute) == ("boss", "sub")
    assert request_reads.get(desk, r.id).history[-1].action == "delegate"  # the request shows it
    assert [i.id for i in request_approval.inbox(desk, "sub")] == [r.id]  # the substitute is told
    r = request_approval.approve(desk, "sub", r.id)
    assert r.approvals[0].decided_by == "sub" and r.approvals[0].on_behalf_of == "boss"
    assert r.history[-1].changes["approval"] == [None, {"level": 1, "decision": "approved", "on_behalf_of": "boss"}]
    assert r.history[-1].actor == "sub"
    r2 = dispatched(desk)
    request_approval.ask_approval(desk, "chen", r2.id, approvers=["boss"])
    clock.advance(days=1)  # the substitution is over
    with pytest.raises(NotAllowed):
        request_approval.approve(desk, "sub", r2.id)
    assert request_approval.inbox(desk, "sub") == []


def test_only_approvers_name_substitutes_and_only_approvers_stand_in(desk, approvers, clock):
    today = clock.now.date()
    with pytest.raises(NotAllowed):
        request_approval.delegate(desk, "li", substitute="sub", starts=today, ends=today)
    with pytest.raises(ValidationError):
        request_approval.delegate(desk, "boss", substitute="li", starts=today, ends=today)
    with pytest.raises(NotAllowed):  # one approver cannot name a substitute for another
        request_approval.delegate(desk, "boss", approver="owner", substitute="sub", starts=today, ends=today)
    assert request_approval.delegate(desk, "admin", approver="owner", substitute="sub", starts=today,
                                     ends=today).approver == "owner"


def test_rejection_closes_with_approval_rejected(desk, approvers):
    r = dispatched(desk)
    request_approval.ask_approval(desk, "chen", r.id, approvers=["boss", "owner"])
    with pytest.raises(ValidationError):
        request_approval.reject(desk, "boss", r.id, reason="")
    r = request_approval.reject(desk, "boss", r.id, reason="no budget this year", code="no_budget")
    assert r.status == "closed" and r.close_code == "approval_rejected" and r.rejection_code == "no_budget"
    assert r.approvals[0].decision == "rejected" and r.approvals[1].decision is None


def test_overdue_approvals_come_first_in_the_inbox(desk, approvers, clock):
    old = dispatched(desk)
    request_approval.ask_approval(desk, "chen", old.id, approvers=["boss"])
    clock.advance(hours=30)
    fresh = dispatched(desk)
    request_approval.ask_approval(desk, "chen", fresh.id, approvers=["boss"])
    rows = request_approval.inbox(desk, "boss")
    assert [(r.id, r.overdue) for r in rows] == [(old.id, True), (fresh.id, False)]


def test_cost_confirmation_before_fulfilment(desk, clock):
    r = dispatched(desk, add_cost=True)
    with pytest.raises(InvalidTransition):
        requests.fulfil(desk, "chen", r.id, note="done")
    r = requests.ask_cost(desk, "chen", r.id)
    assert r.status == "awaiting_cost"
    with pytest.raises(ValidationError):
        requests.confirm_cost(desk, "chen", r.id, amount="-3", currency="CNY", confirmed_with="Ms Zhang")
    r = requests.confirm_cost(desk, "chen", r.id, amount="4999.00", currency="cny", confirmed_with="Ms Zhang")
    assert (r.cost_amount, r.cost_currency, r.cost_confirmed_with, r.cost_confirmed_by) == (
        "4999.00", "CNY", "Ms Zhang", "chen")
    assert r.cost_confirmed_at == clock.now and r.status == "dispatched"
    assert requests.fulfil(desk, "chen", r.id, note="ordered").status == "resolved"


def test_fulfil_with_a_candidate_knowledge_article(desk):
    r = dispatched(desk)
    r = requests.fulfil(desk, "chen", r.id, note="Image with the standard build.", knowledge_title="New laptops")
    article = Article.get(Article.title == "New laptops")
    assert article.status == "draft" and article.body == "Image with the standard build."
    assert r.history[-1].changes == {"article": [None, article.id]}


def test_cancel_and_wait_and_resume(desk):
    r = dispatched(desk)
    r = requests.wait(desk, "chen", r.id, reason="which model?")
    assert r.status == "awaiting_requester"
    r = requests.resume(desk, "chen", r.id)
    with pytest.raises(NotAllowed):  # second line does not cancel
        requests.cancel(desk, "chen", r.id, reason="x")
    r = requests.cancel(desk, "li", r.id, reason="user withdrew")
    assert r.status == "closed" and r.close_code == "cancelled"


def test_a_stale_version_is_refused_with_who_changed_it(desk):
    r = new(desk)
    requests.accept(desk, "zhao", r.id)
    with pytest.raises(StaleVersion) as err:
        requests.dispatch(desk, "li", r.id, to="chen", expect_version=r.version)
    assert err.value.params["by"] == "zhao"


def test_hostile_text_is_stored_exactly(desk):
    hostile = "[bold red]x[/] \x1b[2J \u202egpj.exe 😀 ' OR 1=1; --"
    r = new(desk, title=hostile, requester=hostile, location=hostile, description=hostile, remarks=hostile,
            attachments=[hostile])
    assert (r.title, r.requester, r.location, r.description, r.remarks, r.attachments[0]) == (hostile,) * 6
    with pytest.raises(ValidationError):
        new(desk, title="a\x00b")


def test_desk_check_finds_every_request_consistent_after_the_whole_workflow(desk, approvers, clock):
    from desk.services import check

    r = dispatched(desk, add_approval=True, add_cost=True)
    request_approval.delegate(desk, "boss", substitute="sub", starts=clock.now.date(), ends=clock.now.date())
    request_approval.ask_approval(desk, "chen", r.id, approvers=["boss"])
    request_approval.delegate(desk, "boss", substitute="sub", starts=clock.now.date(), ends=clock.now.date())
    request_approval.approve(desk, "sub", r.id)
    requests.ask_cost(desk, "chen", r.id)
    requests.confirm_cost(desk, "chen", r.id, amount="10", currency="CNY", confirmed_with="Zhang")
    requests.fulfil(desk, "chen", r.id, note="done", knowledge_title="How to")
    requests.callback(desk, "li", r.id, satisfaction=2)
    requests.close(desk, "li", r.id, code="failed")
    report = check.run_check(desk)
    assert report.ok, [p.message("en") for p in report.problems]
    assert report.tickets >= 1
