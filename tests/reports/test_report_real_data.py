"""Report figures on real incident records (BPI Challenge 2014, Rabobank Group ICT; see bpic.py):
the SQL aggregates agree with the same definitions worked out here in plain Python, row by row,
for every month of the sample's busy half-year."""

import math
from datetime import datetime, timedelta

import pytest

from reports.bpic import DATA, load
from desk.services import report_list, reports

pytestmark = pytest.mark.skipif(not DATA.exists(), reason="the shared data set is not on this machine")
SHANGHAI = timedelta(hours=8)  # the desk's [sla] zone: no daylight saving


def _month(year: int, month: int) -> tuple[datetime, datetime]:
    nxt = datetime(year + month // 12, month % 12 + 1, 1)
    return datetime(year, month, 1) - SHANGHAI, nxt - SHANGHAI


def _expected(data, start, end) -> dict:
    opened = [r for r in data if start <= r["opened"] < end]
    resolved = [r for r in opened if r["resolved"] is not None and r["resolved"] < end]
    minutes = sorted((r["resolved"] - r["opened"]).total_seconds() / 60 for r in resolved)
    ever = [r for r in opened if r["resolved"] is not None or r["reopened"]]
    by_priority: dict[str, int] = {}
    for r in opened:
        by_priority[str(r["priority"])] = by_priority.get(str(r["priority"]), 0) + 1
    return {
        "opened": len(opened),
        "by_priority": by_priority,
        "resolved": len(resolved),
        "resolution_rate": round(len(resolved) / len(opened), 4) if opened else None,
        "mean_resolve": sum(minutes) / len(minutes) if minutes else None,
        "p90_resolve": minutes[math.ceil(0.9 * len(minutes)) - 1] if minutes else None,
        "reopen_rate": round(sum(r["reopened"] for r in ever) / len(ever), 4) if ever else None,
        "backlog": sum(1 for r in data if r["opened"] < end and (r["resolved"] is None or r["resolved"] >= end)),
    }


def test_monthly_figures_on_the_bpic_2014_sample_agree_with_a_row_by_row_count(desk, clock):
    data = load(desk)
    clock.now = datetime(2014, 6, 1)
    report_list.propose(desk, "repm", "incident-kpi-monthly", {"writer": "repw"})
    report_list.confirm(desk, "repr", "incident-kpi-monthly")
    checked = 0
    for year, month in ((2013, 10), (2013, 11), (2013, 12), (2014, 1), (2014, 2), (2014, 3)):
        start, end = _month(year, month)
        want = _expected(data, start, end)
        s = reports.generate(desk, "repw", "incident-kpi-monthly", f"{year}-{month:02d}").figures["sections"]
        got = s["resolution"]
        assert s["volume"]["opened"] == want["opened"] > 500
        assert dict(s["volume"]["by"]["priority"]) == want["by_priority"]
        assert (got["resolved"], got["resolution_rate"]) == (want["resolved"], want["resolution_rate"])
        assert s["times"]["mean_resolve_minutes"] == pytest.approx(want["mean_resolve"], abs=0.06)
        assert s["times"]["p90_resolve_minutes"] == pytest.approx(want["p90_resolve"], abs=0.06)
        assert s["reopen"]["reopen_rate"] == want["reopen_rate"]
        assert s["backlog"]["backlog"] == want["backlog"]
        previous = _expected(data, *_month(year - (month == 1), 12 if month == 1 else month - 1))
        compared = {c["figure"]: c for c in s["comparison"]["figures"]}
        assert compared["opened"]["previous"] == previous["opened"]
        assert compared["backlog"]["previous"] == previous["backlog"]
        checked += 1
    assert checked == 6
