"""The catalogue entry's rules: each guard refuses what it should, and names the field."""

from __future__ import annotations

import copy

import pytest

from desk.domain import catalogue as rules
from desk.domain.errors import InvalidTransition

PRIORITIES = ["1", "2", "3", "4"]
CATEGORIES = {"network", "access"}


def valid() -> dict:
    entry = rules.empty_entry("vpn")
    entry.update(category="network", name_en="VPN", name_zh="VPN接入", summary_en="Remote access.",
                 summary_zh="远程接入。", targets={p: {"response": 10 * int(p), "resolve": 60 * int(p)} for p in PRIORITIES})
    return rules.normalise(entry)


def keys(entry) -> list[tuple[str, str]]:
    return [(p.field, p.key.split(".")[-1]) for p in rules.problems(entry, PRIORITIES, CATEGORIES, {"24x7", "business"})]


def test_a_valid_entry_has_no_problems():
    assert keys(valid()) == []


@pytest.mark.parametrize("change, expected", [
    ({"code": "Bad Code"}, ("code", "code")),
    ({"category": "nowhere"}, ("category", "category")),
    ({"category": ""}, ("category", "required")),
    ({"name_zh": ""}, ("name_zh", "required")),
    ({"summary_en": "  "}, ("summary_en", "required")),
    ({"goal_en": "Keep people connected"}, ("goal_zh", "both_languages")),
    ({"price_zh": "免费"}, ("price_en", "both_languages")),
    ({"hours": "office hours"}, ("hours", "calendar")),
    ({"hours": "weekends"}, ("hours", "calendar_unknown")),
    ({"needs_approval": True}, ("approval_levels", "levels_needed")),
    ({"approval_levels": 2}, ("approval_levels", "levels_unneeded")),
    ({"approval_levels": 9}, ("approval_levels", "levels")),
    ({"needs_cost_confirmation": "yes"}, ("needs_cost_confirmation", "flag")),
    ({"checklist": [{"en": "Branch number"}]}, ("checklist", "checklist")),
    ({"name_en": "x" * 201}, ("name_en", "too_long")),
])
def test_each_rule_names_its_field(change, expected):
    entry = valid()
    entry.update(change)
    assert keys(entry) == [expected]


@pytest.mark.parametrize("pair, expected", [
    (None, "target_missing"),
    ({"response": -5, "resolve": 60}, "minutes"),
    ({"response": 10, "resolve": "soon"}, "minutes"),
    ({"response": 60, "resolve": 30}, "resolve_before_response"),
    ({"response": 10, "resolve": 60, "pause": 1}, "targets"),
])
def test_targets_every_priority_positive_and_resolution_not_before_response(pair, expected):
    entry = valid()
    if pair is None:
        del entry["targets"]["3"]
    else:
        entry["targets"]["3"] = pair
    assert keys(entry) == [("targets.3", expected)]


def test_a_target_for_an_unknown_priority_is_named():
    entry = valid()
    entry["targets"]["9"] = {"response": 1, "resolve": 2}
    assert keys(entry) == [("targets.9", "priority_unknown")]


def test_equal_response_and_resolution_is_allowed():
    entry = valid()
    entry["targets"]["1"] = {"response": 30, "resolve": 30}
    assert keys(entry) == []


def test_needs_approval_defaults_to_one_level_when_levels_are_not_given():
    assert rules.normalise({"needs_approval": True})["approval_levels"] == 1
    assert rules.normalise({"needs_approval": True, "approval_levels": 0})["approval_levels"] == 0


def test_diff_names_each_changed_field_and_each_priority():
    a = valid()
    b = copy.deepcopy(a)
    b["summary_zh"] = "远程接入服务。"
    b["targets"]["2"] = {"response": 5, "resolve": 60}
    b["needs_cost_confirmation"] = True
    changes = rules.diff(a, b)
    assert [c.field for c in changes] == ["summary_zh", "targets.2", "needs_cost_confirmation"]
    assert changes[1].old == {"response": 20, "resolve": 120}
    assert rules.diff(a, copy.deepcopy(a)) == [] and rules.same_entry(a, copy.deepcopy(a))
    assert not rules.same_entry(None, a)


