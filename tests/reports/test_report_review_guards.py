"""The guards of a report's review through the real database that a removed or inverted line would
let pass (issue 19; tools/mutants/services_report_review.toml)."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from desk.domain.errors import NotAllowed
from desk.services import report_review, reports

KPI = "incident-kpi-monthly"


@pytest.fixture
def named_writer(desk, kpi_named, clock):
    clock.now = datetime(2026, 11, 3, 9, 0)
    return reports.generate(desk, "repw", KPI, "2026-10")


def test_only_the_named_writer_hands_the_draft_on(desk, named_writer):
    with pytest.raises(NotAllowed) as caught:
        report_review.submit_for_review(desk, "li", named_writer.id)  # first line may write reports, not this one
    assert caught.value.key == "report.error.not_named"
    assert reports.get(desk, named_writer.id).status == "draft"
    assert report_review.submit_for_review(desk, "repw", named_writer.id).status == "confirming"


def test_a_report_is_late_after_its_due_time_not_at_it(desk, named_writer, clock):
    due = reports.get(desk, named_writer.id).due_at
    clock.now = due
    assert "2026-10" not in {x.period for x in report_review.late(desk) if x.code == KPI}
    clock.now = due + timedelta(minutes=1)
    assert "2026-10" in {x.period for x in report_review.late(desk) if x.code == KPI}


def test_a_report_submitted_in_time_is_not_listed_as_late(desk, named_writer, clock):
    rid = named_writer.id
    report_review.submit_for_review(desk, "repw", rid)
    report_review.confirm(desk, "deptm", rid)
    report_review.approve(desk, "repr", rid)
    report_review.submit(desk, "repr", rid)  # 3 November, before its due time on the 4th
    clock.now = datetime(2026, 11, 20, 9, 0)
    assert "2026-10" not in {x.period for x in report_review.late(desk, include_submitted=True) if x.code == KPI}
