"""Rules of desk/domain/ that a deliberate one-line bug used to slip past (issue 19's sweep, see
docs/mutation.md): the 200.2 checklist, the role codes, the history hash chain, the filter bar,
problems and changes. Each test fails when its rule is removed or inverted."""

from dataclasses import replace
from datetime import datetime, timedelta

import pytest

from desk.domain import roles
from desk.domain.checklist import ITEMS, checklist
from desk.domain.errors import InvalidTransition
from desk.domain.history_chain import GENESIS, ChainRow, dump_changes, row_hash, verify_chain

T0 = datetime(2026, 11, 2, 9, 0, 0, 123456)


# --- the 200.2 checklist -------------------------------------------------------------------------

FULL = dict(caller="Zhang Wei", organisation="Branch 3", service="vpn", description="cannot connect",
            impact=2, urgency=1, started_at=T0)


def _done(**overrides):
    return {item.key: item.done for item in checklist(**{**FULL, **overrides})}


def test_checklist_has_the_seven_items_of_200_2_in_order():
    assert ITEMS == ("caller", "organisation", "service", "symptoms", "impact", "urgency", "started")
    assert all(_done().values()) and list(_done()) == list(ITEMS)


@pytest.mark.parametrize("item,missing", [("caller", {"caller": None}), ("organisation", {"organisation": ""}),
                                          ("service", {"service": None}), ("symptoms", {"description": " \n "}),
                                          ("impact", {"impact": None}), ("urgency", {"urgency": None}),
                                          ("started", {"started_at": None})])
def test_each_missing_item_is_open_and_only_that_one(item, missing):
    done = _done(**missing)
    assert [k for k, v in done.items() if not v] == [item]


# --- role codes ----------------------------------------------------------------------------------

def test_role_codes_are_stable_and_every_role_can_be_given():
    # Codes live in databases and config files: renaming one strands every agent who has it.
    assert roles.ALL_ROLES == ("l1", "l2", "vendor", "lead", "approver", "request_manager", "ops_lead",
                               "catalogue_maintainer", "report_manager", "report_reviewer", "report_writer",
                               "admin")
    from desk.domain.permissions import unknown_roles

    assert unknown_roles(list(roles.ALL_ROLES)) == [] and unknown_roles(["vendor", "boss"]) == ["boss"]


# --- the history hash chain ----------------------------------------------------------------------

def _chain(n=3, entity="incident", entity_id=1):
    rows, prev = [], GENESIS
    for seq in range(1, n + 1):
        at = T0 + timedelta(minutes=seq)
        changes = dump_changes({"status": ["a", f"s{seq}"], "group": ["desk", "network"]})
        digest = row_hash(prev, entity, entity_id, seq, at, 2, "assign", changes, f"note {seq}")
        rows.append(ChainRow(seq, entity, entity_id, seq, at, 2, "assign", changes, f"note {seq}", prev, digest))
        prev = digest
    return rows


@pytest.mark.parametrize("field,value", [("actor_id", 3), ("actor_id", None), ("action", "close"),
                                         ("changes", dump_changes({"status": ["a", "closed"]})),
                                         ("note", "rewritten"), ("entity", "problem"), ("entity_id", 2),
                                         ("at", T0 + timedelta(minutes=2, microseconds=1))])
def test_editing_any_field_of_a_row_breaks_the_chain_at_that_row(field, value):
    rows = _chain()
    rows[1] = replace(rows[1], **{field: value})
    found = verify_chain(rows)
    assert (found.seq, found.what) == (2, "hash")


def test_each_row_chains_to_the_one_before():
    rows = _chain()
    assert [r.prev_hash for r in rows] == [GENESIS, rows[0].hash, rows[1].hash]
    # A row moved from another chain (its own link intact there) is refused here.
    other = _chain(entity_id=7)
    spliced = [rows[0], replace(other[1], entity_id=1)]
    assert verify_chain(spliced).what in ("link", "hash")
    # Two genuine rows whose links skip one: the link is broken even though the seq is right.
    forged = replace(rows[2], seq=2, prev_hash=rows[0].hash)
    forged = replace(forged, hash=row_hash(forged.prev_hash, forged.entity, forged.entity_id, 2, forged.at,
                                           forged.actor_id, forged.action, forged.changes, forged.note))
    assert verify_chain([rows[0], forged]) is None  # rewriting consistently is possible (documented)
    assert verify_chain([rows[0], replace(rows[2], seq=2)]).what == "link"


def test_the_first_row_links_to_genesis_and_a_missing_first_row_is_a_gap():
    rows = _chain()
    assert verify_chain(rows[1:]).what == "seq"
    assert verify_chain([replace(rows[0], prev_hash="f" * 64)]).what == "link"


def test_changes_are_hashed_in_one_order():
    assert dump_changes({"b": 1, "a": 2}) == dump_changes({"a": 2, "b": 1}) == '{"a":2,"b":1}'


# --- the permission table's scope rules and keys ---------------------------------------------------

from desk.domain.permissions import GROUP_SCOPED, may_key, may_touch  # noqa: E402

