"""The report service's own rules at their edges (issue 19): a report is late after its due time,
not at it; only the named writer generates and edits (anyone who may write reports when none is
named), nobody without the right; a retired entry makes no report; each report has the sections
its entry names, and a second entry of the same period gets a report of its own; the report list
filters and its order."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from desk.domain.errors import InvalidTransition, NotAllowed
from desk.services import report_list, report_review, reports

KPI = "incident-kpi-monthly"
CUSTOMER = "customer-monthly"


@pytest.fixture
def named(desk, kpi_named, clock):
    clock.now = datetime(2026, 11, 3, 9, 0)
    return desk


def test_a_report_is_late_after_its_due_time_and_one_submitted_at_it_is_not(named, clock):
    view = reports.generate(named, "repw", KPI, "2026-10")
    assert not view.late(view.due_at) and view.late(view.due_at + timedelta(seconds=1))
    clock.now = view.due_at
    rid = view.id
    report_review.submit_for_review(named, "repw", rid)
    report_review.confirm(named, "deptm", rid)
    report_review.approve(named, "repr", rid)
    sent = report_review.submit(named, "repr", rid)
    assert sent.submitted_at == sent.due_at
    assert not sent.late(sent.due_at + timedelta(days=30))  # submitted on time stays on time


def test_only_the_named_writer_writes_and_anyone_who_may_write_when_none_is_named(named, clock):
    with pytest.raises(NotAllowed):
        reports.generate(named, "li", KPI, "2026-10")  # li may write reports, but repw is named
    rid = reports.generate(named, "repw", KPI, "2026-10").id
    with pytest.raises(NotAllowed):
        reports.edit(named, "li", rid, commentary="Not mine to write.")
    assert reports.get(named, rid).commentary == ""
    # the customer report names no writer: any first-line engineer writes it, an approver may not
    assert reports.generate(named, "li", CUSTOMER, "2026-10").writer == "li"
    with pytest.raises(NotAllowed):
        reports.generate(named, "appr", CUSTOMER, "2026-09")
    assert reports.find(named, CUSTOMER, "2026-09") is None


def test_a_retired_entry_makes_no_report(named):
    report_list.propose(named, "repm", CUSTOMER, {}, retire=True)
    report_list.confirm(named, "repr", CUSTOMER)
    with pytest.raises(InvalidTransition):
        reports.generate(named, "li", CUSTOMER, "2026-10")
    assert reports.find(named, CUSTOMER, "2026-10") is None


def test_each_report_has_the_sections_its_entry_names_and_one_of_its_own_per_period(named):
    kpi = reports.generate(named, "repw", KPI, "2026-10")
    customer = reports.generate(named, "li", CUSTOMER, "2026-10")
    assert customer.id != kpi.id and (customer.code, kpi.code) == (CUSTOMER, KPI)
    assert set(kpi.figures["sections"]) == {"volume", "resolution", "escalation", "times", "reopen", "backlog",
                                            "workload", "comparison"}
    assert set(customer.figures["sections"]) == {"volume", "resolution", "times", "requests", "sla", "backlog",
                                                 "comparison"}


def test_the_report_list_newest_period_first_and_its_filters(named, clock):
    september = reports.generate(named, "repw", KPI, "2026-09").id
    october = reports.generate(named, "repw", KPI, "2026-10").id
    customer = reports.generate(named, "li", CUSTOMER, "2026-10").id
    report_review.submit_for_review(named, "repw", october)
    assert [v.id for v in reports.list_(named, code=KPI)] == [october, september]
    assert [v.id for v in reports.list_(named, statuses=("confirming",))] == [october]
    assert customer in [v.id for v in reports.list_(named)]


def test_the_commentary_changes_only_while_the_report_is_with_its_writer(named):
    rid = reports.generate(named, "repw", KPI, "2026-10").id
    reports.edit(named, "repw", rid, commentary="A quiet month.")
    handed_on = report_review.submit_for_review(named, "repw", rid)
    with pytest.raises(InvalidTransition):
        reports.edit(named, "repw", rid, commentary="A busy month after all.")
    assert reports.get(named, rid) == handed_on and handed_on.commentary == "A quiet month."
