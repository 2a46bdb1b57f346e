"""SLA clocks on service requests (issue 15): targets from the catalogue version the request was
raised under (else the [[priority]] defaults), the service's business hours, the waiting statuses
pausing the clock with ledger rows, and the stored due time kept in step in the change's own
transaction. Runs on SQLite and PostgreSQL (the `desk` fixture)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from desk.domain.errors import StaleVersion
from desk.models import History, Notification, ServiceRequest, SlaClock, SlaPause
from desk.services import catalogue, catalogue_flow, request_approval, request_reads, requests, sla, sla_sync, sla_tick

# conftest's clock starts Monday 2026-11-02 09:00 UTC = 17:00 in Shanghai.


def _due(request_id):
    return ServiceRequest.get_by_id(request_id).due_at


def _clock(request_id):
    return SlaClock.get_or_none((SlaClock.entity == "request") & (SlaClock.entity_id == request_id))


def _ledger(desk, request_id):
    return [(p.reason, p.started_at, p.ended_at) for p in sla.ledger(desk, "request", request_id)]


def _dispatched(desk, service="email", **kw):
    r = requests.create(desk, "li", title="New mailbox", requester="Zhang Wei", checked=["all"], service=service,
                        **kw)
    requests.accept(desk, "li", r.id)
    return requests.dispatch(desk, "li", r.id, to="chen")


def test_a_new_request_is_due_on_its_services_business_hours(desk, clock):
    # accounts: the 'extended' calendar (08:00-20:00 daily, Shanghai); priority 3: 1440 business minutes
    r = requests.create(desk, "li", title="Access to the ledger", checked=["all"], service="accounts")
    version = catalogue.service_version(desk, "accounts")
    minutes = version.targets_for(3).resolve_minutes
    cal = desk.config.sla.calendar("extended")
    due = _due(r.id)
    assert cal.seconds(clock.now, due) == minutes * 60
    assert due > clock.now + timedelta(minutes=minutes)  # the nights do not count
    row = _clock(r.id)
    assert row.due_at == due and row.stage == 0 and row.warn_at < due
    # no service: the default calendar (24x7) and the [[priority]] defaults
    plain = requests.create(desk, "li", title="A question", checked=["all"], priority=2)
    assert _due(plain.id) == clock.now + timedelta(minutes=desk.config.sla.targets(2).resolve_minutes)


def test_a_request_keeps_the_targets_of_the_version_it_was_raised_under(desk, clock):
    before = requests.create(desk, "li", title="Mailbox", checked=["all"], service="email")
    old_due = _due(before.id)
    req = catalogue_flow.raise_requirement(desk, "catm", title="Faster mailboxes", need="1 h", source="contract",
                                           service="email")
    _, draft_id = catalogue_flow.accept_requirement(desk, "ops", req.id)
    catalogue_flow.edit_draft(desk, "catm", draft_id, {"targets": {"3": {"response": 5, "resolve": 60}}})
    catalogue_flow.submit(desk, "catm", draft_id)
    catalogue_flow.approve(desk, "ops", draft_id)
    catalogue_flow.publish(desk, "ops", draft_id)
    after = requests.create(desk, "li", title="Mailbox too", checked=["all"], service="email")
    assert _due(after.id) == clock.now + timedelta(minutes=60)
    clock.advance(minutes=10)
    requests.accept(desk, "li", before.id)  # a change re-reads the clock: still version 1's target
    assert _due(before.id) == old_due
    assert request_reads.get(desk, before.id).sla.due_at == old_due


@pytest.mark.parametrize("ask, answer, reason", [
    ("wait", "resume", "caller"),
    ("ask_cost", "confirm_cost", "cost"),
    ("ask_approval", "approve", "approval"),
])
def test_a_waiting_status_pauses_the_clock_with_a_ledger_row(desk, clock, ask, answer, reason):
    r = _dispatched(desk)  # email: 24x7
    due = _due(r.id)
    clock.advance(minutes=20)
    if ask == "wait":
        requests.wait(desk, "chen", r.id, reason="which model?")
    elif ask == "ask_cost":
        requests.ask_cost(desk, "chen", r.id)
    else:
        request_approval.ask_approval(desk, "chen", r.id, approvers=["appr"])
    held_at = clock.now
    assert _due(r.id) is None and _clock(r.id).paused_since == held_at and _clock(r.id).next_at is None
    assert _ledger(desk, r.id) == [(reason, held_at, None)]
    assert request_reads.get(desk, r.id).sla.state == "paused"
    clock.advance(minutes=95)
    if answer == "resume":
        requests.resume(desk, "chen", r.id)
    elif answer == "confirm_cost":
        requests.confirm_cost(desk, "chen", r.id, amount="120.00", currency="CNY", confirmed_with="Zhang Wei")
    else:
        request_approval.approve(desk, "appr", r.id)
    assert ServiceRequest.get_by_id(r.id).status == "dispatched"
    assert _due(r.id) == due + timedelta(minutes=95)
    assert _ledger(desk, r.id) == [(reason, held_at, clock.now)]
    (pause,) = sla.ledger(desk, "request", r.id)
    assert pause.started_by_id is not None and pause.ended_by_id is not None
    view = request_reads.get(desk, r.id).sla
    assert view.state == "running" and view.paused == 95 * 60 and view.spent == 20 * 60
    assert [p.reason for p in view.ledger] == [reason]


def test_a_working_status_does_not_pause_the_clock(desk, clock):
    r = _dispatched(desk)
    due = _due(r.id)
    clock.advance(minutes=30)
    requests.escalate(desk, "chen", r.id, reason="needs the vendor")
    assert _due(r.id) == due and _ledger(desk, r.id) == [] and _clock(r.id).paused_since is None


def test_a_rejected_request_stops_its_clock_and_ends_the_pause(desk, clock):
    r = _dispatched(desk)
    request_approval.ask_approval(desk, "chen", r.id, approvers=["appr"])
    clock.advance(minutes=40)
    request_approval.reject(desk, "appr", r.id, reason="not in budget",
                            code=desk.config.codes("request_rejection")[0])
    assert ServiceRequest.get_by_id(r.id).status == "closed"
    assert _ledger(desk, r.id)[0][2] == clock.now
    assert _clock(r.id) is None  # nothing left for the tick
    clock.advance(days=30)  # closed unresolved: the clock stopped when it closed, it does not breach later
    view = request_reads.get(desk, r.id).sla
    assert view.state == "met" and view.paused == 40 * 60


def test_a_refused_change_writes_no_ledger_row(desk, clock):
    r = _dispatched(desk)
    with pytest.raises(StaleVersion):
        requests.wait(desk, "chen", r.id, reason="which model?", expect_version=r.version - 1)
    assert _ledger(desk, r.id) == [] and _due(r.id) is not None
    assert ServiceRequest.get_by_id(r.id).status == "dispatched"


def test_resolving_stops_the_clock_met_or_breached(desk, clock):
    r = _dispatched(desk, priority=1)  # 240 minutes
    clock.advance(minutes=100)
    requests.fulfil(desk, "chen", r.id, note="done")
    assert _clock(r.id) is None
    assert request_reads.get(desk, r.id).sla.state == "met"
    late = _dispatched(desk, priority=1)
    clock.advance(minutes=241)
    requests.fulfil(desk, "chen", late.id, note="done late")
    assert request_reads.get(desk, late.id).sla.state == "breached"


def test_the_tick_warns_the_handler_and_the_groups_lead_of_a_request(desk, clock):
    r = _dispatched(desk, priority=1)  # 240 min, warning at 75 %
    clock.advance(minutes=181)
    got = sla_tick.tick(desk, "admin")
    assert got.escalations == 1
    told = {n.agent.login for n in Notification.select().where((Notification.entity == "request")
                                                                & (Notification.entity_id == r.id))}
    assert "chen" in told  # the handler (the escalation's `assignee`)
    (note,) = [n for n in sla_tick.for_agent(desk, "chen") if n.entity == "request"]
    assert note.kind == "sla.warning" and f" R{r.id} " in sla_tick.text(note, "en")
    assert sla_tick.tick(desk, "admin").escalations == 0  # once


def test_backfill_gives_open_requests_of_an_older_database_their_clocks(desk, clock):
    running = _dispatched(desk)
    waiting = _dispatched(desk)
    requests.wait(desk, "chen", waiting.id, reason="which model?")
    # as a database from before schema 11 has them: no due time, no clock, no ledger
    ServiceRequest.update(due_at=None).execute()
    SlaClock.delete().where(SlaClock.entity == "request").execute()
    SlaPause.delete().where(SlaPause.entity == "request").execute()
    clock.advance(minutes=5)
    assert sla_sync.backfill(desk, requests.KIND) == 2
    assert _due(running.id) is not None and _clock(running.id).paused_since is None
    assert _due(waiting.id) is None and _ledger(desk, waiting.id) == [("caller", clock.now, None)]
    assert sla_sync.backfill(desk, requests.KIND) == 0


def test_every_wait_is_in_the_history_and_the_ledger_together(desk, clock):
    r = _dispatched(desk)
    requests.wait(desk, "chen", r.id, reason="which model?")
    last = History.select().where((History.entity == "request") & (History.entity_id == r.id)) \
        .order_by(History.seq.desc()).first()
    (pause,) = sla.ledger(desk, "request", r.id)
    assert last.action == "wait" and last.at == pause.started_at
