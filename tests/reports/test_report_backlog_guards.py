"""The backlog's age buckets at their edges (issue 19, report_figures._backlog): an incident open at
the period's end is in exactly one bucket by its age at the end, [low, high) days (exactly one day
old is "1-3 days", a minute less is "under a day"); each priority's oldest is its greatest age; an
incident opened at the end instant is the next period's, open or resolved since. The same on the rows
and through the per-day summary (the backlog is read from the rows on both paths)."""

from __future__ import annotations

from desk.services import incidents

from .test_report_figures import at
from .test_report_figures_guards import OCT, _rows_and_summary

OPENED = [  # October ends at 2026-10-31 16:00 UTC (Shanghai)
    ("2026-10-30 16:01", 3, 1439),   # a minute under a day
    ("2026-10-30 16:00", 3, 1440),   # exactly a day
    ("2026-10-28 16:00", 2, 3 * 1440),
    ("2026-10-24 16:00", 2, 7 * 1440),
    ("2026-10-01 16:00", 1, 30 * 1440),
]


def test_each_open_incident_is_in_one_bucket_by_its_age_at_the_end(desk, clock):
    priority = {}
    for when, level, _age in OPENED:
        at(clock, when)
        inc = incidents.create(desk, "li", title=f"open since {when}", impact=level, urgency=level)
        priority[when] = str(inc.priority)
    at(clock, "2026-10-31 16:00")  # at the end instant: November's, open or resolved since
    incidents.create(desk, "li", title="opened at the end", impact=3, urgency=3)
    resolved = incidents.create(desk, "li", title="opened at the end, resolved", impact=3, urgency=3).id
    at(clock, "2026-10-31 17:00")
    incidents.resolve(desk, "li", resolved, code="fixed", note="done")
    at(clock, "2026-11-10 09:00")
    low, mid, high = priority["2026-10-30 16:00"], priority["2026-10-28 16:00"], priority["2026-10-01 16:00"]
    assert len({low, mid, high}) == 3
    for figures in _rows_and_summary(desk, OCT):
        assert figures["backlog"] == 5
        assert figures["backlog_by_age"] == {"lt_1d": 1, "1_3d": 1, "3_7d": 1, "7_30d": 1, "ge_30d": 1}
        rows = {r["priority"]: r for r in figures["backlog_by_priority"]}
        assert rows[low] == {"priority": low, "count": 2, "lt_1d": 1, "1_3d": 1, "3_7d": 0, "7_30d": 0,
                             "ge_30d": 0, "oldest_minutes": 1440}
        assert rows[mid] == {"priority": mid, "count": 2, "lt_1d": 0, "1_3d": 0, "3_7d": 1, "7_30d": 1,
                             "ge_30d": 0, "oldest_minutes": 7 * 1440}
        assert rows[high] == {"priority": high, "count": 1, "lt_1d": 0, "1_3d": 0, "3_7d": 0, "7_30d": 0,
                              "ge_30d": 1, "oldest_minutes": 30 * 1440}
