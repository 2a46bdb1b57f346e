"""Automatic escalation on SLA thresholds: who is told, when, and exactly once — also with several
ticking processes at once (SQLite, and PostgreSQL when DESK_TEST_PG is set)."""

from __future__ import annotations

import os
import subprocess
import sys


from desk.models import Agent, Escalation, Notification, SlaClock
from desk.services import incidents, sla_hold, sla_tick


def _told(stage: str | None = None) -> list[tuple[str, int, str]]:
    query = Notification.select(Notification, Agent).join(Agent)
    if stage:
        query = query.where(Notification.kind == f"sla.{stage}")
    return sorted((n.agent.login, n.entity_id, n.kind) for n in query)


def test_warning_then_breach_each_once_to_who_config_names(desk, clock):
    # email: 24x7; priority 3: 1440 minutes; warning at 75 % = 1080 minutes
    inc = incidents.create(desk, "li", title="mail slow", impact=2, urgency=3, service="email")
    incidents.assign(desk, "li", inc.id, to="zhao")
    clock.advance(minutes=1079)
    assert sla_tick.tick(desk).escalations == 0 and _told() == []
    clock.advance(minutes=1)
    got = sla_tick.tick(desk)
    # the assignee, and the leads of the ticket's group (desk: admin and lead)
    assert _told("warning") == [("admin", inc.id, "sla.warning"), ("lead", inc.id, "sla.warning"),
                                ("zhao", inc.id, "sla.warning")]
    assert (got.escalations, got.notifications) == (1, 3)
    assert sla_tick.tick(desk).escalations == 0  # once
    clock.advance(minutes=360)  # exactly at the due time: not breached yet
    assert sla_tick.tick(desk).escalations == 0
    clock.advance(seconds=1)
    sla_tick.tick(desk)
    assert _told("breach") == [("admin", inc.id, "sla.breach"), ("lead", inc.id, "sla.breach"),
                               ("zhao", inc.id, "sla.breach")]
    assert sla_tick.tick(desk).escalations == 0
    assert SlaClock.get(SlaClock.entity_id == inc.id).next_at is None


def test_a_held_or_resolved_clock_escalates_nothing(desk, clock):
    held = incidents.create(desk, "li", title="waiting", impact=2, urgency=3, service="email")
    done = incidents.create(desk, "li", title="done", impact=2, urgency=3, service="email")
    sla_hold.hold_incident(desk, "li", held.id, reason="caller")
    incidents.resolve(desk, "li", done.id, code="fixed", note="ok")
    clock.advance(days=5)
    assert sla_tick.tick(desk).escalations == 0 and Escalation.select().count() == 0
    sla_hold.resume_incident(desk, "li", held.id)  # five days held: none of it counts
    assert sla_tick.tick(desk).escalations == 0
    clock.advance(minutes=1081)
    assert sla_tick.tick(desk).escalations == 1


def test_a_priority_1_incident_tells_the_shift_leads_when_raised_once(desk, clock):
    inc = incidents.create(desk, "li", title="core switch down", impact=1, urgency=1)
    assert _told("raised") == [("admin", inc.id, "sla.raised"), ("lead", inc.id, "sla.raised")]
    incidents.note(desk, "li", inc.id, text="on it")
    assert len(_told("raised")) == 2
    incidents.create(desk, "li", title="printer", impact=3, urgency=3)
    assert len(_told("raised")) == 2


def test_reading_notifications(desk, clock):
    inc = incidents.create(desk, "li", title="core <b>switch</b>", impact=1, urgency=1)
    mine = sla_tick.for_agent(desk, "lead")
    assert [n.entity_id for n in mine] == [inc.id] and sla_tick.unread_count(desk, "lead") == 1
    assert sla_tick.text(mine[0], "en") == f"priority 1: incident {inc.id} raised: core <b>switch</b>"
    assert sla_tick.for_agent(desk, "li") == []  # only one's own
    assert sla_tick.mark_read(desk, "lead") == 1 and sla_tick.unread_count(desk, "lead") == 0
    assert sla_tick.unread_count(desk, "admin") == 1  # someone else's stay unread


def test_concurrent_ticks_record_each_escalation_once(desk, db_url, clock, tmp_path):
    """Four `desk sla tick` processes at once on incidents long overdue (the processes run on
    the real clock, weeks after the test's): each escalation and notification exactly once."""
    ids = [incidents.create(desk, "li", title=f"t{i}", impact=2, urgency=3, service="email").id for i in range(12)]
    for i in ids[:6]:
        incidents.assign(desk, "li", i, to="zhao")
    env = {**os.environ, "DESK_DB": db_url, "DESK_USER": "admin", "XDG_CONFIG_HOME": str(tmp_path / "cfg")}
    procs = [subprocess.Popen([sys.executable, "-m", "desk", "sla", "tick"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE) for _ in range(4)]
    outs = [p.communicate(timeout=120) for p in procs]
    assert all(p.returncode == 0 for p in procs), [o[1] for o in outs]
    assert Escalation.select().count() == 2 * len(ids)  # warning and breach, once each
    # breach: group leads (2) + assignee where there is one; the warning passed in the same tick is
    # recorded and told to nobody (the real clock is past a report period's close: its writers'
    # reminders, once each, are not counted)
    assert Notification.select().where(Notification.kind.startswith("sla.")).count() == 2 * len(ids) + 6
    assert not Notification.select().where(Notification.kind == "sla.warning").exists()
    pairs = [(n.agent_id, n.entity_id, n.kind) for n in Notification.select()]
    assert len(pairs) == len(set(pairs))
    assert sla_tick.tick(desk).escalations == 0  # and nothing is left to do
    clock.advance(days=1)
    assert sla_tick.tick(desk).escalations == 0
