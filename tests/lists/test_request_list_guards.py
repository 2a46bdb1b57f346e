"""Which requests each view of the request queue (F3) shows, what each filter term keeps, each sort's
order and what a row carries (issue 19; tools/mutants/lists_request.toml): requests in every status,
each view's ids compared with what it names, edges where the rule turns (a substitution's first and
last day in the desk's zone, a due time reached this very instant, approval levels in order)."""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest

from desk.domain import request_flow as flow
from desk.lists import request_cells
from desk.lists.request import REQUESTS, RequestFilter
from desk.lists.spec import CellEnv
from desk.models import Agent, ApprovalDelegation, ServiceRequest
from desk.services import agents, request_approval, requests


def _ids(desk, login="li", **terms) -> list[int]:
    ctx = REQUESTS.context(desk, login)
    return REQUESTS.window(RequestFilter(**terms), ctx, limit=100)


def _set(**fields):
    def apply(request_id):
        ServiceRequest.update(**fields).where(ServiceRequest.id == request_id).execute()
        return request_id

    return apply


def _new(desk, title="New laptop", **kw) -> int:
    return requests.create(desk, "li", title=title, requester=kw.pop("requester", "Zhang Wei"), checked=["all"],
                           **kw).id


@pytest.fixture
def statuses(desk):
    """A request in every status (set directly: views read statuses, not how they were reached)."""
    made = {status: _set(status=status)(_new(desk, title=f"request {status}")) for status in flow.STATUSES}
    return made


def test_open_waiting_resolved_and_all_show_the_statuses_they_name(desk, statuses):
    made = statuses
    assert set(_ids(desk, view="open")) == {made[s] for s in flow.OPEN}
    assert set(_ids(desk, view="waiting")) == {made[s] for s in flow.WAITING}
    assert set(_ids(desk, view="resolved")) == {made[flow.RESOLVED]}
    assert set(_ids(desk, view="all")) == set(made.values())
    assert REQUESTS.count(RequestFilter(view="open"), REQUESTS.context(desk, "li")) == len(flow.OPEN)


def test_unassigned_is_pending_or_accepted_with_nobody_handling_it(desk, statuses):
    made = statuses
    taken = _set(status=flow.ACCEPTED, handler=Agent.get(Agent.login == "chen").id)(_new(desk, title="taken"))
    assert taken not in _ids(desk, view="unassigned")
    # the other statuses have no handler either here: only pending and accepted are unassigned
    assert set(_ids(desk, view="unassigned")) == {made[flow.PENDING], made[flow.ACCEPTED]}


def test_my_work_is_what_i_accepted_or_handle_until_it_is_closed(desk):
    accepted = requests.accept(desk, "li", _new(desk, title="accepted by li")).id
    handled = _new(desk, title="accepted by zhao, handled by li")
    requests.accept(desk, "zhao", handled)
    requests.dispatch(desk, "zhao", handled, to="li")
    resolved = _set(status=flow.RESOLVED)(requests.accept(desk, "li", _new(desk, title="resolved")).id)
    closed = _set(status=flow.CLOSED)(requests.accept(desk, "li", _new(desk, title="closed")).id)
    requests.accept(desk, "zhao", _new(desk, title="zhao's"))
    assert set(_ids(desk, "li", view="mine")) == {accepted, handled, resolved}
    assert closed not in _ids(desk, "li", view="mine")


@pytest.fixture
def approvers(desk):
    for login in ("boss", "owner", "far", "sub", "other"):
        agents.save_agent(desk, "admin", agent_login=login, name=login.title(), roles=["approver"], group=None)
    return desk


def _asked(desk, names, title="New laptop") -> int:
    r = requests.accept(desk, "li", _new(desk, title=title))
    requests.dispatch(desk, "li", r.id, to="chen")
    return request_approval.ask_approval(desk, "chen", r.id, approvers=names).id


def _approvals(desk, login) -> set[int]:
    return set(_ids(desk, login, view="approvals"))


def test_the_approval_inbox_holds_what_waits_for_me_level_by_level(desk, approvers):
    two_levels = _asked(desk, ["boss", "owner"], "two levels")
    others = _asked(desk, ["other"], "someone else's")
    assert _approvals(desk, "boss") == {two_levels}
    assert _approvals(desk, "owner") == set()  # level 2 waits for level 1
    request_approval.approve(desk, "boss", two_levels)
    assert _approvals(desk, "boss") == set()  # decided: no longer waits for boss
    assert _approvals(desk, "owner") == {two_levels}  # the decided level no longer holds it back
    assert _approvals(desk, "other") == {others}
    assert _approvals(desk, "li") == set()


def test_a_rejected_or_cancelled_request_leaves_every_inbox(desk, approvers):
    rejected = _asked(desk, ["boss", "owner"], "rejected at level 1")
    cancelled = _asked(desk, ["owner"], "cancelled")
    request_approval.reject(desk, "boss", rejected, reason="no budget")
    requests.cancel(desk, "li", cancelled, reason="the caller withdrew it")
    assert _approvals(desk, "owner") == set()  # level 2 of a closed request waits for nobody
    assert ServiceRequest.get_by_id(rejected).status == flow.CLOSED


