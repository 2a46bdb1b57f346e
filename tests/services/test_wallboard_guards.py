"""The wallboard's conditions at their edges (issue 19): a clock at its warning and due instants, one
held before or after its breach, the lists' limit, the load's order, the hour a ticket opened at an
hour's boundary falls in, requests awaiting approval and by status in the flow's order, firing
alerts, and late reports without those submitted late."""

from __future__ import annotations

from datetime import datetime, timedelta

from desk.models import SlaClock
from desk.services import (agents, alerts, incidents, queue, report_list, report_review, reports, request_approval,
                           requests, sla_hold, sla_views, wallboard)
from desk.services.alert_payloads import AlertIn


def _clock_of(incident_id: int) -> SlaClock:
    return SlaClock.get((SlaClock.entity == "incident") & (SlaClock.entity_id == incident_id))


def _listed(board) -> tuple[list[int], list[int]]:
    return [c.id for c in board.breached], [c.id for c in board.soon]


def test_a_clock_is_breaching_soon_from_its_warning_instant_and_breached_only_after_its_due_time(desk, clock):
    urgent = incidents.create(desk, "li", title="Core switch down", impact=1, urgency=1, service="email").id
    row = _clock_of(urgent)
    clock.now = row.warn_at - timedelta(seconds=1)
    assert _listed(wallboard.snapshot(desk)) == ([], [])
    clock.now = row.warn_at
    assert _listed(wallboard.snapshot(desk)) == ([], [urgent])
    clock.now = row.due_at  # due now: not over yet
    board = wallboard.snapshot(desk)
    assert _listed(board) == ([], [urgent]) and (board.breached_total, board.soon_total) == (0, 1)
    clock.now = row.due_at + timedelta(seconds=1)
    assert _listed(wallboard.snapshot(desk)) == ([urgent], [])


def test_a_clock_held_after_its_breach_stays_breached_and_one_held_before_it_is_counted_held(desk, clock):
    """The engine says a ticket held after its breach is breached: the board and the queue's
    breaching view count it so, rather than losing it from every count."""
    late = incidents.create(desk, "li", title="Core switch down", impact=1, urgency=1, service="email").id
    early = incidents.create(desk, "li", title="Printer jams", impact=3, urgency=3, service="email").id
    sla_hold.hold_incident(desk, "li", early, reason="vendor")
    clock.now = _clock_of(late).due_at + timedelta(minutes=10)
    sla_hold.hold_incident(desk, "li", late, reason="vendor")
    assert sla_views.incident_sla(desk, late).state == "breached"
    assert sla_views.incident_sla(desk, early).state == "paused"
    board = wallboard.snapshot(desk)
    assert _listed(board) == ([late], []) and board.breached_total == 1
    assert board.paused == 1  # the one held short of its due time
    breaching = queue.ids(queue.QueueFilter(view="breaching"), queue.context(desk, "li"))
    assert breaching == [late]


def test_the_lists_show_the_most_overdue_up_to_their_limit_and_count_them_all(desk, clock):
    made = []
    for title in ("VPN down", "Mail down", "Disk full"):
        made.append(incidents.create(desk, "li", title=title, impact=1, urgency=1, service="email").id)
        clock.advance(minutes=5)
    r = requests.create(desk, "li", title="Mailbox for the new starter", requester="Zhang Wei", checked=["all"],
                        priority=1)
    clock.advance(days=3)
    board = wallboard.snapshot(desk, limit=2)
    assert [c.id for c in board.breached] == made[:2]  # due first, most overdue
    assert board.breached_total == 4  # three incidents and the request
    assert ("request", r.id) not in [(c.entity, c.id) for c in board.breached]


