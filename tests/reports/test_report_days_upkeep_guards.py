"""Keeping the per-day summary true (issue 19, report_days / report_days_schema), on the small
hand-worked October of test_report_figures rather than a demo desk, so that a broken rule fails in
seconds on both backends: every column a figure reads marks its day when written directly (as
`desk import`, `desk migrate` or the sqlite3 shell write), the day an incident leaves as well as the
one it moves to, a deletion, an escalation written to history alone, a UTC date's second local day,
every batch of marked days, a new basis, and triggers put back after a loss. Each change must move a
figure, and the summary must then say what the rows say."""

from __future__ import annotations

from datetime import datetime

import pytest

from desk.db import write_transaction
from desk.models import Agent, Incident
from desk.services import history, report_days, report_days_schema

from .test_report_days import OCT, _both, _dirty, _raw, _same, _sqlite
from .test_report_figures import october  # noqa: F401  (the fixture)


def _id(title_at: str) -> int:
    return Incident.get(Incident.title == f"incident at {title_at}").id


A = "2026-10-05 01:00"  # escalated, resolved by second line
B = "2026-10-06 02:00"  # resolved at the first call by the service desk, in time
C = "2026-10-07 03:00"  # resolved, reopened, resolved again
D = "2026-09-30 17:00"  # UTC 30 September, local (Shanghai) 1 October: open, priority 1
G = "2026-10-31 17:00"  # November's first local day: no figure of October


def _changed(desk, before: dict, figure: str) -> dict:
    """The summary after a direct change: the day was marked, the figure moved, and the summary
    says what the rows say."""
    assert _dirty(desk), figure
    after = _same(desk)
    assert after[figure] != before[figure], figure
    assert _dirty(desk) == []
    return after


def _network(desk) -> int:
    return desk.db.execute_sql("SELECT id FROM \"group\" WHERE code = 'network'").fetchone()[0]


def test_a_direct_write_of_each_column_a_figure_reads_is_in_the_next_report(october):
    desk = october
    b, d = _id(B), _id(D)
    figures = _same(desk)
    changes = [
        ("reopen_count", "UPDATE incident SET reopen_count = 1 WHERE id = ?", (_id(A),), "reopen_rate"),
        ("resolved_group_id", "UPDATE incident SET resolved_group_id = NULL WHERE id = ?", (_id(C),),
         "first_call_resolution_rate"),  # over the resolved whose resolving group is known
        ("escalation_level", "UPDATE incident SET escalation_level = 1 WHERE id = ?", (b,), "first_call_resolved"),
        ("first_response_at", "UPDATE incident SET first_response_at = ? WHERE id = ?",
         (datetime(2026, 10, 6, 2, 4), b), "mean_response_minutes"),
        ("resolved_at", "UPDATE incident SET resolved_at = ? WHERE id = ?", (datetime(2026, 10, 6, 3, 5), b),
         "mean_resolve_minutes"),
        ("due_at", "UPDATE incident SET due_at = ? WHERE id = ?", (datetime(2026, 10, 6, 2, 1), b),
         "not_resolved_in_time"),
        ("status", "UPDATE incident SET status = 'in_progress' WHERE id = ?", (b,), "resolved"),
        # the UTC date 30 September overlaps local 30 September and 1 October: D is on the second
        ("priority", "UPDATE incident SET priority = 4 WHERE id = ?", (d,), "by"),
        ("category", "UPDATE incident SET category = 'moved' WHERE id = ?", (d,), "by"),
        ("source", "UPDATE incident SET source = 'email' WHERE id = ?", (d,), "by"),
        ("group_id", "UPDATE incident SET group_id = ? WHERE id = ?", (_network(desk), d), "by"),
        ("opened_at", "UPDATE incident SET opened_at = ? WHERE id = ?", (datetime(2026, 11, 5), d), "opened"),
    ]
    assert {c[0] for c in changes} == set(report_days_schema.COLUMNS)
    for _column, sql, params, figure in changes:
        _raw(desk, sql, params)
        figures = _changed(desk, figures, figure)
    assert figures["opened"] == 5


def test_an_incident_moved_to_another_day_leaves_the_day_it_was_on(october):
    desk = october
    before = _same(desk)
    _raw(desk, "UPDATE incident SET opened_at = ? WHERE id = ?", (datetime(2026, 10, 20, 2), _id(B)))
    after = _same(desk)
    assert after["opened"] == before["opened"] == 6  # counted once, on its new day


def test_a_deleted_incident_leaves_the_summary(october):
    desk = october
    before = _same(desk)
    _raw(desk, "DELETE FROM incident WHERE id = ?", (_id(B),))
    assert _changed(desk, before, "opened")["opened"] == 5


def test_an_escalation_written_to_history_alone_ends_a_first_call_resolution(october):
    desk = october
    before = _same(desk)
    admin = Agent.get(Agent.login == "admin").id
    with write_transaction(desk.db):
        history.append("incident", _id(B), admin, "escalate", {}, "migrated", desk.now(), desk=desk)
    assert _changed(desk, before, "first_call_resolved")["first_call_resolved"] == before["first_call_resolved"] - 1


