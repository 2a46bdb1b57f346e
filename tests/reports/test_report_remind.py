"""A report's writer is reminded when its period closes (desk.services.report_remind): a desk
notification sent by the SLA tick, once per entry and period, on the fake clock.

The test desk starts on 2026-11-02 09:00 UTC (conftest); November 2026 on its Asia/Shanghai
calendar closes at 2026-11-30 16:00 UTC.
"""

from datetime import datetime

from desk.models import Setting
from desk.services import report_list, report_remind, reports, sla_tick

KPI = "incident-kpi-monthly"


def _mine(desk, login="repw", code=KPI):
    return [n for n in sla_tick.for_agent(desk, login) if n.kind == report_remind.KIND and n.params["code"] == code]


def _named(desk):
    report_list.propose(desk, "repm", KPI, {"writer": "repw"})
    report_list.confirm(desk, "repr", KPI)


def test_the_writer_is_told_once_when_the_period_closes(desk, clock):
    _named(desk)
    clock.now = datetime(2026, 11, 30, 15, 59)  # November still open in Shanghai
    sla_tick.tick(desk)
    assert _mine(desk) == []
    clock.now = datetime(2026, 11, 30, 16, 0)  # it has closed
    assert sla_tick.tick(desk).notifications >= 1
    sent = _mine(desk)
    assert [n.params["period"] for n in sent] == ["2026-11"]
    assert sla_tick.text(sent[0], "en") == ("Report to write: Monthly incident KPI report 2026-11 — its period has "
                                            "closed (due 2026-12-04 00:00)")
    assert sla_tick.text(sent[0], "zh").startswith("待编写报告：月度事件管理KPI报告 2026-11")
    clock.advance(hours=1)
    sla_tick.tick(desk)
    clock.advance(days=3)
    sla_tick.tick(desk)
    assert len(_mine(desk)) == 1  # once per period
    assert _mine(desk, "li") == []  # not a report writer
    clock.now = datetime(2026, 12, 31, 16, 0)
    sla_tick.tick(desk)
    assert [n.params["period"] for n in _mine(desk)] == ["2026-12", "2026-11"]


def test_no_reminder_once_the_report_is_generated(desk, clock):
    _named(desk)
    clock.now = datetime(2026, 11, 30, 16, 0)
    reports.generate(desk, "repw", KPI, "2026-11")
    sla_tick.tick(desk)
    assert _mine(desk) == []


def test_no_reminder_for_a_period_that_closed_before_the_entry_was_listed(desk, clock):
    """The desk was set up on 2 November: October closed before, it is not the writer's to write."""
    _named(desk)
    clock.now = datetime(2026, 11, 3, 9, 0)
    sla_tick.tick(desk)
    assert _mine(desk) == []


def test_every_report_writer_when_the_entry_names_none(desk, clock):
    clock.now = datetime(2026, 11, 30, 16, 0)
    report_remind.remind(desk)
    assert [n.params["period"] for n in _mine(desk, code="customer-monthly")] == ["2026-11"]


def test_a_tick_that_loses_the_claim_sends_nothing(desk, clock):
    """Two ticks at once: the one whose conditional update finds the period already moved on
    writes no notification."""
    _named(desk)
    clock.now = datetime(2026, 11, 30, 16, 0)
    assert report_remind._claim(desk, KPI, None, "2026-11") is True
    assert report_remind._claim(desk, KPI, None, "2026-11") is False  # inserted by the other tick
    assert report_remind._claim(desk, KPI, "2026-10", "2026-11") is False  # not what it read
    assert Setting.get_by_id(report_remind.PREFIX + KPI).value == "2026-11"
    clock.now = datetime(2026, 12, 31, 16, 0)
    assert report_remind._claim(desk, KPI, "2026-11", "2026-12") is True


def test_an_idle_reminder_costs_one_query(desk, clock, monkeypatch):
    """Every running TUI ticks every 15 s: once each entry's latest closed period is reminded (or
    its report generated), a tick's reminder reads the active entries and nothing else."""
    _named(desk)
    clock.now = datetime(2026, 11, 30, 16, 0)
    reports.generate(desk, "repw", "customer-monthly", "2026-11")  # one entry's report is begun
    assert report_remind.remind(desk) >= 1  # the others' writers are told
    report_remind.remind(desk)  # (what this handle found done is now known)
    statements = []
    real = desk.db.execute_sql
    monkeypatch.setattr(desk.db, "execute_sql", lambda sql, *a, **k: statements.append(sql) or real(sql, *a, **k))
    clock.advance(hours=1)
    assert report_remind.remind(desk) == 0
    assert len(statements) == 1 and "report_spec" in statements[0]
