"""Every word the problem and change workflows show has a label in both languages: statuses, the
steps an error names, the fields history records, the actions history rows carry."""

import pytest

from desk.domain import change_flow, problem_flow
from desk.i18n import catalogue
from desk.services import changes, problems

ACTIONS = {
    "problem": ["create", "investigate", "root_cause", "known_error", "resolve", "close", "note", "link", "unlink"],
    "change": ["create", "submit", "assess", "approve", "reject", "schedule", "start", "review", "close",
               "link_incident"],
    "incident": ["link_problem", "unlink_problem", "caused_by_change"],
}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_every_word_has_a_label(lang):
    known = catalogue(lang)
    missing = [f"problem.status.{s}" for s in problem_flow.STATUSES if f"problem.status.{s}" not in known]
    missing += [f"change.status.{s}" for s in change_flow.STATUSES if f"change.status.{s}" not in known]
    missing += [f"problem.step.{a}" for a in problem_flow.ALLOWED_FROM if f"problem.step.{a}" not in known]
    missing += [f"change.step.{a}" for a in change_flow.ALLOWED_FROM if f"change.step.{a}" not in known]
    missing += [f"problem.field.{f}" for f in (*problems.TRACKED, "incidents") if f"problem.field.{f}" not in known]
    missing += [f"change.field.{f}" for f in (*changes.TRACKED, "incidents", "decision", "template")
                if f"change.field.{f}" not in known]
    missing += [f"field.{f}" for f in ("problem", "caused_by_change") if f"field.{f}" not in known]
    missing += [f"action.{a}" for names in ACTIONS.values() for a in names if f"action.{a}" not in known]
    for table, codes in (("type", change_flow.TYPES), ("outcome", change_flow.OUTCOMES), ("risk", change_flow.RISKS),
                         ("via", ("cab", "lead", "template")), ("decision", ("approve", "reject"))):
        missing += [f"change.{table}.{c}" for c in codes if f"change.{table}.{c}" not in known]
    assert missing == []


def test_an_error_names_the_step_and_the_status_in_the_users_language():
    from desk.domain.errors import InvalidTransition

    err = InvalidTransition("problem.error.transition", kind="problem", step="close", status="under_investigation")
    assert err.message("en") == "cannot close it: the problem is under investigation"
    assert err.message("zh") == "无法关闭：该问题当前为“调查中”"
