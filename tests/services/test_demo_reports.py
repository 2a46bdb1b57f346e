"""`desk demo` leaves reports in the review workflow (stage `reports`): last month's incident KPI
report waiting for its sign-off, last week's request report a draft, both written by a report
writer through the services (their history rows verify)."""

from __future__ import annotations

from desk.domain import report_flow as flow
from desk.services import demo, history, reports


def test_the_demo_leaves_a_report_to_review_and_a_draft(desk):
    demo.generate(desk, incidents=40, seed=7, days=40)
    now = reports.local(desk, desk.now())
    month = flow.period_containing("monthly", now).previous().key
    week = flow.period_containing("weekly", now).previous().key
    kpi = reports.find(desk, "incident-kpi-monthly", month)
    weekly = reports.find(desk, "requests-weekly", week)
    assert kpi is not None and kpi.status == "reviewing"  # the shipped entry names no confirmer
    assert weekly is not None and weekly.status == "draft"
    assert kpi.writer == weekly.writer and kpi.writer.count(".") == 1  # one of the demo's report writers
    assert kpi.figures["sections"]["volume"]["opened"] >= 0
    assert [v.id for v in reports.list_(desk)] and len(reports.list_(desk)) == 2
    assert list(history.verify_all()) == []
    demo.generate(desk, incidents=5, seed=8, days=5, force=True)  # again: the reports are left as they were
    assert len(reports.list_(desk)) == 2 and reports.get(desk, kpi.id).version == kpi.version
