"""The wallboard counts the late reports (issue 15: "late reports … once those exist"): the reports
`desk report late` lists as not submitted by their due time; a desk with no report on its list
says so rather than a count of none."""

from __future__ import annotations

from datetime import datetime

from desk.models import ReportSpec
from desk.services import report_review, wallboard


def test_the_board_counts_the_reports_not_submitted_by_their_due_time(desk, clock):
    assert wallboard.snapshot(desk).late_reports == 0  # a new desk: no period of its list has ended
    clock.now = datetime(2027, 1, 20, 9, 0)  # October's to December's monthly reports, weekly ones, Q4
    late = report_review.late(desk, include_submitted=False)
    assert len(late) > 3
    desk.cache.pop("wallboard.late", None)  # (read again: it is read once a minute)
    assert wallboard.snapshot(desk).late_reports == len(late)


def test_a_desk_without_a_report_list_says_so(desk):
    ReportSpec.update(active=False).execute()
    assert wallboard.snapshot(desk).late_reports is None
