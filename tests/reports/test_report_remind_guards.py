"""The guards of a report writer's reminder (desk/services/report_remind.py) that a removed or inverted
line would let pass (issue 19; tools/mutants/services_report_remind.toml): the entry's own writer
alone, never one who has left, once per period whichever process ticks, nothing from a tick that lost
the claim, and another entry's report stops no one's reminder. November 2026 on the desk's
Asia/Shanghai calendar closes at 2026-11-30 16:00 UTC."""

from __future__ import annotations

import json
from datetime import datetime

from desk.models import Notification, Setting
from desk.services import agents, report_list, report_remind, reports, sla_tick

KPI = "incident-kpi-monthly"
CLOSED = datetime(2026, 11, 30, 16, 0)


def _told(desk, code=KPI) -> list[str]:
    """The logins reminded of `code`'s November report."""
    rows = [(n.agent.login, json.loads(n.params)) for n in
            Notification.select().where(Notification.kind == report_remind.KIND)]
    return sorted(login for login, p in rows if p["code"] == code and p["period"] == "2026-11")


def _named(desk, writer="repw"):
    report_list.propose(desk, "repm", KPI, {"writer": writer})
    report_list.confirm(desk, "repr", KPI)


def test_the_entry_s_writer_alone_is_told_not_every_report_writer(desk, clock):
    agents.save_agent(desk, "admin", agent_login="repw2", name="Second writer", roles=["report_writer"])
    _named(desk)
    clock.now = CLOSED
    sla_tick.tick(desk)
    assert _told(desk) == ["repw"]
    assert _told(desk, "customer-monthly") == ["repw", "repw2"]  # it names no writer: every one


def test_a_writer_who_has_left_is_not_told(desk, clock):
    agents.save_agent(desk, "admin", agent_login="gone", name="Left", roles=["report_writer"], active=False)
    _named(desk, writer="gone")
    clock.now = CLOSED
    sla_tick.tick(desk)
    assert _told(desk) == []
    assert _told(desk, "customer-monthly") == ["repw"]


def test_a_period_reminded_by_another_process_is_not_reminded_again(desk, clock):
    _named(desk)
    clock.now = CLOSED
    sla_tick.tick(desk)
    desk.cache.pop("report_remind.done")  # another process ticking: what it saw done is its own
    clock.advance(minutes=1)
    sla_tick.tick(desk)
    assert _told(desk) == ["repw"]


def test_a_tick_that_loses_the_claim_to_another_sends_nothing(desk, clock, monkeypatch):
    """The other tick claims the period after this one read the settings, before it writes."""
    _named(desk)
    clock.now = CLOSED
    real = reports.due_at

    def other_tick_first(desk_, period, days):
        if not Setting.select().where(Setting.key == report_remind.PREFIX + KPI).exists():
            Setting.create(key=report_remind.PREFIX + KPI, value=period.key)
        return real(desk_, period, days)

    monkeypatch.setattr(report_remind.reports, "due_at", other_tick_first)
    report_remind.remind(desk)
    assert _told(desk) == []


def test_another_entry_s_report_does_not_stop_this_one_s_reminder(desk, clock):
    _named(desk)
    clock.now = CLOSED
    reports.generate(desk, "repw", "customer-monthly", "2026-11")  # its writer began: no reminder for it
    sla_tick.tick(desk)
    assert _told(desk) == ["repw"] and _told(desk, "customer-monthly") == []