def test_a_substitute_sees_what_waits_for_those_away_from_the_first_to_the_last_day_in_the_desk_s_days(
        desk, approvers, clock):
    # 20:00 UTC on the 2nd is 04:00 on the 3rd in Shanghai (the desk's zone): "today" is the 3rd
    clock.now = datetime(2026, 11, 2, 20, 0)
    starting = _asked(desk, ["boss"], "boss away from today")
    ending = _asked(desk, ["owner"], "owner away until today")
    ended = _asked(desk, ["far"], "far was away last month")
    ids = {login: Agent.get(Agent.login == login).id for login in ("boss", "owner", "far", "sub")}
    for login, starts, ends in (("boss", date(2026, 11, 3), date(2026, 11, 6)),
                                ("owner", date(2026, 10, 30), date(2026, 11, 3)),
                                ("far", date(2026, 10, 1), date(2026, 10, 10))):
        ApprovalDelegation.create(approver=ids[login], substitute=ids["sub"], starts=starts, ends=ends, note="",
                                  created_at=clock.now)
    assert _approvals(desk, "sub") == {starting, ending}
    assert _approvals(desk, "boss") == {starting}  # still theirs too; and not the substitute's own
    assert ended not in _approvals(desk, "sub")


def test_the_filter_terms_keep_what_they_name(desk, statuses):
    made = statuses
    net = requests.create(desk, "li", title="VPN access", requester="Chen Jing", checked=["all"], priority=1,
                          group="network").id
    requests.accept(desk, "zhao", net)
    requests.dispatch(desk, "zhao", net, to="wang", group="network")  # (a handler of the group it is under)
    mine_accepted = requests.accept(desk, "li", _new(desk, title="accepted by li, handled by chen")).id
    requests.dispatch(desk, "li", mine_accepted, to="chen")
    everything = set(made.values()) | {net, mine_accepted}
    assert set(_ids(desk, view="all")) == everything
    assert set(_ids(desk, view="all", priorities=frozenset({1}))) == {net}
    assert set(_ids(desk, view="all", statuses=frozenset({flow.ESCALATED}))) == {made[flow.ESCALATED]}
    assert set(_ids(desk, view="all", groups=frozenset({"network"}))) == {net}
    assert set(_ids(desk, "wang", view="all", handlers=frozenset({"me"}))) == {net}  # handled, not accepted
    assert set(_ids(desk, "li", view="all", handlers=frozenset({"me"}))) == set()
    assert set(_ids(desk, "li", view="all", handlers=frozenset({"chen"}))) == {mine_accepted}
    assert set(_ids(desk, view="all", text="vpn")) == {net}
    assert set(_ids(desk, view="all", text="chen jing")) == {net}  # the requester's name


def test_breached_is_an_open_request_past_its_due_time(desk, clock):
    now = clock.now
    past = _set(due_at=now - timedelta(minutes=1))(_new(desk, title="past"))
    at_due = _set(due_at=now)(_new(desk, title="due this very instant"))
    _set(due_at=now + timedelta(minutes=1))(_new(desk, title="not yet"))
    _set(due_at=None)(_new(desk, title="held"))
    _set(due_at=now - timedelta(hours=1), status=flow.RESOLVED)(_new(desk, title="resolved late"))
    assert set(_ids(desk, view="all", breached=True)) == {past}
    assert at_due not in _ids(desk, view="all", breached=True)


def test_each_sort_orders_the_queue(desk, clock):
    old_p3 = _new(desk, title="old, minor", priority=3)
    clock.advance(minutes=5)
    p1 = _new(desk, title="urgent", priority=1)
    clock.advance(minutes=5)
    new_p3 = _new(desk, title="new, minor", priority=3)
    ServiceRequest.update(due_at=None).execute()
    _set(due_at=clock.now + timedelta(hours=2))(old_p3)
    _set(due_at=clock.now + timedelta(hours=1))(new_p3)  # p1's clock is held: no due time
    clock.advance(minutes=5)
    requests.note(desk, "li", old_p3, text="called back")  # the latest change
    ctx = REQUESTS.context(desk, "li")
    f = RequestFilter(view="all")
    assert REQUESTS.window(f, ctx, "priority") == [p1, old_p3, new_p3]
    assert REQUESTS.window(f, ctx, "age") == [old_p3, p1, new_p3]
    assert REQUESTS.window(f, ctx, "updated")[0] == old_p3
    assert REQUESTS.window(f, ctx, "sla") == [new_p3, old_p3, p1]  # nearest due first, held last


def test_a_row_shows_who_accepted_and_who_handles_in_the_order_asked(desk):
    first = requests.accept(desk, "li", _new(desk, title="first")).id
    requests.dispatch(desk, "li", first, to="chen")
    second = _new(desk, title="second")
    rows = REQUESTS.rows(desk, [second, first])
    assert [r.id for r in rows] == [second, first]
    assert (rows[1].owner, rows[1].handler) == ("li", "chen")


def test_a_request_resolved_in_time_and_closed_later_reads_met(desk, clock):
    r = _new(desk, title="resolved in time", priority=2)
    due = clock.now + timedelta(hours=4)
    _set(status=flow.CLOSED, due_at=due, resolved_at=due - timedelta(hours=1),
         closed_at=due + timedelta(days=2))(r)
    row = REQUESTS.rows(desk, [r])[0]
    _text, style = request_cells.cell(CellEnv(desk.config, "en"), row, "sla", 6, clock.now + timedelta(days=3))
    assert style == "met"

