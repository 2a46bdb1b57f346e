"""A catalogue entry without a code, service hours or approval levels is told the field is required,
in a whole sentence: before, the sentence about a malformed value was used with an empty one and
read "the code  must be 1 to 64 …" (two spaces where the code was; "None" for a JSON null)."""

from __future__ import annotations

import pytest

from desk.domain import catalogue as rules

from test_catalogue_rules import CATEGORIES, PRIORITIES, valid


def said(change: dict, lang: str) -> list[str]:
    entry = valid()
    entry.update(change)
    return [rules.describe(p, lang) for p in rules.problems(entry, PRIORITIES, CATEGORIES, {"24x7"})]


@pytest.mark.parametrize("change, en, zh", [
    ({"code": ""}, "code is required", "代码为必填项"),
    ({"code": None}, "code is required", "代码为必填项"),
    ({"hours": ""}, "service hours is required", "服务时间为必填项"),
    ({"hours": None}, "service hours is required", "服务时间为必填项"),
    ({"needs_approval": True, "approval_levels": None}, "approval levels is required", "审批层级为必填项"),
])
def test_a_missing_value_is_said_to_be_required(change, en, zh):
    assert (said(change, "en"), said(change, "zh")) == ([en], [zh])


@pytest.mark.parametrize("change, en", [
    ({"code": "Mobile App"}, "the code Mobile App must be 1 to 64 lower-case letters, digits, '.', '-' or '_'"),
    ({"code": 7}, "the code 7 must be 1 to 64 lower-case letters, digits, '.', '-' or '_'"),
    ({"hours": "Week Days"}, "service hours: Week Days is not a calendar name"),
])
def test_a_malformed_value_is_still_named(change, en):
    assert said(change, "en") == [en]


@pytest.mark.parametrize("change", [{"code": ""}, {"hours": ""}, {"code": None}, {"approval_levels": None}])
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_no_sentence_has_a_gap_or_a_none_where_a_value_was_missing(change, lang):
    for text in said(change, lang):
        assert "  " not in text and "None" not in text, text
