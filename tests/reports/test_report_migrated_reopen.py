"""Reopenings of migrated tickets reach the reports (issue 16): a tool that keeps only the time of a
reopening (BPIC 2014's reopen_time) maps it to `reopened_at`; a ticket with one counts as reopened
once, so the monthly report's reopen rate counts it (it reported 0 on the migrated sample)."""

from __future__ import annotations

from datetime import datetime

from desk.domain import report_flow as flow
from desk.models import Incident
from desk.services import report_figures, reports
from transfer.migrate_files import migrate_text, opened

EXPORT = '''number,state,opened,reopened,resolved,closed,reopens
T-1,Done,2026-10-05 01:00,2026-10-06 01:00,2026-10-07 01:00,2026-10-08 01:00,
T-2,Done,2026-10-05 02:00,,2026-10-05 03:00,2026-10-05 04:00,
T-3,Done,2026-10-05 03:00,,2026-10-05 04:00,2026-10-05 05:00,
T-4,Done,2026-10-05 04:00,2026-10-06 04:00,2026-10-06 05:00,2026-10-06 06:00,3
'''

MAPPING = '''[migrate.times]
number = "number"
title = "ticket {number}"

[migrate.times.fields]
status = "state"
opened_at = "opened"
resolved_at = "resolved"
closed_at = "closed"
reopened_at = "reopened"
reopen_count = "reopens"

[migrate.times.values.status]
Done = "closed"
'''


def test_a_migrated_reopening_time_counts_as_one_reopening_in_the_reopen_rate(db_url, clock, tmp_path):
    migrated = migrate_text(db_url, clock, tmp_path, "times", EXPORT, MAPPING)
    assert not migrated.result.refused
    with opened(db_url, clock, migrated.config) as desk:
        counts = {i.external_ref: i.reopen_count for i in Incident.select()}
        # a time and no count: once; neither: never; a count given: the count
        assert counts == {"T-1": 1, "T-2": 0, "T-3": 0, "T-4": 3}
        start, end = reports.bounds(desk, flow.parse_period("monthly", "2026-10"))
        figures = report_figures.headline(desk, start, end, datetime(2026, 11, 5))
        assert figures["reopen_rate"] == 0.5  # T-1 and T-4 of four resolved
