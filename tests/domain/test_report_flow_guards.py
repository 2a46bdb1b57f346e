"""Every rule of desk/domain/report_flow.py fails a test when it is removed or inverted (issue 19;
tools/mutants/domain_report_flow.toml): the report list entry's checks at their edges, the
change-and-confirm rule, the review workflow written out as a reviewed table, the sign-offs, and
the periods' edges."""

from __future__ import annotations

from datetime import datetime

import pytest

from desk.domain import report_flow as flow
from desk.domain.errors import InvalidTransition, NotAllowed, ValidationError

GOOD = {"en": "a", "zh": "b", "audience": "customer", "basis": "sla", "period": "monthly", "sections": ["sla"]}


def _fields(entry) -> list[str]:
    return [f for f, _ in flow.spec_problems(entry)]


# --- the report list entry -------------------------------------------------------------------------

def test_due_days_is_a_whole_number_and_true_is_not_one():
    assert _fields({**GOOD, "due_days": True}) == ["due_days"]
    assert _fields({**GOOD, "due_days": "5"}) == ["due_days"]
    assert _fields({**GOOD, "due_days": 5}) == []


@pytest.mark.parametrize("days,ok", [(0, True), (60, True), (61, False), (-1, False)])
def test_due_days_run_from_0_to_60_working_days(days, ok):
    assert _fields({**GOOD, "due_days": days}) == ([] if ok else ["due_days"])


@pytest.mark.parametrize("name,bad", [("audience", "aliens"), ("basis", "whim"), ("period", "daily")])
def test_audience_basis_and_period_take_their_listed_values(name, bad):
    assert _fields({**GOOD, name: bad}) == [name]


def test_sections_are_known_ones_and_at_least_one():
    assert _fields({**GOOD, "sections": ["sla", "horoscope"]}) == ["sections"]
    assert _fields({**GOOD, "sections": []}) == ["sections"]
    assert _fields({**GOOD, "sections": list(flow.SECTIONS)}) == []


def test_two_different_people_sign_and_neither_is_the_writer():
    assert _fields({**GOOD, "confirmer": "lead", "reviewer": "lead"}) == ["confirmer"]
    assert _fields({**GOOD, "confirmer": "lead", "reviewer": "boss"}) == []
    assert _fields({**GOOD, "writer": "w", "reviewer": "w"}) == ["reviewer"]
    assert _fields({**GOOD, "writer": "w", "confirmer": "w"}) == ["confirmer"]
    assert _fields({**GOOD, "writer": "", "reviewer": ""}) == []  # nobody named: anyone allowed signs


def test_a_change_to_the_list_is_confirmed_by_someone_else_and_only_when_there_is_one():
    change = {**GOOD, "en": "changed"}
    assert flow.plan_spec_confirm(7, 8, GOOD, change) == change
    with pytest.raises(NotAllowed) as own:
        flow.plan_spec_confirm(7, 7, GOOD, change)
    assert own.value.key == "report.error.own_change"
    with pytest.raises(InvalidTransition) as none:
        flow.plan_spec_confirm(None, 8, GOOD, None)
    assert none.value.key == "report.error.nothing_pending"


# --- the review workflow ---------------------------------------------------------------------------

# The workflow as seed 000 describes it, written out (not read from ALLOWED_FROM): action -> the
# statuses it is allowed from.
REVIEWED = {
    "generate": {"draft", "returned"},
    "edit": {"draft", "returned"},
    "submit_for_review": {"draft", "returned"},
    "confirm": {"confirming"},
    "approve": {"reviewing"},
    "return": {"confirming", "reviewing"},
    "submit": {"approved"},
    "archive": {"submitted"},
    "feedback": {"submitted", "archived"},
}


@pytest.mark.parametrize("action", sorted(REVIEWED))
@pytest.mark.parametrize("status", flow.STATUSES)
def test_each_action_is_allowed_from_exactly_the_reviewed_statuses(action, status):
    if status in REVIEWED[action]:
        flow.require_from(action, status)
    else:
        with pytest.raises(InvalidTransition):
            flow.require_from(action, status)


