"""The per-day summary a report of a closed period reads (schema 15, desk.services.report_days,
docs/kpi.md): its figures are the rows' figures, on a demo desk and after every kind of change to a
summarised day, through the services or written directly (as `desk import`, `desk migrate` and the
demo's bulk loader write: the triggers mark the day); what the report shows is read from the summary;
a new time zone or new service-desk groups recompute every day; lost triggers are put back."""

import sqlite3
from datetime import datetime

import pytest
from conftest import FakeClock, fast_config, make_desk

from desk.db import write_transaction
from desk.domain import report_flow as flow
from desk.models import Agent, History, Incident
from desk.services import demo, history, incidents, report_days, report_days_schema, report_figures, reports, schema
from desk.services.context import open_desk

OCT = flow.parse_period("monthly", "2026-10")
PERIODS = [flow.parse_period("monthly", m) for m in ("2026-08", "2026-09", "2026-10")] + [
    flow.parse_period("quarterly", "2026-Q3")] + [flow.parse_period("weekly", f"2026-W{w}") for w in range(33, 45)]


def _both(desk, period: flow.Period) -> tuple[dict, dict]:
    """The period's incident figures read from the summary, and counted from the rows."""
    now = desk.now()
    start, end = reports.bounds(desk, period)
    span = reports.summary_span(desk, period, now)
    assert span is not None, period
    return (report_figures.headline(desk, start, end, now, days=span),
            report_figures.headline(desk, start, end, now))


def _same(desk, period=OCT) -> dict:
    summed, counted = _both(desk, period)
    assert summed == counted, period.key
    return summed


def _dirty(desk) -> list[str]:
    """The change markers: dates, and on SQLite the ids the history trigger marks."""
    marked = [r[0] for r in desk.db.execute_sql(f"SELECT day FROM {report_days_schema.DIRTY}").fetchall()]
    if _sqlite(desk):
        marked += [f"#{r[0]}" for r in desk.db.execute_sql(
            f"SELECT id FROM {report_days_schema.DIRTY_IDS}").fetchall()]
    return marked


def _demo(desk) -> None:
    demo.generate(desk, incidents=200, seed=7, days=75, workers=0)  # 2026-08-19 … 2026-11-02 (the clock)


@pytest.fixture(scope="module")
def demo_file(tmp_path_factory):
    """One SQLite demo desk for the module (made once: ~2 s of CPU), copied for each test."""
    path = str(tmp_path_factory.mktemp("report_days") / "demo.db")
    made = make_desk(path, FakeClock())
    _demo(made)
    made.close()
    return path


@pytest.fixture
def demo_desk(db_url, clock, demo_file):
    if not _is_file(db_url):  # a demo on PostgreSQL takes ~30 s: one test walks through every check there
        pytest.skip("on PostgreSQL: test_every_check_on_one_postgresql_demo_desk")
    source, target = sqlite3.connect(demo_file), sqlite3.connect(db_url)
    source.backup(target)
    source.close(), target.close()
    made = open_desk(db_url, fast_config(), clock=clock, user="admin", lang="en")
    yield made
    made.close()


def _is_file(url: str) -> bool:
    return not url.startswith(("postgres://", "postgresql://"))


def test_every_closed_period_of_a_demo_desk_reads_the_rows_figures_from_the_summary(demo_desk):
    opened = [_same(demo_desk, p)["opened"] for p in PERIODS]
    assert opened[1] > 50 and opened[2] > 50 and opened[3] == opened[0] + opened[1]  # Q3 = Aug + Sep
    assert _dirty(demo_desk) == []  # every marked day summarised
    summarised = demo_desk.db.execute_sql(f"SELECT COUNT(*) FROM {report_days_schema.SUMMARY}").fetchone()[0]
    assert summarised > 0