def test_a_note_in_history_marks_nothing(october):
    desk = october
    _same(desk)
    admin = Agent.get(Agent.login == "admin").id
    with write_transaction(desk.db):
        history.append("incident", _id(B), admin, "note", {}, "a note", desk.now(), desk=desk)
    assert _dirty(desk) == []


def test_every_batch_of_marked_days_is_recomputed(october, monkeypatch):
    desk = october
    before = _same(desk)
    monkeypatch.setattr(report_days, "BATCH", 2)  # October's incidents are on 7 UTC dates
    _raw(desk, "UPDATE incident SET category = 'moved'")
    after = _changed(desk, before, "by")
    assert after["by"]["category"] == [["moved", 6]]


def test_new_service_desk_groups_or_a_new_time_zone_recompute_every_day(october):
    desk = october
    before = _same(desk)
    _raw(desk, "UPDATE \"group\" SET tier = 2 WHERE tier = 1")  # no service desk: no first-call resolution
    assert before["first_call_resolved"] == 1 and _same(desk)["first_call_resolved"] == 0
    _raw(desk, "UPDATE \"group\" SET tier = 1 WHERE code = 'desk'")
    assert _same(desk) == before
    sla = desk.config.data["sla"]
    desk.config.data["sla"] = {**sla, "timezone": "UTC"}  # October from 1 October 00:00 UTC: E in, G out
    desk.config.__dict__.pop("_sla", None)
    _same(desk)  # October from 1 October 00:00 UTC: D out, G in
    opened = desk.db.execute_sql(f"SELECT SUM(opened) FROM {report_days_schema.SUMMARY}").fetchone()[0]
    assert opened == Incident.select().count() == 8  # each incident on one day: no Shanghai day's row kept


def test_a_lost_trigger_is_put_back_and_its_unmarked_change_counted(october):
    desk = october
    before = _same(desk)
    drop = "DROP TRIGGER report_day_update" + ("" if _sqlite(desk) else " ON incident")
    _raw(desk, drop)
    assert "report_day_update" not in report_days_schema.triggers(desk.db)
    _raw(desk, "UPDATE incident SET category = 'moved' WHERE id = ?", (_id(B),))
    summed, counted = _both(desk, OCT)
    assert summed["by"] == before["by"] != counted["by"]  # what a lost trigger does
    with write_transaction(desk.db):
        assert report_days_schema.ensure(desk.db)
    assert report_days_schema.triggers(desk.db) == sorted(report_days_schema.TRIGGER_NAMES)
    assert _same(desk) == counted
    with write_transaction(desk.db):
        assert not report_days_schema.ensure(desk.db)  # all there: nothing forgotten
    _raw(desk, "UPDATE incident SET category = 'other' WHERE id = ?", (_id(B),))
    assert _changed(desk, counted, "by")


def test_a_lost_trigger_is_put_back_while_another_desk_in_the_database_has_its_own(october):
    """PostgreSQL: desks share a database, each in its own schema (`?schema=`). Another desk's
    triggers, of the same names, are not this desk's: a trigger this desk lost is still put back
    (`triggers()` reads the desk's own schema)."""
    import psycopg2
    from conftest import PG_URL

    desk = october
    if _sqlite(desk):
        pytest.skip("SQLite: one desk a file, no other desk's triggers to see")
    here = desk.db.execute_sql("SELECT current_schema()").fetchone()[0]
    other = f"{here}_other"
    conn = psycopg2.connect(PG_URL)
    conn.autocommit = True
    try:
        cur = conn.cursor()  # another desk's incident table and its trigger (the same names)
        cur.execute(f"CREATE SCHEMA {other}")
        cur.execute(f"CREATE TABLE {other}.incident (LIKE {here}.incident)")
        cur.execute(f"CREATE FUNCTION {other}.mark() RETURNS trigger AS $$ BEGIN RETURN NULL; END $$ "
                    "LANGUAGE plpgsql")
        cur.execute(f"CREATE TRIGGER report_day_update AFTER UPDATE ON {other}.incident "
                    f"FOR EACH STATEMENT EXECUTE FUNCTION {other}.mark()")
        before = _same(desk)
        _raw(desk, "DROP TRIGGER report_day_update ON incident")
        assert "report_day_update" not in report_days_schema.triggers(desk.db)
        with write_transaction(desk.db):
            assert report_days_schema.ensure(desk.db)  # put back, and the basis forgotten
        _raw(desk, "UPDATE incident SET category = 'moved' WHERE id = ?", (_id(B),))
        assert _changed(desk, before, "by")  # marked by the trigger put back
    finally:
        conn.cursor().execute(f"DROP SCHEMA IF EXISTS {other} CASCADE")
        conn.close()
