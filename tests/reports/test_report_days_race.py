"""PostgreSQL: a change that commits while the per-day summary's refresh recomputes its day is in
the next report (issue 19; report_days._lock, tools/mutants/services_report_days.toml). The
refresh reads a marked day's incidents, then deletes the day's markers; a trigger marks a changed
incident's day only when it is not marked already (report_days_schema). Without the refresh's
EXCLUSIVE lock, a writer that commits between that read and that delete leaves no marker: the
summary keeps the old figure for good. With it the writer's trigger waits, and marks the day once
the refresh's turn has committed. The writer is injected at that moment (tests/pg_race.py), not timed.

The refresh then looks for markers again (its next turn). Whether the released writer's marker is
committed by then was left to the scheduler, and the test read the markers after the refresh: under
load the writer won now and then, the next turn consumed its marker, and "no day marked" failed
although the report was right. So the test awaits the writer's commit after the first turn: the next
turn must find its marker and recompute the day, every time."""

from __future__ import annotations

import pytest
from pg_race import Racer

from desk.services import report_days, report_figures, reports

from .test_report_days import OCT, _dirty, _raw, _same, _sqlite
from .test_report_days_upkeep_guards import B, _id
from .test_report_figures import october  # noqa: F401  (the fixture)


def test_a_change_committed_while_the_refresh_recomputes_its_day_is_in_the_next_report(october, monkeypatch):
    desk = october
    if _sqlite(desk):
        pytest.skip("SQLite: the refresh is one IMMEDIATE transaction, every other writer waits for it")
    b = _id(B)
    before = _same(desk)
    _raw(desk, "UPDATE incident SET category = 'moved' WHERE id = ?", (b,))  # B's day is marked
    marked = _dirty(desk)
    racer = Racer(desk.db, lambda: _raw(desk, "UPDATE incident SET priority = 1 WHERE id = ?", (b,)))
    real_rows, real_turn, raced, turns = report_days._day_rows, report_days._recompute, [], []

    def then_another_writer(sql, tz, day, groups):
        rows = real_rows(sql, tz, day, groups)  # B's day read, its markers not yet deleted
        if not raced:
            raced.append(day)
            racer.start()
        return rows

    def turn(sql, tz, dates, groups):
        turns.append(list(dates))
        real_turn(sql, tz, dates, groups)  # committed: a writer waiting for the lock goes on
        if len(turns) == 1:
            racer.join()  # ... and has committed (its marker, if it wrote one) before the next turn looks

    monkeypatch.setattr(report_days, "_day_rows", then_another_writer)
    monkeypatch.setattr(report_days, "_recompute", turn)
    span = reports.summary_span(desk, OCT, desk.now())
    report_days.refresh(report_figures._Sql(desk.db), span.tz)
    assert raced and racer.blocked  # (the writer came at the moment the lock matters, and waited for it)
    assert turns == [marked, marked], "the change made during the refresh marked no day"
    monkeypatch.setattr(report_days, "_day_rows", real_rows)
    monkeypatch.setattr(report_days, "_recompute", real_turn)
    assert not _dirty(desk)
    after = _same(desk)  # the summary says what the rows say: B is priority 1 now
    assert after["by"] != before["by"]