def test_the_report_reads_the_summary_not_the_rows(demo_desk):
    _same(demo_desk)
    with write_transaction(demo_desk.db):  # not an incident change: no marker, so it stays
        demo_desk.db.execute_sql(f"UPDATE {report_days_schema.SUMMARY} SET opened = opened + 1000")
        demo_desk.db.execute_sql(f"UPDATE {report_days_schema.MIX} SET opened = opened + 1")
    summed, counted = _both(demo_desk, OCT)
    assert summed["opened"] >= counted["opened"] + 1000 and summed["by"] != counted["by"]
    view = reports.compute(demo_desk, {"sections": ["volume"]}, OCT)
    assert view["sections"]["volume"]["opened"] == summed["opened"]


def test_a_period_that_has_not_ended_is_counted_from_the_rows(desk):
    november = flow.parse_period("monthly", "2026-11")
    assert reports.summary_span(desk, november, desk.now()) is None
    assert reports.summary_span(desk, OCT, desk.now()) is not None


def _october(status: tuple = ("resolved",)) -> Incident:
    """An October incident resolved in October (and resolved still)."""
    start, end = datetime(2026, 9, 30, 16), datetime(2026, 10, 31, 16)  # October in Shanghai
    return (Incident.select().where(Incident.opened_at.between(start, end) & Incident.status.in_(status)
                                    & Incident.resolved_at.is_null(False) & (Incident.resolved_at < end))
            .order_by(Incident.id).first())


def _columns(desk) -> list[str]:
    return [c.name for c in desk.db.get_columns("incident") if c.name not in ("id", "origin")]


def _raw(desk, sql: str, params=()) -> None:
    """Written as a bulk loader or a migration writes: straight to the table, no service."""
    p = "?" if _sqlite(desk) else "%s"
    with write_transaction(desk.db):
        desk.db.execute_sql(sql.replace("?", p), params)


def _reopen(desk, inc):
    incidents.reopen(desk, "lead", inc.id, reason="came back")


def _escalate_history_only(desk, inc):
    """A first-call resolution turned escalated by a history row alone (a migrated `escalate`)."""
    admin = Agent.get(Agent.login == "admin").id
    with write_transaction(desk.db):
        history.append("incident", inc.id, admin, "escalate", {}, "migrated", desk.now(), desk=desk)


def _raw_update(desk, inc):
    _raw(desk, "UPDATE incident SET priority = 1, category = 'moved', resolved_at = NULL, status = 'in_progress' "
               "WHERE id = ?", (inc.id,))


def _raw_insert(desk, inc):
    cols = ", ".join(f'"{c}"' for c in _columns(desk))
    _raw(desk, f"INSERT INTO incident ({cols}) SELECT {cols} FROM incident WHERE id = ?", (inc.id,))


def _first_call(desk) -> Incident:
    """An October incident the figures count as resolved at the first call."""
    tier1 = [g for (g,) in desk.db.execute_sql('SELECT id FROM "group" WHERE tier = 1').fetchall()]
    escalated = {h.entity_id for h in History.select(History.entity_id).where(
        (History.entity == "incident") & (History.action == "escalate"))}
    for inc in (Incident.select().where(Incident.opened_at.between(datetime(2026, 10, 1), datetime(2026, 10, 30))
                                        & Incident.status.in_(("resolved", "closed")) & (Incident.reopen_count == 0)
                                        & (Incident.escalation_level == 0) & Incident.resolved_group.in_(tier1))
                .order_by(Incident.id)):
        if inc.id not in escalated:
            return inc
    raise AssertionError("the demo has no first-call resolution in October")


CHANGES = [(_reopen, "resolved"), (_escalate_history_only, "first_call_resolved"), (_raw_update, "resolved"),
           (_raw_insert, "opened")]


def _check_change(desk, change, figure) -> None:
    before = _same(desk)
    inc = _first_call(desk) if change is _escalate_history_only else _october()
    change(desk, inc)
    assert _dirty(desk)  # the day is marked, by whoever wrote
    after = _same(desk)
    assert after[figure] != before[figure]
    assert _dirty(desk) == []


