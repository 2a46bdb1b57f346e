"""The wallboard's figures: its breached and breaching-soon lists are the clocks the SLA engine
says are breached and in warning (held clocks in neither), and its counts match the queue."""

from __future__ import annotations

from desk.services import incidents, queue, sla_hold, sla_views, wallboard


def test_lists_follow_the_engines_states(desk, clock):
    made = [incidents.create(desk, "li", title=f"t{i}", impact=i % 3 + 1, urgency=2, service="email").id
            for i in range(9)]
    clock.advance(minutes=200)
    sla_hold.hold_incident(desk, "li", made[0], reason="vendor")
    incidents.resolve(desk, "li", made[1], code="fixed", note="ok")
    clock.advance(minutes=200)
    board = wallboard.snapshot(desk)
    states = {i: sla_views.incident_sla(desk, i).state for i in made}
    assert sorted(c.id for c in board.breached) == sorted(i for i, s in states.items() if s == "breached")
    assert sorted(c.id for c in board.soon) == sorted(i for i, s in states.items() if s == "warning")
    assert board.breached_total == len(board.breached) > 0 and board.soon_total == len(board.soon) > 0
    assert states[made[0]] == "paused" and board.paused == 1
    assert board.open_total == 8 and board.unassigned == 8
    assert board.by_group == [("desk", 8, 0)] and board.by_agent == []
    assert sum(board.inflow) == 9 and sum(board.outflow) == 1
    assert board.alerts == 0
    # the queue's "breaching" view is the same set: breached and in warning, held clocks in neither
    breaching = queue.ids(queue.QueueFilter(view="breaching"), queue.context(desk, "li"))
    assert sorted(breaching) == sorted(c.id for c in board.breached + board.soon)


def test_an_empty_desk_has_a_board(desk):
    board = wallboard.snapshot(desk)
    assert (board.open_total, board.breached, board.soon, board.by_group) == (0, [], [], [])


def test_requests_are_on_the_board_by_status_and_in_the_breach_lists(desk, clock):
    from desk.services import request_approval, requests

    def dispatched(title, priority):
        r = requests.create(desk, "li", title=title, requester="Zhang Wei", checked=["all"], priority=priority)
        requests.accept(desk, "li", r.id)
        return requests.dispatch(desk, "li", r.id, to="chen")

    late = dispatched("Mailbox for the new starter", 1)
    waiting = dispatched("Access to the ledger", 1)
    request_approval.ask_approval(desk, "chen", waiting.id, approvers=["appr"])  # held: in neither list
    pending = requests.create(desk, "li", title="A question", checked=["all"], priority=3)
    clock.advance(minutes=5)  # (no two due at the same minute: the order is by due time alone)
    incident = incidents.create(desk, "li", title="VPN down", impact=1, urgency=1)
    clock.advance(days=3)
    board = wallboard.snapshot(desk)
    assert board.requests_by_status == {"pending": 1, "dispatched": 1, "awaiting_approval": 1}
    assert board.approvals == 1
    # incidents and requests in one list, the most overdue first; the held request in neither list
    states = {("request", r.id): sla_views.view(desk, requests.KIND, r.id) for r in (late, waiting, pending)}
    states[("incident", incident.id)] = sla_views.incident_sla(desk, incident.id)
    breached = [key for key, got in states.items() if got.state == "breached"]
    assert {("incident", incident.id), ("request", late.id)} <= set(breached)
    assert [(c.entity, c.id) for c in board.breached] == sorted(breached, key=lambda k: states[k].due_at)
    assert board.breached_total == len(breached) and board.paused == 1  # the request held for approval
    (shown,) = [c for c in board.breached if (c.entity, c.id) == ("request", late.id)]
    assert (shown.title, shown.assignee, shown.priority) == ("Mailbox for the new starter", "chen", 1)
    left = wallboard.countdowns(desk, board, ("new", "assigned", "in_progress"))
    assert left[("request", late.id)] == sla_views.view(desk, requests.KIND, late.id).remaining < 0


def test_load_per_group_and_agent_counts_open_requests_beside_incidents(desk, clock):
    """Each group's and each person's open incidents and open requests, side by side: a request
    counts for its handler group and handler while open, not once resolved."""
    from desk.services import requests

    def dispatched(title):
        r = requests.create(desk, "li", title=title, requester="Zhang Wei", checked=["all"], priority=3)
        requests.accept(desk, "li", r.id)
        return requests.dispatch(desk, "li", r.id, to="chen")

    dispatched("Mailbox for the new starter")
    done = dispatched("Access to the ledger")
    requests.fulfil(desk, "chen", done.id, note="granted")  # resolved: no longer open
    inc = incidents.create(desk, "li", title="VPN down", impact=2, urgency=2)
    incidents.escalate(desk, "li", inc.id, to="systems", reason="server")
    incidents.assign(desk, "chen", inc.id, to="me")
    incidents.create(desk, "li", title="Printer jams", impact=3, urgency=3)
    board = wallboard.snapshot(desk)
    assert board.by_agent == [("chen", 1, 1)]
    assert dict((g, (i, r)) for g, i, r in board.by_group)["systems"] == (1, 1)
    assert ("desk", 1, 0) in board.by_group  # the printer incident, still with the desk
