"""The SLA clock statements compiled for the write path (desk/services/sla_sync_sql.py) keep what
the peewee queries they replaced kept (tools/mutants/services_sla_sync_sql.toml)."""

from __future__ import annotations

from desk.models import SlaClock
from desk.services import requests, sla_tick


def test_a_warned_clock_stays_warned_through_a_change_and_is_not_warned_twice(desk, clock):
    r = requests.create(desk, "li", title="New mailbox", requester="Zhang Wei", checked=["all"], service="email",
                        priority=1)
    requests.accept(desk, "li", r.id)
    r = requests.dispatch(desk, "li", r.id, to="chen")
    clock.advance(minutes=180)  # past the warning (75 % of 240 minutes)
    assert sla_tick.tick(desk, "admin").escalations == 1
    requests.note(desk, "chen", r.id, text="on it")  # the change rewrites the clock's row
    row = SlaClock.get(SlaClock.entity_id == r.id)
    assert (row.stage, row.next_at) == (1, row.due_at)  # warned: next comes the breach
    assert sla_tick.tick(desk, "admin").escalations == 0  # and not warned a second time
