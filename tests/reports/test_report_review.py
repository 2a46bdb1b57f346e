"""A report's review (seed 000 steps 4–7, §6): two sign-off steps by the people the report list
names, return with comments, submit with channel and recipients, archive; archived reports never
change; late reports and chasing their writers; feedback tracked to closure."""

from datetime import datetime

import pytest

from desk.domain.errors import InvalidTransition, NotAllowed, StaleVersion, ValidationError
from desk.models import Refusal
from desk.services import report_feedback, report_review, reports

KPI = "incident-kpi-monthly"


@pytest.fixture
def named(desk, kpi_named, clock):
    """The KPI report names its writer, a confirmer (a department manager) and its reviewer."""
    clock.now = datetime(2026, 11, 3, 9, 0)
    return reports.generate(desk, "repw", KPI, "2026-10")


def test_the_whole_way_from_draft_to_archive(desk, named):
    rid = named.id
    assert report_review.submit_for_review(desk, "repw", rid).status == "confirming"
    with pytest.raises(NotAllowed):
        report_review.confirm(desk, "repr", rid)  # the reviewer is not the confirmer
    assert report_review.confirm(desk, "deptm", rid).status == "reviewing"
    with pytest.raises(NotAllowed):
        report_review.approve(desk, "deptm", rid)  # the confirmer is not the reviewer
    returned = report_review.return_(desk, "repr", rid, comments="Explain the backlog growth.")
    assert (returned.status, returned.return_note) == ("returned", "Explain the backlog growth.")
    reports.edit(desk, "repw", rid, commentary="The backlog grew because of the October holidays.")
    reports.generate(desk, "repw", KPI, "2026-10")
    report_review.submit_for_review(desk, "repw", rid)
    report_review.confirm(desk, "deptm", rid)
    assert report_review.approve(desk, "repr", rid).status == "approved"
    with pytest.raises(NotAllowed):
        report_review.submit(desk, "repw", rid)  # writers do not submit
    sent = report_review.submit(desk, "repr", rid, channel="portal", recipients=["CIO", "Customer"])
    assert (sent.status, sent.channel, sent.recipients, sent.submitted_by) == ("submitted", "portal",
                                                                               ["CIO", "Customer"], "repr")
    assert report_review.archive(desk, "repm", rid).status == "archived"
    steps = [(h.actor, h.action) for h in reports.report_history(desk, rid)]
    assert steps == [("repw", "generate"), ("repw", "submit_for_review"), ("deptm", "confirm"), ("repr", "return"),
                     ("repw", "edit"), ("repw", "regenerate"), ("repw", "submit_for_review"), ("deptm", "confirm"),
                     ("repr", "approve"), ("repr", "submit"), ("repm", "archive")]


@pytest.mark.parametrize("step", ["edit", "generate", "submit_for_review", "return", "approve", "submit"])
def test_an_archived_report_never_changes(desk, named, step):
    rid = named.id
    report_review.submit_for_review(desk, "repw", rid)
    report_review.confirm(desk, "deptm", rid)
    report_review.approve(desk, "repr", rid)
    report_review.submit(desk, "repr", rid)
    report_review.archive(desk, "repm", rid)
    before = reports.get(desk, rid)
    calls = {
        "edit": lambda: reports.edit(desk, "repw", rid, commentary="rewritten"),
        "generate": lambda: reports.generate(desk, "repw", KPI, "2026-10"),
        "submit_for_review": lambda: report_review.submit_for_review(desk, "repw", rid),
        "return": lambda: report_review.return_(desk, "repr", rid, comments="again"),
        "approve": lambda: report_review.approve(desk, "repr", rid),
        "submit": lambda: report_review.submit(desk, "repr", rid),
    }
    with pytest.raises(InvalidTransition):
        calls[step]()
    assert reports.get(desk, rid) == before


def test_the_writer_never_signs_off_their_own_report(desk, clock):
    clock.now = datetime(2026, 11, 3, 9, 0)
    view = reports.generate(desk, "admin", KPI, "2026-10")  # the entry names nobody: the roles decide
    report_review.submit_for_review(desk, "admin", view.id)
    assert reports.get(desk, view.id).status == "reviewing"  # no confirmer: one sign-off step
    with pytest.raises(NotAllowed) as err:
        report_review.approve(desk, "admin", view.id)
    assert err.value.key == "report.error.own_report"
    assert Refusal.select().where(Refusal.action == "report.approve").count() == 1
    assert report_review.approve(desk, "repr", view.id).status == "approved"


