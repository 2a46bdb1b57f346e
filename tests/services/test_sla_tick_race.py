"""The tick's conditional UPDATE against a ticket reopened between the tick's read of its clock
and that UPDATE (issue 19: the `cycle` condition, tools/mutants/services_sla_tick.toml). The
interleaving is injected, not timed: the reopening runs when the tick opens its write
transaction, after it read the clock.

On SQLite the reopened ticket's new clock row takes the deleted row's id (the largest rowid plus
one), so only `cycle = <the cycle read>` tells the new cycle's clock from the one the tick read;
on PostgreSQL a sequence gives it a new id, which the same tick reaches further on, and the test
passes on the id alone."""

from __future__ import annotations

from contextlib import contextmanager

from desk.models import Escalation, Incident
from desk.services import incidents, sla_tick


def _threshold_escalations() -> list[tuple]:
    rows = Escalation.select().where(Escalation.stage.in_(["warning", "breach"])).order_by(Escalation.id)
    return [(e.stage, e.cycle, e.due_at) for e in rows]


def test_a_ticket_reopened_while_the_tick_runs_is_warned_in_its_new_cycle_with_its_new_due_time(
        desk, clock, monkeypatch):
    inc = incidents.create(desk, "li", title="vpn drops", impact=1, urgency=1)  # 24x7, 240 min, warned at 180
    clock.advance(minutes=200)  # the warning is due, not sent yet
    real, raced = sla_tick.write_transaction, []

    @contextmanager
    def reopened_first(db=None):
        if not raced:  # the tick has read the clock (cycle 0, stage 0) and is about to move it
            raced.append(inc.id)
            incidents.resolve(desk, "li", inc.id, code="fixed", note="restarted the tunnel")
            clock.advance(minutes=60)  # stood resolved 60 minutes: a pause ([sla] reopen_gap)
            incidents.reopen(desk, "li", inc.id, reason="drops again")
        with real(db) as tx:
            yield tx

    monkeypatch.setattr(sla_tick, "write_transaction", reopened_first)
    sla_tick.tick(desk)
    assert raced == [inc.id]
    # lost to the reopening: nothing said about the cycle that ended (on PostgreSQL the new cycle's
    # clock, a new id further on, is already warned in this same tick; on SQLite in the next)
    assert [e for e in _threshold_escalations() if e[1] == 0] == []
    sla_tick.tick(desk)
    new_due = Incident.get_by_id(inc.id).due_at  # 60 minutes later than the first cycle's
    assert _threshold_escalations() == [("warning", 1, new_due)]  # once
