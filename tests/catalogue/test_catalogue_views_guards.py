"""The catalogue as scripts and readers get it (issue 19, tools/mutants/services_catalogue_views.toml):
`--json` of a version, a requirement and a draft (docs/json.md: times to the second, a version by its
number, nulls where nothing is named yet), and each field of an entry as `desk catalogue show` / `diff`
and the F4 screen show it, in English and Chinese: a dash for nothing, flags as yes/no, target pairs,
checklist labels, a category, the service hours and the owning group by their names."""

from __future__ import annotations

import dataclasses
import json
from datetime import datetime, timedelta

import pytest

from desk import cli
from desk.services import catalogue, catalogue_flow as flow
from desk.services.catalogue_views import draft_json, field_value, requirement_json, terms_json


def _plain(value) -> dict:
    return json.loads(json.dumps(value))


def _second(text: str) -> datetime:
    assert "." not in text, text
    return datetime.fromisoformat(text)


@pytest.fixture
def zh(desk):
    return dataclasses.replace(desk, lang="zh")


def test_a_version_as_json_by_its_number_effective_when_it_takes_effect(desk, clock):
    clock.advance(seconds=1.25)
    draft = flow.open_draft(desk, "catm", code="email")
    flow.edit_draft(desk, "catm", draft, {"price_en": "Per seat", "price_zh": "按席位"})
    flow.submit(desk, "catm", draft)
    flow.approve(desk, "ops", draft)
    later = clock.now + timedelta(days=3)
    flow.publish(desk, "ops", draft, effective_at=later)
    (newest,) = [v for v in catalogue.versions(desk, "email") if v.number == 2]
    assert newest.version_id != newest.number  # (else the test could not tell them apart)
    shown = _plain(terms_json(newest))
    assert (shown["code"], shown["version"], shown["version_id"], shown["status"]) == (
        "email", 2, newest.version_id, "published")
    assert _second(shown["published_at"]) == clock.now.replace(microsecond=0)
    assert _second(shown["effective_at"]) == later.replace(microsecond=0)
    assert shown["entry"]["price_zh"] == "按席位" and shown["entry"]["hours"] == "24x7"


def test_a_requirement_as_json_names_its_service_and_decider_or_null(desk):
    open_one = flow.raise_requirement(desk, "catm", title="Fax to mail", need="a fax line")
    shown = _plain(requirement_json(flow.requirement(desk, open_one.id)))
    assert (shown["service"], shown["decided_by"], shown["raised_by"], shown["status"]) == (
        None, None, "catm", "open")
    for_email = flow.raise_requirement(desk, "catm", title="Bigger mailboxes", service="email")
    flow.accept_requirement(desk, "ops", for_email.id)
    shown = _plain(requirement_json(flow.requirement(desk, for_email.id)))
    assert (shown["service"], shown["decided_by"], shown["raised_by"], shown["status"]) == (
        "email", "ops", "catm", "accepted")


def test_a_draft_as_json_names_its_base_or_null_and_what_keeps_it_from_submission(desk):
    new = flow.open_draft(desk, "catm", code="fax-to-mail", kind="new")
    shown = _plain(draft_json(desk, flow.draft(desk, new)))
    assert (shown["kind"], shown["base"], shown["created_by"]) == ("new", None, "catm")
    assert {p["field"] for p in shown["problems"]} >= {"name_en", "category"}
    change = flow.open_draft(desk, "catm", code="email")
    shown = _plain(draft_json(desk, flow.draft(desk, change)))
    assert (shown["kind"], shown["base"], shown["problems"]) == ("change", 1, [])


def test_nothing_is_a_dash_and_flags_read_yes_or_no_in_the_users_language(desk, zh):
    assert [field_value(desk, "price_en", v) for v in (None, "")] == ["—", "—"]
    assert [field_value(desk, "needs_approval", v) for v in (True, False)] == ["yes", "no"]
    assert [field_value(zh, "needs_approval", v) for v in (True, False)] == ["是", "否"]


def test_a_target_pair_names_response_and_resolution(desk, zh):
    pair = {"response": 15, "resolve": 240}
    assert field_value(desk, "targets", pair) == "response 15 min, resolution 240 min"
    assert field_value(zh, "targets", pair) == "响应 15 分钟，解决 240 分钟"


def test_a_checklist_reads_as_its_labels_in_the_users_language_else_english(desk, zh):
    items = [{"en": "Mailbox owner", "zh": "邮箱所有人"}, {"en": "Cost centre"}]
    assert field_value(desk, "checklist", items) == "Mailbox owner; Cost centre"
    assert field_value(zh, "checklist", items) == "邮箱所有人; Cost centre"
    assert field_value(desk, "checklist", []) == "—"


def test_a_category_by_its_name_and_one_no_longer_there_by_its_code(desk, zh):
    assert field_value(desk, "category", "application.office") == "Office applications (application.office)"
    assert field_value(zh, "category", "application.office") == "办公应用 (application.office)"
    assert field_value(desk, "category", "gone") == "gone"
    # a screen passes the names it read already: those are shown, nothing read again
    assert field_value(desk, "category", "application.office", {"application.office": "As read"}) == (
        "As read (application.office)")


def test_service_hours_and_the_owner_by_their_names(desk, zh):
    assert field_value(desk, "hours", "business") == "Business hours, 09:00–18:00 Mon–Fri (business)"
    assert field_value(zh, "hours", "business") == "工作时间，周一至周五 09:00–18:00 (business)"
    assert field_value(desk, "hours", "Mon-Fri 07:00-19:00") == "Mon-Fri 07:00-19:00"  # hours written as text
    assert field_value(desk, "owner", "systems") == "Systems team (systems)"
    assert field_value(zh, "owner", "systems") == "系统组 (systems)"
    assert field_value(desk, "owner", "Facilities") == "Facilities"


def test_desk_catalogue_show_reads_every_field_as_a_user_does(desk, db_url, capsys):
    desk.close()
    assert cli.main(["--db", db_url, "--lang", "zh", "catalogue", "show", "email"]) == 0
    out = capsys.readouterr().out
    assert "办公应用 (application.office)" in out and "系统组 (systems)" in out
    assert "None" not in out and "False" not in out and "否" in out
