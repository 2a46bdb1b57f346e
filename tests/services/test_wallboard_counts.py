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
    assert board.by_group == [("desk", 8)] and board.by_agent == []
    assert sum(board.inflow) == 9 and sum(board.outflow) == 1
    assert board.alerts == 0
    # the queue's "breaching" view is the same set: breached and in warning, held clocks in neither
    breaching = queue.ids(queue.QueueFilter(view="breaching"), queue.context(desk, "li"))
    assert sorted(breaching) == sorted(c.id for c in board.breached + board.soon)


def test_an_empty_desk_has_a_board(desk):
    board = wallboard.snapshot(desk)
    assert (board.open_total, board.breached, board.soon, board.by_group) == (0, [], [], [])