def test_done_means_submitted_or_archived():
    assert flow.DONE == {"submitted", "archived"}


WRITER, LEAD, BOSS, OTHER = 1, 2, 3, 4


def _state(status, confirmer="lead", reviewer="boss"):
    return flow.ReportState(status, WRITER, confirmer, reviewer)


def test_submitting_for_review_goes_to_the_confirmer_first_when_the_entry_names_one():
    assert flow.plan_submit_for_review(_state("draft"))["status"] == "confirming"
    assert flow.plan_submit_for_review(_state("returned", confirmer=""))["status"] == "reviewing"


def test_the_confirmer_passes_it_to_the_reviewer_who_approves_then_submits():
    assert flow.plan_confirm(_state("confirming"), "lead", LEAD, False) == {"status": "reviewing",
                                                                          "confirmed_by_id": LEAD}
    assert flow.plan_approve(_state("reviewing"), "boss", BOSS, False)["status"] == "approved"
    now = datetime(2026, 11, 3, 9)
    assert flow.plan_submit(_state("approved"), "boss", BOSS, False, now) == {
        "status": "submitted", "submitted_at": now, "submitted_by_id": BOSS}


@pytest.mark.parametrize("step", ["confirm", "approve", "return", "submit"])
def test_the_writer_never_signs_off_their_own_report(step):
    status = {"confirm": "confirming", "approve": "reviewing", "return": "reviewing", "submit": "approved"}[step]
    state = flow.ReportState(status, WRITER, "", "")  # nobody named: only the writer is kept out
    with pytest.raises(NotAllowed) as caught:
        _plan(step, state, "w", WRITER)
    assert caught.value.key == "report.error.own_report"


@pytest.mark.parametrize("step,status,named", [("confirm", "confirming", "lead"), ("approve", "reviewing", "boss"),
                                               ("return", "confirming", "lead"), ("return", "reviewing", "boss"),
                                               ("submit", "approved", "boss")])
def test_only_the_named_person_acts_on_their_step(step, status, named):
    with pytest.raises(NotAllowed) as caught:
        _plan(step, _state(status), "other", OTHER)
    assert caught.value.key == "report.error.not_named"
    wrong = "boss" if named == "lead" else "lead"  # the other signer is not the one named for this step
    with pytest.raises(NotAllowed):
        _plan(step, _state(status), wrong, BOSS if wrong == "boss" else LEAD)
    assert _plan(step, _state(status), named, LEAD if named == "lead" else BOSS)["status"]


def test_a_return_says_why():
    with pytest.raises(ValidationError) as caught:
        flow.plan_return(_state("reviewing"), "boss", BOSS, False, "  ")
    assert caught.value.key == "error.required"
    assert flow.plan_return(_state("reviewing"), "boss", BOSS, False, "figures wrong")["status"] == "returned"


def _plan(step, state, login, actor_id):
    if step == "confirm":
        return flow.plan_confirm(state, login, actor_id, False)
    if step == "approve":
        return flow.plan_approve(state, login, actor_id, False)
    if step == "return":
        return flow.plan_return(state, login, actor_id, False, "not good enough")
    return flow.plan_submit(state, login, actor_id, False, datetime(2026, 11, 3))


# --- periods ------------------------------------------------------------------------------------------

@pytest.mark.parametrize("month,quarter", [(1, 1), (3, 1), (4, 2), (6, 2), (7, 3), (9, 3), (10, 4), (12, 4)])
def test_the_quarter_of_each_month_at_its_edges(month, quarter):
    assert flow.period_containing("quarterly", datetime(2026, month, 15)).key == f"2026-Q{quarter}"


def test_a_week_runs_monday_to_sunday():
    sunday = flow.period_containing("weekly", datetime(2026, 11, 1, 23))
    monday = flow.period_containing("weekly", datetime(2026, 11, 2, 0))
    assert (sunday.key, sunday.start) == ("2026-W44", datetime(2026, 10, 26))
    assert (monday.key, monday.start) == ("2026-W45", datetime(2026, 11, 2))