def test_load_puts_the_largest_open_work_first_incidents_and_requests_together(desk, clock, monkeypatch):
    for title in ("Mailbox for the new starter", "Access to the ledger"):
        r = requests.create(desk, "li", title=title, requester="Zhang Wei", checked=["all"], priority=3)
        requests.accept(desk, "li", r.id)
        requests.dispatch(desk, "li", r.id, to="chen")
    inc = incidents.create(desk, "li", title="VPN down", impact=2, urgency=2)
    incidents.escalate(desk, "li", inc.id, to="network", reason="tunnel")
    incidents.assign(desk, "wang", inc.id, to="me")
    assert wallboard.snapshot(desk).by_agent == [("chen", 0, 2), ("wang", 1, 0)]
    monkeypatch.setattr(wallboard, "AGENT_LIMIT", 1)
    assert wallboard.snapshot(desk).by_agent == [("chen", 0, 2)]  # the busiest kept


def test_inflow_counts_each_incident_once_in_the_hour_it_opened_oldest_hour_first(desk, clock):
    start = clock.now  # on the hour
    incidents.create(desk, "li", title="VPN down", impact=2, urgency=2)
    clock.now = start + timedelta(hours=2)
    incidents.create(desk, "li", title="Mail down", impact=2, urgency=2)  # opened at the board's instant
    inflow = wallboard.snapshot(desk).inflow
    # the 24 hours end now: the last is the current one; the one opened on the hour two hours ago
    # falls in the hour it starts, not in the one before as well
    assert (inflow[22], inflow[23], sum(inflow)) == (1, 1, 2)
    clock.now = start + timedelta(hours=24)  # exactly a day after the first
    assert wallboard.snapshot(desk).inflow[0] == 1


def test_requests_awaiting_approval_and_open_requests_by_status_in_the_flows_order(desk, clock):
    def dispatched(title):
        r = requests.create(desk, "li", title=title, requester="Zhang Wei", checked=["all"], priority=3)
        requests.accept(desk, "li", r.id)
        return requests.dispatch(desk, "li", r.id, to="chen")

    for title in ("A question", "Another question"):
        requests.create(desk, "li", title=title, checked=["all"], priority=3)
    waiting = dispatched("Access to the ledger")
    request_approval.ask_approval(desk, "chen", waiting.id, approvers=["appr"])
    dispatched("Mailbox for the new starter")
    requests.fulfil(desk, "chen", dispatched("A new laptop").id, note="delivered")  # resolved: not open
    board = wallboard.snapshot(desk)
    assert board.approvals == 1
    assert list(board.requests_by_status.items()) == [("pending", 2), ("dispatched", 1), ("awaiting_approval", 1)]


def _alert(fingerprint, cleared=False):
    return AlertIn("zabbix", fingerprint, "critical", "db01", "node", "disk full", "95%", cleared, 0)


def test_the_board_counts_the_alerts_firing_now(desk, clock):
    alerts.ingest(desk, "admin", [_alert("db01-disk")])
    (first,) = queue.ids(queue.QueueFilter(view="all"), queue.context(desk, "li"))
    incidents.resolve(desk, "li", first, code="fixed", note="cleaned up")
    alerts.ingest(desk, "admin", [_alert("db01-disk")])  # fires again: a new incident, the old row let go
    alerts.ingest(desk, "admin", [_alert("web01-http"), _alert("web01-http", cleared=True), _alert("app01-cpu")])
    assert wallboard.snapshot(desk).alerts == 2  # db01-disk's new row and app01-cpu


def test_late_reports_leave_out_those_submitted_late(desk, clock):
    kpi = "incident-kpi-monthly"
    agents.save_agent(desk, "admin", agent_login="deptm", name="Dept", roles=["report_reviewer"])
    report_list.propose(desk, "repm", kpi, {"writer": "repw", "confirmer": "deptm", "reviewer": "repr"})
    report_list.confirm(desk, "repr", kpi)
    clock.now = datetime(2026, 11, 10, 9, 0)  # October's is due on 4 November
    rid = reports.generate(desk, "repw", kpi, "2026-10").id
    report_review.submit_for_review(desk, "repw", rid)
    report_review.confirm(desk, "deptm", rid)
    report_review.approve(desk, "repr", rid)
    report_review.submit(desk, "repr", rid)
    not_in = report_review.late(desk, include_submitted=False)
    assert len(report_review.late(desk)) == len(not_in) + 1  # October's, submitted late
    assert wallboard.snapshot(desk).late_reports == len(not_in)
