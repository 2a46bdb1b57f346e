"""The rules that keep a stored ticket's SLA clock in step (desk/services/sla_sync.py) through the real
database that a removed or inverted line would let pass (issue 19; tools/mutants/services_sla_sync.toml)."""

from __future__ import annotations

from desk.models import Notification, ServiceRequest, SlaClock
from desk.services import requests, sla, sla_sync, sla_tick


def dispatched(desk, **kw):
    r = requests.create(desk, "li", title="New mailbox", requester="Zhang Wei", checked=["all"], service="email",
                        **kw)
    requests.accept(desk, "li", r.id)
    return requests.dispatch(desk, "li", r.id, to="chen")


def test_a_note_on_a_waiting_request_keeps_its_one_pause(desk, clock):
    r = dispatched(desk)
    requests.wait(desk, "chen", r.id, reason="which model?")
    held_at = clock.now
    clock.advance(minutes=10)
    requests.note(desk, "chen", r.id, text="called again, no answer")
    assert [(p.reason, p.started_at, p.ended_at) for p in sla.ledger(desk, "request", r.id)] == [
        ("caller", held_at, None)]


def test_a_priority_1_request_is_announced_then_warned_then_breached(desk, clock):
    r = dispatched(desk, priority=1)  # 240 minutes, the warning at 75 %
    assert Notification.select().where((Notification.kind == "sla.raised") & (Notification.entity_id == r.id)).count()
    clock.advance(minutes=180)
    assert sla_tick.tick(desk, "admin").escalations == 1
    clock.advance(minutes=61)
    assert sla_tick.tick(desk, "admin").escalations == 1
    stages = {n.kind for n in Notification.select().where((Notification.entity == "request")
                                                           & (Notification.entity_id == r.id))}
    assert stages == {"sla.raised", "sla.warning", "sla.breach"}


def test_a_backfilled_clock_warns_before_it_is_due(desk, clock):
    r = dispatched(desk)
    ServiceRequest.update(due_at=None).execute()
    SlaClock.delete().execute()
    assert sla_sync.backfill(desk, requests.KIND) == 1
    row = SlaClock.get(SlaClock.entity_id == r.id)
    assert row.warn_at < row.due_at and row.next_at == row.warn_at


def test_a_hold_asked_for_by_hand_outlasts_a_note_on_the_request(desk, clock):
    from desk.services import sla_hold

    r = dispatched(desk)
    sla_hold.hold_request(desk, "chen", r.id, reason="vendor")
    held_at = clock.now
    clock.advance(minutes=10)
    requests.note(desk, "chen", r.id, text="the supplier says Friday")
    assert [(p.reason, p.started_at, p.ended_at) for p in sla.ledger(desk, "request", r.id)] == [
        ("vendor", held_at, None)]
