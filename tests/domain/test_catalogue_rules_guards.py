"""The catalogue entry's rules at their edges (issue 19; tools/mutants/domain_catalogue.toml):
each limit accepted at its value and refused past it, values of the wrong type refused (never a
crash), the diff, the draft and requirement steps, and the catalogue file's categories."""

from __future__ import annotations

import copy

import pytest

from desk.domain import catalogue as rules
from desk.domain.errors import InvalidTransition

from test_catalogue_rules import CATEGORIES, PRIORITIES, valid  # (the same module pytest collects: a valid entry)


def keys(change: dict) -> list[tuple[str, str]]:
    entry = valid()
    entry.update(change)
    return [(p.field, p.key.split(".")[-1]) for p in rules.problems(entry, PRIORITIES, CATEGORIES, {"24x7"})]


@pytest.mark.parametrize("change, expected", [
    ({"code": "v" * 64}, []),
    ({"code": "v" * 65}, [("code", "code")]),
    ({"name_en": "n" * 200}, []),
    ({"summary_en": "s" * 5000, "summary_zh": "概" * 20_000}, []),
    ({"summary_zh": "概" * 20_001}, [("summary_zh", "too_long")]),
    ({"name_en": 5}, [("name_en", "text")]),
    ({"summary_zh": "远程\x00接入"}, [("summary_zh", "text")]),
    ({"name_en": "", "name_zh": " "}, [("name_en", "required"), ("name_zh", "required")]),
    ({"owner": 7}, [("owner", "text")]),
    ({"needs_approval": "yes"}, [("needs_approval", "flag")]),
    ({"needs_approval": True, "approval_levels": True}, [("approval_levels", "levels")]),
    ({"needs_approval": True, "approval_levels": 5}, []),
    ({"approval_levels": -1}, [("approval_levels", "levels")]),
    ({"checklist": None}, [("checklist", "checklist")]),
    ({"checklist": {"en": "Branch", "zh": "网点"}}, [("checklist", "checklist")]),
    ({"checklist": [{"en": "Branch", "zh": "网点", "fr": "Agence"}]}, [("checklist", "checklist")]),
    ({"checklist": [{"en": "Branch", "zh": "  "}]}, [("checklist", "checklist")]),
    ({"checklist": [{"en": "b" * 200, "zh": "网点"}]}, []),
    ({"checklist": [{"en": "b" * 201, "zh": "网点"}]}, [("checklist", "checklist")]),
    ({"targets": "fast"}, [("targets", "targets")]),
])
def test_each_limit_and_type(change, expected):
    assert keys(change) == expected


@pytest.mark.parametrize("pair, expected", [
    ({"response": True, "resolve": 60}, [("targets.3", "minutes")]),
    ({"response": 0, "resolve": 60}, [("targets.3", "minutes")]),
    ({"response": 10, "resolve": rules.MAX_MINUTES}, []),
    ({"response": 10, "resolve": rules.MAX_MINUTES + 1}, [("targets.3", "minutes")]),
])
def test_target_minutes_at_their_edges(pair, expected):
    entry = valid()
    entry["targets"]["3"] = pair
    assert [(p.field, p.key.split(".")[-1]) for p in rules.problems(entry, PRIORITIES)] == expected


def test_the_refusal_names_the_wrong_value_and_the_checklist_item_counted_from_one():
    entry = valid()
    entry["targets"]["3"] = {"response": 30, "resolve": -1}
    (problem,) = rules.problems(entry, PRIORITIES)
    assert problem.params["value"] == "-1" and "-1 is not a number of minutes" in rules.describe(problem, "en")
    entry = valid()
    entry["checklist"] = [{"en": "Branch", "zh": "网点"}, {"en": "Room"}]
    (problem,) = rules.problems(entry, PRIORITIES)
    assert problem.params["item"] == 2


def test_priority_codes_given_as_numbers_are_the_configs_codes():
    entry = rules.normalise({**valid(), "targets": {int(p): v for p, v in valid()["targets"].items()}})
    assert rules.problems(entry, PRIORITIES, CATEGORIES) == []


def test_the_diff_ignores_fields_empty_in_both_and_lists_a_first_versions_targets():
    old = valid()
    new = copy.deepcopy(old)
    old["owner"], new["owner"] = None, ""
    assert rules.diff(old, new) == []
    first = [c.field for c in rules.diff(None, valid())]
    assert [f for f in first if f.startswith("targets.")] == ["targets.1", "targets.2", "targets.3", "targets.4"]


def test_withdrawing_a_draft_in_review_but_never_a_published_one():
    assert rules.draft_step("in_review", "withdraw") == "withdrawn"
    assert rules.draft_step("approved", "withdraw") == "withdrawn"
    with pytest.raises(InvalidTransition):
        rules.draft_step("published", "withdraw")


def test_a_requirement_is_only_accepted_or_rejected():
    for action in ("withdraw", "publish", "submit"):
        with pytest.raises(InvalidTransition):
            rules.requirement_step("open", action)


# --- the catalogue file -----------------------------------------------------------------------

NET = {"code": "net", "parent": "", "en": "Net", "zh": "网"}


def parsed(categories, services=(), known=None):
    return rules.parse_catalogue({"service_category": list(categories), "service": list(services)}, PRIORITIES,
                                 known_categories=known)


@pytest.mark.parametrize("category, path", [
    ({**NET, "colour": "red"}, ["service_category", 0, "colour"]),
    ({**NET, "zh": " "}, ["service_category", 0, "zh"]),
    ({**NET, "code": "Net Work"}, ["service_category", 0, "code"]),
])
def test_a_bad_category_is_refused_at_its_line(category, path):
    cats, entries, problem = parsed([category])
    assert (cats, entries, problem[0]) == ([], [], path)


def test_a_category_twice_is_refused():
    assert parsed([NET, NET])[2][0] == ["service_category", 1, "code"]


def test_services_written_other_than_as_tables_are_refused():
    assert rules.parse_catalogue({"service": ["vpn"]}, PRIORITIES)[2][0] == ["service"]


def test_an_import_may_use_the_databases_categories_and_the_files_export_fields():
    sub = {"code": "wan", "parent": "network", "en": "WAN", "zh": "广域网"}
    service = {**valid(), "category": "network", "version": 3, "effective": "2026-12-01"}
    cats, entries, problem = parsed([sub], [service], known={"network"})
    assert problem is None and [c.code for c in cats] == ["wan"] and [e["code"] for e in entries] == ["vpn"]


def test_a_service_missing_a_field_is_located_at_its_entry():
    service = {k: v for k, v in valid().items() if k != "summary_en"}
    assert parsed([NET], [{**service, "category": "net"}])[2][0] == ["service", 0]


def test_a_refused_service_is_named_by_its_code_or_without_one_by_its_number():
    problem = parsed([NET], [{**valid(), "category": "net", "code": "Bad Code"}])[2][1]
    assert problem.text("en").startswith("[[service]] `Bad Code`:")
    problem = parsed([NET], [{**valid(), "category": "net"}, {**valid(), "category": "net", "code": ""}])[2][1]
    assert problem.text("en").startswith("[[service]] entry 2:") and "第 2 个条目" in problem.text("zh")
