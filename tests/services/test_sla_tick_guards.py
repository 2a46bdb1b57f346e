"""The guards of automatic escalation and of reading notifications (desk/services/sla_tick.py)
through the real database that a removed or inverted line would let pass (issue 19;
tools/mutants/services_sla_tick.toml): who is told, once, and each agent reads only their own."""

from __future__ import annotations

from datetime import timedelta

import pytest

from desk.domain.errors import DeskError
from desk.models import Agent, Escalation, Notification
from desk.services import agents, incidents, requests, sla_tick, sla_views

# email: 24x7; priority 3: 1440 minutes, the warning at 75 % = 1080 minutes (test_sla_tick.py).
WARN, DUE = 1080, 1440


def told(kind: str) -> list[str]:
    query = Notification.select(Notification, Agent).join(Agent).where(Notification.kind == f"sla.{kind}")
    return sorted(n.agent.login for n in query)


def escalate_with(desk, monkeypatch, **table):
    monkeypatch.setitem(desk.config.sla.section, "escalation", table)


def test_no_announcement_when_raised_priority_is_0(desk, monkeypatch):
    escalate_with(desk, monkeypatch, raised_priority=0)
    incidents.create(desk, "li", title="core switch down", impact=1, urgency=1)
    assert told("raised") == []


def test_group_leads_are_the_active_leads_of_the_tickets_group(desk, clock, monkeypatch):
    agents.save_agent(desk, "admin", agent_login="netlead", name="Net Lead", roles=["lead"], group="network")
    agents.save_agent(desk, "admin", agent_login="gone", name="Gone", roles=["lead"], group="desk", active=False)
    escalate_with(desk, monkeypatch, warning=["group_lead"], breach=["shift_lead"])
    incidents.create(desk, "li", title="mail slow", impact=2, urgency=3, service="email")
    clock.advance(minutes=WARN)
    sla_tick.tick(desk)
    assert told("warning") == ["admin", "lead"]  # the desk's leads: not the network's, not the inactive one
    clock.advance(minutes=DUE)
    sla_tick.tick(desk)
    assert told("breach") == ["admin", "lead", "netlead"]  # every active lead


def test_the_owner_is_told_and_nobody_twice(desk, clock, monkeypatch):
    escalate_with(desk, monkeypatch, warning=["owner"], breach=["assignee", "group_lead"])
    inc = incidents.create(desk, "li", title="mail slow", impact=2, urgency=3, service="email")
    incidents.assign(desk, "li", inc.id, to="lead")
    clock.advance(minutes=WARN)
    sla_tick.tick(desk)
    assert told("warning") == ["li"]
    clock.advance(minutes=DUE)
    sla_tick.tick(desk)
    assert told("breach") == ["admin", "lead"]  # the assignee is a group lead too: told once


def test_a_request_owner_is_told(desk, clock, monkeypatch):
    escalate_with(desk, monkeypatch, warning=["owner"])
    r = requests.create(desk, "zhao", title="New mailbox", checked=["all"], service="email", accept=True)
    requests.dispatch(desk, "zhao", r.id, to="chen")
    clock.now = sla_views.view(desk, requests.KIND, r.id).warn_at + timedelta(minutes=1)  # near its due time
    sla_tick.tick(desk)
    assert told("warning") == ["zhao"]


def test_a_tick_run_as_nobody_known_is_refused_and_escalates_nothing(desk, clock):
    incidents.create(desk, "li", title="mail slow", impact=2, urgency=3, service="email")
    clock.advance(minutes=DUE + 1)
    with pytest.raises(DeskError) as caught:
        sla_tick.tick(desk, "nobody")
    assert caught.value.key == "error.unknown_user"
    assert Escalation.select().count() == 0


def test_a_clock_first_seen_past_its_due_time_records_the_warning_then_the_breach(desk, clock):
    incidents.create(desk, "li", title="mail slow", impact=2, urgency=3, service="email")
    clock.advance(minutes=DUE + 1)
    assert sla_tick.tick(desk).escalations == 2
    assert sorted(e.stage for e in Escalation.select()) == ["breach", "warning"]
    # told once, of the breach: "near its target" and "breached" at once for one ticket is noise
    assert {n.kind for n in Notification.select()} == {"sla.breach"}


def test_each_agent_reads_and_marks_their_own_unread_notifications(desk):
    first = incidents.create(desk, "li", title="core switch down", impact=1, urgency=1)
    second = incidents.create(desk, "li", title="core router down", impact=1, urgency=1)
    mine = sla_tick.for_agent(desk, "lead")
    assert sorted(n.entity_id for n in mine) == [first.id, second.id]
    oldest = min(mine, key=lambda n: n.id)
    assert sla_tick.mark_read(desk, "lead", [oldest.id]) == 1
    assert [n.entity_id for n in sla_tick.for_agent(desk, "lead", unread=True)] == [second.id]
    assert sla_tick.unread_count(desk, "lead") == 1
    assert [n.entity_id for n in sla_tick.newer_than(desk, "lead", 0)] == [second.id]  # not the read one
    newest = max(n.id for n in mine)
    assert sla_tick.newer_than(desk, "lead", newest) == []  # the last one shown is not shown again
    assert len(sla_tick.newer_than(desk, "lead", newest - 1)) == 1
