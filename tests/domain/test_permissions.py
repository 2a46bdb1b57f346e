"""The permission table as a reviewed spec: a change to who may do what must change this file."""

import pytest

from desk.domain.permissions import ACTIONS, PERMISSIONS, can, may_assign_within, may_touch
from desk.domain.roles import ALL_ROLES

# role -> the actions it may take (admin may take every action).
SPEC = {
    "l1": {"incident.create", "incident.assign", "incident.start", "incident.escalate", "incident.resolve",
           "incident.confirm", "incident.reopen", "incident.close", "incident.note", "incident.view_all",
           "incident.hold", "incident.to_request", "incident.set_service", "incident.set_priority", "knowledge.draft", "request.create", "request.handle", "request.close", "report.write",
           "problem.create", "problem.link", "problem.note", "change.create", "change.link_incident",
           "alert.ingest"},
    "l2": {"incident.assign", "incident.start", "incident.escalate", "incident.return", "incident.resolve",
           "incident.note", "incident.hold", "incident.set_service", "incident.set_priority", "knowledge.draft",
           "request.handle",
           "report.write",
           "problem.create", "problem.link", "problem.investigate", "problem.root_cause", "problem.known_error",
           "problem.resolve", "problem.note", "change.create", "change.assess", "change.implement",
           "change.link_incident"},
    "vendor": {"incident.start", "incident.return", "incident.resolve", "incident.note", "problem.note"},
    "lead": {"incident.create", "incident.assign", "incident.reassign", "incident.start", "incident.escalate",
             "incident.escalate_hierarchical", "incident.return", "incident.resolve", "incident.confirm",
             "incident.reopen", "incident.close", "incident.note", "incident.view_all", "knowledge.draft",
             "incident.to_request", "incident.set_service", "incident.set_priority",
             "incident.hold", "knowledge.publish", "request.create", "request.handle", "request.close", "catalogue.requirement",
             "problem.create", "problem.link", "problem.investigate", "problem.root_cause", "problem.known_error",
             "problem.resolve", "problem.close", "problem.note", "change.create", "change.assess", "change.approve",
             "change.implement", "change.close", "change.link_incident", "alert.ingest"},
    "approver": {"request.approve", "change.approve", "change.close"},
    "request_manager": {"incident.view_all", "request.create", "request.handle", "request.close"},
    "ops_lead": {"catalogue.requirement", "catalogue.decide", "catalogue.review", "catalogue.publish",
                 "change.create", "change.assess", "change.implement", "change.close"},
    "catalogue_maintainer": {"catalogue.requirement", "catalogue.draft", "catalogue.review", "change.create"},
    "report_manager": {"incident.view_all", "report.list_edit", "report.archive", "report.feedback"},
    "report_reviewer": {"report.list_confirm", "report.review", "report.submit"},
    "report_writer": {"report.write"},
    "admin": set(ACTIONS),
}

CASES = [(role, action) for role in ALL_ROLES for action in ACTIONS]


def test_spec_covers_every_role():
    assert set(SPEC) == set(ALL_ROLES)


@pytest.mark.parametrize("role,action", CASES, ids=[f"{r}-{a}" for r, a in CASES])
def test_every_action_for_every_role(role, action):
    assert can({role}, action) == (action in SPEC[role])


def test_unknown_action_is_a_programming_error():
    with pytest.raises(KeyError):
        can({"admin"}, "incident.teleport")


def test_roles_combine():
    assert can({"approver", "l1"}, "incident.close")
    assert not can(set(), "incident.note")


def test_scope_second_line_only_within_its_group():
    assert may_touch({"l2"}, "incident.resolve", 5, 5)
    assert not may_touch({"l2"}, "incident.resolve", 5, 6)
    assert not may_touch({"vendor"}, "incident.note", None, 6)
    assert may_touch({"l1"}, "incident.resolve", 1, 6)
    assert may_touch({"lead"}, "incident.resolve", None, 6)
    assert may_assign_within({"l2"}, 5, 5) and not may_assign_within({"l2"}, 5, 6)
    assert may_assign_within({"l1"}, 1, 6)
    assert set(PERMISSIONS) == set(ACTIONS)


def test_second_line_changes_the_service_only_of_its_groups_incidents():
    assert may_touch({"l2"}, "incident.set_service", 5, 5)
    assert not may_touch({"l2"}, "incident.set_service", 5, 6)
    assert may_touch({"l1"}, "incident.set_service", 1, 6)


def test_second_line_changes_the_priority_only_of_its_groups_incidents():
    assert may_touch({"l2"}, "incident.set_priority", 5, 5)
    assert not may_touch({"l2"}, "incident.set_priority", 5, 6)
    assert may_touch({"lead"}, "incident.set_priority", None, 6)