@pytest.mark.parametrize("change, figure", CHANGES)
def test_a_change_to_a_summarised_day_is_in_the_next_report(demo_desk, change, figure):
    _check_change(demo_desk, change, figure)


def test_new_service_desk_groups_or_a_new_time_zone_recompute_every_day(demo_desk):
    before = _same(demo_desk)
    _raw(demo_desk, "UPDATE \"group\" SET tier = 2 WHERE tier = 1")  # no service desk: no first-call resolution
    assert before["first_call_resolved"] > 0 and _same(demo_desk)["first_call_resolved"] == 0
    sla = demo_desk.config.data["sla"]
    demo_desk.config.data["sla"] = {**sla, "timezone": "Europe/Berlin"}  # a zone with summer time
    demo_desk.config.__dict__.pop("_sla", None)
    for period in PERIODS:
        _same(demo_desk, period)
    start, _end = reports.bounds(demo_desk, OCT)
    assert start == datetime(2026, 9, 30, 22)  # 1 October, Berlin summer time


def test_a_lost_trigger_is_put_back_and_every_day_computed_again(demo_desk):
    _check_lost_trigger(demo_desk)


def _check_lost_trigger(demo_desk) -> None:
    before = _same(demo_desk)
    _raw(demo_desk, "DROP TRIGGER report_day_update" + ("" if _sqlite(demo_desk) else " ON incident"))
    _raw_update(demo_desk, _october())  # unmarked: the summary does not know
    assert _dirty(demo_desk) == []
    summed, counted = _both(demo_desk, OCT)
    # what a lost trigger would do: the summarised figures stale (the backlog is read from the rows)
    assert summed["resolved"] == before["resolved"] and counted["resolved"] == before["resolved"] - 1
    with write_transaction(demo_desk.db):
        assert report_days_schema.ensure(demo_desk.db)
    assert set(report_days_schema.TRIGGER_NAMES) <= set(report_days_schema.triggers(demo_desk.db))
    assert _same(demo_desk) == counted
    schema.upgrade(demo_desk.db)  # every upgrade ensures them
    assert not report_days_schema.ensure(demo_desk.db)


def _sqlite(desk) -> bool:
    return desk.db.__class__.__name__.startswith("Sqlite")


def test_every_check_on_one_postgresql_demo_desk(db_url, clock):
    """PostgreSQL's own SQL (quarter hours, milliseconds) and triggers (statement triggers over
    transition tables), on one demo desk: every period, every change, a lost trigger."""
    if _is_file(db_url):
        pytest.skip("SQLite: a test each, on a copy of one demo desk")
    made = make_desk(db_url, clock)
    _demo(made)
    try:
        for period in PERIODS:
            _same(made, period)
        for change, figure in CHANGES:
            _check_change(made, change, figure)
        _check_lost_trigger(made)
    finally:
        made.close()


def test_instants_at_the_end_of_the_period_count_as_the_rows_count_them(desk, clock):
    """October ends at 2026-10-31 16:00 UTC (Shanghai): resolved a millisecond before it is October's."""
    clock.now = datetime(2026, 10, 31, 15, 0)
    early = incidents.create(desk, "li", title="early", impact=3, urgency=3).id
    late = incidents.create(desk, "li", title="late", impact=3, urgency=3).id
    clock.now = datetime(2026, 10, 31, 15, 59, 59, 999000)
    incidents.resolve(desk, "li", early, code="fixed", note="just in time")
    clock.now = datetime(2026, 10, 31, 16, 0)
    incidents.resolve(desk, "li", late, code="fixed", note="just late")
    clock.now = datetime(2026, 11, 3, 9, 0)
    figures = _same(desk)
    assert (figures["opened"], figures["resolved"], figures["first_call_resolved"]) == (2, 1, 1)
    assert figures["mean_resolve_minutes"] == 60.0
    assert reports.summary_span(desk, OCT, desk.now()) == report_days.Span(
        desk.config.sla.tz, datetime(2026, 10, 1).date(), datetime(2026, 11, 1).date())
