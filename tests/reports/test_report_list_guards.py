"""The guards of the report list and of report feedback through the real database that a removed
or inverted line would let pass (issue 19; tools/mutants/services_report_list.toml and
services_report_feedback.toml): refused with the message the user reads, nothing drafted."""

from __future__ import annotations

from datetime import datetime

import pytest

from desk.domain.errors import InvalidTransition, NotAllowed, NotFound, ValidationError
from desk.models import ReportFeedback, ReportSpec
from desk.services import agents, report_feedback, report_list, report_review, reports

KPI = "incident-kpi-monthly"
NEW = {"en": "Vendor report", "zh": "供应商报告", "audience": "internal", "basis": "uc", "period": "monthly",
       "sections": ["volume"], "writer": "repw", "reviewer": "repr"}


def refused(call, key: str, kind=(ValidationError, NotAllowed, InvalidTransition, NotFound)):
    with pytest.raises(kind) as caught:
        call()
    assert caught.value.key == key, caught.value.message("en")


@pytest.mark.parametrize("code, changes, key", [
    ("vendor", {**NEW, "en": " "}, "error.required"),
    ("vendor", {**NEW, "zh": "字" * 301}, "error.too_long"),
    ("vendor", {**NEW, "recipients": ["cio@example.com", " "]}, "error.required"),
    ("vendor", {**NEW, "channel": 3}, "report.error.bad_spec"),
    ("v" * 61, NEW, "error.too_long"),
    (" ", NEW, "error.required"),
])
def test_a_bad_new_entry_is_refused_and_nothing_is_drafted(desk, code, changes, key):
    refused(lambda: report_list.propose(desk, "repm", code, changes), key)
    assert ReportSpec.select().count() == 4  # the shipped ones


def test_an_entry_without_a_channel_is_drafted(desk):
    assert report_list.propose(desk, "repm", "vendor", {**NEW, "channel": ""}).pending["channel"] == ""


def test_retiring_an_entry_not_on_the_list_is_refused(desk):
    refused(lambda: report_list.propose(desk, "repm", "nope", {}, retire=True), "report.error.no_spec")
    assert ReportSpec.select().count() == 4


def test_only_the_report_manager_drafts_a_new_entry_and_the_drafter_never_confirms_it(desk):
    refused(lambda: report_list.propose(desk, "repw", "vendor", NEW), "error.not_allowed")
    assert ReportSpec.select().count() == 4
    report_list.propose(desk, "admin", "vendor", NEW)
    refused(lambda: report_list.confirm(desk, "admin", "vendor"), "report.error.own_change")
    report_list.propose(desk, "admin", KPI, {"due_days": 9})
    refused(lambda: report_list.confirm(desk, "admin", KPI), "report.error.own_change")
    assert report_list.get(desk, KPI).content["due_days"] == 3


def test_rejecting_with_nothing_drafted_is_refused_and_a_rejected_new_entry_is_retired(desk):
    before = report_list.get(desk, KPI)
    refused(lambda: report_list.reject(desk, "repr", KPI, reason="why?"), "report.error.nothing_pending")
    assert report_list.get(desk, KPI) == before
    report_list.propose(desk, "repm", "vendor", NEW)
    assert report_list.reject(desk, "repr", "vendor", reason="not needed").status == "retired"


# --- feedback ----------------------------------------------------------------------------------------

@pytest.fixture
def submitted(desk, clock):
    agents.save_agent(desk, "admin", agent_login="deptm", name="Dept", roles=["report_reviewer"])
    report_list.propose(desk, "repm", KPI, {"writer": "repw", "confirmer": "deptm", "reviewer": "repr"})
    report_list.confirm(desk, "repr", KPI)
    clock.now = datetime(2026, 11, 3, 9, 0)
    report = reports.generate(desk, "repw", KPI, "2026-10")
    report_review.submit_for_review(desk, "repw", report.id)
    report_review.confirm(desk, "deptm", report.id)
    report_review.approve(desk, "repr", report.id)
    report_review.submit(desk, "repr", report.id)
    return report


def test_feedback_needs_a_source_words_and_a_report_that_exists(desk, submitted):
    refused(lambda: report_feedback.record(desk, "repm", submitted.id, source=" ", text="late"), "error.required")
    refused(lambda: report_feedback.record(desk, "repm", submitted.id, source="CIO", text=" "), "error.required")
    refused(lambda: report_feedback.record(desk, "repm", submitted.id + 99, source="CIO", text="late"),
            "error.not_found")
    assert ReportFeedback.select().count() == 0
    fb = report_feedback.record(desk, "repm", submitted.id, source="CIO", text="late", action="  ")
    assert fb.recorded_by == "repm"
    refused(lambda: report_feedback.close(desk, "repm", fb.id), "report.error.feedback_no_action")
    refused(lambda: report_feedback.set_action(desk, "repm", fb.id, action=" "), "error.required")
    refused(lambda: report_feedback.set_action(desk, "repw", fb.id, action="a table"), "error.not_allowed")
    fb = report_feedback.set_action(desk, "repm", fb.id, action="a vendor table")
    refused(lambda: report_feedback.close(desk, "repw", fb.id), "error.not_allowed")
    assert report_feedback.get(desk, fb.id).status == "open"


def test_closed_feedback_changes_no_more_and_leaves_the_open_list(desk, submitted):
    closed = report_feedback.record(desk, "repm", submitted.id, source="CIO", text="late", action="earlier")
    closed = report_feedback.close(desk, "repm", closed.id)
    open_ = report_feedback.record(desk, "repm", submitted.id, source="Customer", text="more charts")
    refused(lambda: report_feedback.close(desk, "repm", closed.id), "report.error.feedback_closed")
    refused(lambda: report_feedback.set_action(desk, "repm", closed.id, action="later"),
            "report.error.feedback_closed")
    assert report_feedback.get(desk, closed.id) == closed
    assert [f.id for f in report_feedback.list_(desk, open_only=True)] == [open_.id]
    assert [f.id for f in report_feedback.list_(desk, report_id=submitted.id + 99)] == []
