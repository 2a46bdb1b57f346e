"""A refusal names what a person typed by its label in their language: `desk --lang zh incident new
--title " "` said "title 为必填项" (the field's code in a Chinese sentence), as every text field the
services check did (note, reason, description, root_cause …). Labels: [input_field] in
desk/messages/*/core.toml, read through desk.domain.errors.LABELLED."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from desk.domain.errors import ValidationError
from desk.i18n import catalogue
from desk.services import records

DESK = Path(__file__).resolve().parents[2] / "desk"


def named_fields() -> set[str]:
    """Every field name a refusal can carry: `field="…"` and the name given to records.text and its
    wrappers (`_text(value, "name", …)`)."""
    names: set[str] = set()
    for path in DESK.rglob("*.py"):
        source = path.read_text(encoding="utf-8")
        names |= set(re.findall(r'field="([a-z_]+)"', source))
        names |= set(re.findall(r'(?:records\.text|_text|_required_text)\([^,()]+(?:\([^()]*\))?, "([a-z_]+)"', source))
    return names


def test_the_scan_finds_the_fields_it_is_about():
    assert {"title", "note", "reason", "description", "root_cause", "code"} <= named_fields()


@pytest.mark.parametrize("name", sorted(named_fields()))
def test_every_field_a_refusal_names_has_a_chinese_label(name):
    zh = ValidationError("error.required", field=name).message("zh")
    assert not re.search(r"[A-Za-z]", zh), zh


@pytest.mark.parametrize("lang, said", [("en", "title is required"), ("zh", "标题为必填项")])
def test_a_blank_title_is_refused_by_its_label(lang, said):
    with pytest.raises(ValidationError) as caught:
        records.text("  ", "title", 200, required=True)
    assert caught.value.message(lang) == said


def test_a_long_root_cause_reads_as_words_in_both_languages():
    err = ValidationError("error.too_long", field="root_cause", limit=10)
    assert (err.message("en"), err.message("zh")) == ("root cause is longer than 10 characters", "根本原因超过 10 个字符")


def test_every_label_is_given_in_both_languages():
    en = {k for k in catalogue("en") if k.startswith("input_field.")}
    assert en and en == {k for k in catalogue("zh") if k.startswith("input_field.")}


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_a_form_still_names_a_field_by_its_own_words(desk, lang):
    """(the screens' refusal names the closure code as the form does, not by the general label "code")"""
    from desk.i18n import t
    from desk.screens.actions import explain

    desk.lang = lang
    assert explain(ValidationError("error.required", field="code"), desk) == \
        t("actions.required", lang, field=t("actions.field.code", lang))