SCOPED_INCIDENT_ACTIONS = ["incident.assign", "incident.start", "incident.escalate", "incident.return",
                           "incident.resolve", "incident.note"]


@pytest.mark.parametrize("action", SCOPED_INCIDENT_ACTIONS)
@pytest.mark.parametrize("role", ["l2", "vendor"])
def test_second_line_and_vendors_reach_only_their_own_groups_incidents(role, action):
    assert action in GROUP_SCOPED
    assert may_touch({role}, action, 5, 5)
    assert not may_touch({role}, action, 5, 6)


@pytest.mark.parametrize("role", ["l1", "lead", "admin"])
def test_the_desk_and_leads_reach_every_incident(role):
    for action in SCOPED_INCIDENT_ACTIONS:
        assert may_touch({role}, action, 1, 6) and may_touch({role}, action, None, 6)


def test_an_agent_without_a_group_reaches_no_scoped_incident_even_one_without_a_group():
    assert not may_touch({"vendor"}, "incident.note", None, None)
    assert not may_touch({"l2"}, "incident.resolve", None, None)


def test_actions_outside_the_scoped_set_are_not_limited_by_group():
    assert may_touch({"l2"}, "problem.investigate", 5, 6)


@pytest.mark.parametrize("role,key,allowed", [("vendor", "close", False), ("vendor", "note", True),
                                              ("vendor", "assign", False), ("l2", "confirm", False),
                                              ("l1", "close", True), ("approver", "new", False),
                                              ("approver", "detail", True), ("lead", "escalate", True),
                                              ("vendor", "escalate", False)])
def test_a_key_is_offered_only_to_roles_that_may_take_its_action(role, key, allowed):
    assert may_key({role}, key) is allowed


# --- problems and changes: the transition tables as a reviewed spec ---------------------------------
# The flows' own tests walk ALLOWED_FROM to decide what to expect, so a wrong entry in the table
# passed them. These spell out, independently, from which statuses each action may start.

from desk.domain import change_flow, problem_flow  # noqa: E402

PROBLEM_SPEC = {
    "investigate": {"new"},
    "root_cause": {"under_investigation", "root_cause_known"},
    "known_error": {"root_cause_known"},
    "resolve": {"root_cause_known", "known_error"},
    "close": {"resolved"},
    "note": {"new", "under_investigation", "root_cause_known", "known_error", "resolved"},
    "link": {"new", "under_investigation", "root_cause_known", "known_error", "resolved"},
    "unlink": {"new", "under_investigation", "root_cause_known", "known_error", "resolved"},
}

CHANGE_SPEC = {
    "submit": {"draft"},
    "assess": {"assessment"},
    "approve": {"awaiting_approval"},
    "reject": {"awaiting_approval"},
    "schedule": {"approved", "scheduled"},
    "start": {"scheduled"},
    "review": {"implementing"},
    "close": {"review"},
    "link_incident": {"implementing", "review", "closed"},
    "unlink_incident": {"implementing", "review", "closed"},  # what may be linked may be unlinked
}


def test_problem_transitions_are_the_reviewed_spec():
    assert {a: set(s) for a, s in problem_flow.ALLOWED_FROM.items()} == PROBLEM_SPEC


@pytest.mark.parametrize("status", problem_flow.STATUSES)
def test_a_known_error_and_a_resolution_only_follow_a_known_root_cause(status):
    state = problem_flow.ProblemState(status, root_cause="bad firmware")
    now = datetime(2026, 12, 1, 9, 0)
    for action, call in (("known_error", lambda: problem_flow.plan_known_error(state, now, "reconnect")),
                         ("resolve", lambda: problem_flow.plan_resolve(state, now, "firmware 2.1", None, None))):
        if status in PROBLEM_SPEC[action]:
            call()
        else:
            with pytest.raises(InvalidTransition):
                call()


def test_change_transitions_are_the_reviewed_spec():
    assert {a: set(s) for a, s in change_flow.ALLOWED_FROM.items()} == CHANGE_SPEC
    assert change_flow.CAUSING == {"implementing", "review", "closed"}
    assert change_flow.ON_CALENDAR == {"approved", "scheduled", "implementing", "review", "closed"}


# --- the filter bar ------------------------------------------------------------------------------

from desk.domain.filter_terms import ParsedFilter, Vocabulary, describe, parse  # noqa: E402


def test_a_long_prefix_before_a_colon_is_text_not_a_mistyped_key():
    p = parse("somethinglong:x", Vocabulary())
    assert p.ok and p.text == "somethinglong:x"
    assert not parse("grp:x", Vocabulary()).ok  # a short one is a mistyped key


def test_a_me_means_the_acting_user_whatever_the_case():
    assert parse("a:Me", Vocabulary()).assignees == {"me"}
    assert parse("a:ME", Vocabulary()).assignees == {"me"}


def test_the_canonical_spelling_sorts_the_values():
    groups = frozenset(f"g{i:02d}" for i in range(12))
    assert describe(ParsedFilter(groups=groups)) == "g:" + ",".join(sorted(groups))


def test_a_filter_of_only_breached_is_not_empty():
    assert not ParsedFilter(breached=True).empty
    assert ParsedFilter().empty
