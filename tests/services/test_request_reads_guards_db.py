"""What `desk request list` and the request KPIs show, through the real database, that a removed or
inverted line would let pass (issue 19; tools/mutants/services_request_reads.toml and
services_request_kpis.toml): each view and filter lists what it names and nothing else, most
urgent first; the KPIs count what seed 003 says, over the period and service asked for."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

import pytest

from desk.domain.errors import ValidationError
from desk.services import request_kpis, request_reads, requests


@pytest.fixture
def queue(desk, clock):
    """One request in each place a list can find it (li is the desk agent who accepts them)."""
    def new(title, priority=3, **kw):
        made = requests.create(desk, "li", title=title, checked=["all"], priority=priority, **kw)
        clock.advance(minutes=1)
        return made.id

    q = SimpleNamespace()
    q.pending = new("Pending mailbox", requester="Zhang Wei")
    q.accepted = new("Accepted VPN token", priority=1, accept=True)
    q.handled = new("Handled laptop", priority=2, accept=True)
    requests.dispatch(desk, "li", q.handled, to="chen")
    q.group_only = new("Group-only switch port", accept=True)
    requests.dispatch(desk, "li", q.group_only, group="network")
    q.waiting = new("Waiting printer", accept=True)
    requests.dispatch(desk, "li", q.waiting, to="chen")
    requests.wait(desk, "chen", q.waiting, reason="which model?")
    q.resolved = new("Resolved monitor", accept=True)
    requests.dispatch(desk, "li", q.resolved, to="chen")
    requests.fulfil(desk, "chen", q.resolved, note="delivered")
    q.closed = new("Closed keyboard", accept=True)
    requests.dispatch(desk, "li", q.closed, to="chen")
    requests.fulfil(desk, "chen", q.closed, note="delivered")
    requests.callback(desk, "li", q.closed, satisfaction=4)
    requests.close(desk, "li", q.closed)
    q.cancelled = new("Cancelled mouse")
    requests.cancel(desk, "li", q.cancelled, reason="the user withdrew")
    return q


def ids(desk, login="li", **kw) -> list[int]:
    return [row.id for row in request_reads.list_(desk, login, **kw)[1]]


def test_open_lists_open_requests_most_urgent_first_then_oldest(desk, queue):
    assert ids(desk) == [queue.accepted, queue.handled, queue.pending, queue.group_only, queue.waiting]


def test_mine_is_what_the_agent_owns_or_handles_until_it_is_closed(desk, queue):
    assert ids(desk, "chen", view="mine") == [queue.handled, queue.waiting, queue.resolved]
    assert ids(desk, "li", view="mine") == [queue.accepted, queue.handled, queue.group_only, queue.waiting,
                                            queue.resolved]


def test_unassigned_is_pending_or_accepted_and_handled_by_nobody(desk, queue):
    assert ids(desk, view="unassigned") == [queue.accepted, queue.pending]


def test_waiting_resolved_and_closed_list_their_statuses(desk, queue):
    assert ids(desk, view="waiting") == [queue.waiting]
    assert ids(desk, view="resolved") == [queue.resolved]
    assert ids(desk, view="closed") == [queue.closed, queue.cancelled]


def test_the_filters_narrow_the_view(desk, queue):
    assert ids(desk, view="all", statuses=["dispatched"]) == [queue.handled, queue.group_only]
    assert ids(desk, view="all", group="network") == [queue.group_only]
    assert ids(desk, "chen", view="open", handler="me") == [queue.handled, queue.waiting]
    assert ids(desk, view="open", handler="chen") == [queue.handled, queue.waiting]
    assert ids(desk, view="all", text="Zhang") == [queue.pending]  # the requester, not only the title
    assert ids(desk, view="all", text="keyboard") == [queue.closed]


def test_the_total_counts_every_match_not_the_page(desk, queue):
    total, rows = request_reads.list_(desk, "li", view="open", limit=2, offset=1)
    assert total == 5 and [r.id for r in rows] == [queue.handled, queue.pending]


@pytest.mark.parametrize("kw, key", [
    ({"view": "everything"}, "request.error.unknown_view"),
    ({"statuses": ["lost"]}, "error.unknown_code"),
    ({"text": "x" * 501}, "error.too_long"),
])
def test_a_bad_view_status_or_search_is_refused_with_what_is_wrong(desk, kw, key):
    with pytest.raises(ValidationError) as caught:
        request_reads.list_(desk, "li", **kw)
    assert caught.value.key == key


# --- the KPIs (seed 003) --------------------------------------------------------------------------

def test_the_kpis_of_one_service_count_only_its_requests(desk, clock):
    start = clock.now
    requests.create(desk, "li", title="pc", checked=["all"], service="desktop")
    requests.create(desk, "li", title="mail", checked=["all"], service="email")
    requests.create(desk, "li", title="other", checked=["all"])
    clock.advance(minutes=1)
    assert request_kpis.kpis(desk, "repm", start=start, end=clock.now, service="desktop").total == 1
    assert request_kpis.kpis(desk, "repm", start=start, end=clock.now).total == 3


def test_a_resolved_request_awaiting_its_callback_is_not_closed(desk, clock):
    start = clock.now
    r = requests.create(desk, "li", title="pc", checked=["all"], accept=True)
    requests.dispatch(desk, "li", r.id, to="chen")
    requests.fulfil(desk, "chen", r.id, note="done")
    clock.advance(minutes=1)
    k = request_kpis.kpis(desk, "repm", start=start, end=clock.now)
    assert (k.total, k.closed, k.closed_rate, k.succeeded_rate) == (1, 0, 0.0, None)


def test_overdue_is_past_the_target_not_at_it_and_never_a_cancelled_request(desk, clock):
    start = clock.now  # priority 1: resolve target 240 minutes (wall clock)

    def handled_in(minutes):
        r = requests.create(desk, "li", title=f"in {minutes}", checked=["all"], priority=1, accept=True)
        requests.dispatch(desk, "li", r.id, to="chen")
        clock.advance(minutes=minutes)
        requests.fulfil(desk, "chen", r.id, note="done")

    handled_in(240)
    handled_in(241)
    cancelled = requests.create(desk, "li", title="withdrawn late", checked=["all"], priority=1)
    clock.advance(minutes=300)
    requests.cancel(desk, "li", cancelled.id, reason="the user withdrew")
    k = request_kpis.kpis(desk, "repm", start=start, end=clock.now + timedelta(minutes=1))
    assert (k.total, k.overdue) == (3, 1)


def test_a_request_whose_service_was_retired_since_is_still_shown(desk, clock):
    from desk.services import catalogue_flow

    made = requests.create(desk, "li", title="Room for the board meeting", checked=["all"], service="conference")
    draft_id = catalogue_flow.open_draft(desk, "catm", code="conference", kind="retire")
    catalogue_flow.submit(desk, "catm", draft_id)
    catalogue_flow.approve(desk, "ops", draft_id)
    clock.advance(minutes=1)
    catalogue_flow.publish(desk, "ops", draft_id)
    shown = request_reads.get(desk, made.id)
    assert (shown.title, shown.service) == ("Room for the board meeting", "conference")
    assert shown.checklist and all(item.done for item in shown.checklist)  # the base items it was raised with