def test_returning_needs_comments_and_only_a_step_in_review(desk, named):
    with pytest.raises(InvalidTransition):
        report_review.return_(desk, "repr", named.id, comments="not yet submitted")
    report_review.submit_for_review(desk, "repw", named.id)
    with pytest.raises(ValidationError):
        report_review.return_(desk, "deptm", named.id, comments=" ")
    assert reports.get(desk, named.id).status == "confirming"
    with pytest.raises(StaleVersion):
        report_review.confirm(desk, "deptm", named.id, expect_version=1)


def test_late_reports_and_chasing_their_writers(desk, named, clock):
    # 2026-10 is due 4 November 16:00 UTC; the November report (not generated) on 3 December 16:00
    clock.now = datetime(2026, 12, 4, 9, 0)
    late = [(x.code, x.period, x.status, x.report_id) for x in report_review.late(desk) if x.code == KPI]
    assert late == [(KPI, "2026-10", "draft", named.id), (KPI, "2026-11", "missing", None)]
    with pytest.raises(NotAllowed):
        report_review.chase(desk, "repw", KPI, "2026-11")
    report_review.chase(desk, "repm", KPI, "2026-11", note="please send by Monday")
    from desk.services import sla_tick

    notes = sla_tick.for_agent(desk, "repw")
    assert [(n.kind, n.entity) for n in notes] == [("report.chase", "report_spec")]
    assert sla_tick.text(notes[0], "en") == ("Late report: Monthly incident KPI report (due 2026-12-03 16:00): "
                                             "the report manager asks you to submit it")
    assert sla_tick.for_agent(desk, "repr") == []
    chased = {x.period: x.chased for x in report_review.late(desk) if x.code == KPI}
    assert chased == {"2026-10": 0, "2026-11": 1}
    with pytest.raises(InvalidTransition):
        report_review.chase(desk, "repm", KPI, "2026-12")  # not due yet


def test_a_report_submitted_after_its_due_time_is_listed_as_submitted_late(desk, named, clock):
    clock.now = datetime(2026, 11, 10, 9, 0)
    for step in (lambda: report_review.submit_for_review(desk, "repw", named.id),
                 lambda: report_review.confirm(desk, "deptm", named.id),
                 lambda: report_review.approve(desk, "repr", named.id),
                 lambda: report_review.submit(desk, "repr", named.id)):
        step()
    rows = [x for x in report_review.late(desk) if x.code == KPI]
    assert [(x.period, x.status, x.submitted_at) for x in rows] == [("2026-10", "submitted", datetime(2026, 11, 10, 9))]
    assert [x for x in report_review.late(desk, include_submitted=False) if x.code == KPI] == []
    assert reports.get(desk, named.id).late(clock.now)


def test_feedback_is_tracked_to_closure(desk, named):
    with pytest.raises(InvalidTransition):
        report_feedback.record(desk, "repm", named.id, source="CIO", text="too late")  # not submitted yet
    report_review.submit_for_review(desk, "repw", named.id)
    report_review.confirm(desk, "deptm", named.id)
    report_review.approve(desk, "repr", named.id)
    report_review.submit(desk, "repr", named.id)
    with pytest.raises(NotAllowed):
        report_feedback.record(desk, "repw", named.id, source="CIO", text="x")
    fb = report_feedback.record(desk, "repm", named.id, source="CIO", text="Add the vendor figures.")
    with pytest.raises(ValidationError):
        report_feedback.close(desk, "repm", fb.id)  # no corrective action yet
    report_feedback.set_action(desk, "repm", fb.id, action="Workload section gains a vendor table.")
    closed = report_feedback.close(desk, "repm", fb.id, note="done in the November report")
    assert (closed.status, closed.action) == ("closed", "Workload section gains a vendor table.")
    assert report_feedback.list_(desk, open_only=True) == []
    assert reports.get(desk, named.id).status == "submitted"  # the report itself is untouched