def test_a_problem_reads_as_a_sentence_with_the_fields_label():
    entry = valid()
    entry["targets"]["2"] = {"response": 60, "resolve": 30}
    (problem,) = rules.problems(entry, PRIORITIES, CATEGORIES)
    assert rules.describe(problem, "en") == ("targets of priority 2: the resolution target (30 min) is shorter "
                                             "than the response target (60 min)")
    assert "优先级 2 的目标" in rules.describe(problem, "zh")
    entry = valid()
    entry["goal_en"] = "x"
    (problem,) = rules.problems(entry, PRIORITIES, CATEGORIES)
    assert rules.describe(problem, "en").startswith("goal (Chinese) is missing")


@pytest.mark.parametrize("status, action, expected", [
    ("editing", "submit", "in_review"), ("returned", "submit", "in_review"), ("in_review", "approve", "approved"),
    ("in_review", "return", "returned"), ("approved", "return", "returned"), ("approved", "publish", "published"),
    ("editing", "edit", "editing"), ("returned", "edit", "returned"), ("in_review", "withdraw", "withdrawn"),
])
def test_draft_steps(status, action, expected):
    assert rules.draft_step(status, action) == expected


@pytest.mark.parametrize("status, action", [
    ("editing", "approve"), ("editing", "publish"), ("in_review", "publish"), ("in_review", "edit"),
    ("approved", "edit"), ("published", "edit"), ("published", "return"), ("withdrawn", "submit"),
    ("returned", "approve"),
])
def test_draft_steps_refused(status, action):
    with pytest.raises(InvalidTransition):
        rules.draft_step(status, action)


def test_a_requirement_is_decided_once():
    assert rules.requirement_step("open", "accept") == "accepted"
    assert rules.requirement_step("open", "reject") == "rejected"
    for status in ("accepted", "rejected"):
        with pytest.raises(InvalidTransition):
            rules.requirement_step(status, "accept")


def test_parse_catalogue_names_the_first_problem_with_its_path():
    data = {"service_category": [{"code": "net", "parent": "", "en": "Net", "zh": "网"}],
            "service": [{**valid(), "category": "net"}]}
    cats, entries, problem = rules.parse_catalogue(data, PRIORITIES)
    assert problem is None and [c.code for c in cats] == ["net"] and entries[0]["code"] == "vpn"
    data["service"][0]["targets"] = {**valid()["targets"], "1": {"response": -5, "resolve": 60}}
    # (what is wrong: a message key and its values, said in the reader's language where it is shown)
    path, what = rules.parse_catalogue(data, PRIORITIES)[2]
    assert path == ["service", 0, "targets", "1"] and what.key == "config.catalogue.service"
    assert what.text("en") == "[[service]] `vpn`: targets of priority 1: -5 is not a number of minutes (1 to 525600)"
    assert what.text("zh").startswith("[[service]] `vpn`：") and "minutes" not in what.text("zh")
    data["service"][0] = {**valid(), "category": "nowhere"}
    assert rules.parse_catalogue(data, PRIORITIES)[2][1].text("en") == \
        "[[service]] `vpn`: category: there is no category nowhere"
    data["service"][0] = {**valid(), "category": "net", "colour": "red"}
    path, what = rules.parse_catalogue(data, PRIORITIES)[2]
    assert (path, what.text("en")) == (["service", 0, "colour"], "[[service]] entry 1: unknown field `colour`")
    data["service"] = [{**valid(), "category": "net"}, {**valid(), "category": "net"}]
    assert rules.parse_catalogue(data, PRIORITIES)[2][1].text("en") == "[[service]] code 'vpn' appears twice"
    data["service_category"].append({"code": "sub", "parent": "nowhere", "en": "S", "zh": "子"})
    assert "parent 'nowhere'" in rules.parse_catalogue(data, PRIORITIES)[2][1].text("en")
