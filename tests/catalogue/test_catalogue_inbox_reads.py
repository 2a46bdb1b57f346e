"""What the catalogue inbox screens read (desk/services/catalogue_inbox.py), through the real
database (issue 19; tools/mutants/services_catalogue_inbox.toml): a draft named in the reader's
language (else the other, else its code), what still stops it being submitted, who opened it;
an SLR with its service, who decided it and its history; a draft beside the version it started from."""

from __future__ import annotations

from desk.services import catalogue, catalogue_flow as flow, catalogue_inbox as inbox


def test_a_draft_is_named_in_the_readers_language_else_the_other_else_its_code(desk):
    draft_id = flow.open_draft(desk, "catm", code="kiosk", kind="new")
    detail = inbox.draft_detail(desk, draft_id)
    assert detail.title == "kiosk" and detail.author == "catm"
    assert [p.field for p in detail.problems][:2] == ["category", "name_en"]  # what stops its submission
    flow.edit_draft(desk, "catm", draft_id, {"name_en": "Kiosks"})  # the Chinese name still to come
    assert inbox.draft_detail(desk, draft_id).title == "Kiosks"
    desk.lang = "zh"
    assert inbox.draft_detail(desk, draft_id).title == "Kiosks"
    flow.edit_draft(desk, "catm", draft_id, {"name_zh": "自助终端"})
    assert inbox.draft_detail(desk, draft_id).title == "自助终端"


def test_an_slr_shows_its_service_who_decided_it_and_its_history(desk):
    req = flow.raise_requirement(desk, "catm", title="Bigger mailboxes", service="email")
    flow.reject_requirement(desk, "ops", req.id, reason="covered by the quota")
    detail = inbox.requirement_detail(desk, req.id)
    assert (detail.service, detail.raised_by, detail.decided_by, detail.reason) == (
        "email", "catm", "ops", "covered by the quota")
    assert [h.action for h in detail.history] == ["create", "reject"]


def test_a_draft_is_compared_with_the_version_it_started_from(desk, clock):
    draft_id = flow.open_draft(desk, "catm", code="email")
    flow.edit_draft(desk, "catm", draft_id, {"summary_en": "Mail, as the draft has it."})
    other = flow.open_draft(desk, "catm", code="email")  # a second draft, published first
    flow.edit_draft(desk, "catm", other, {"summary_en": "Mail, as published meanwhile."})
    flow.submit(desk, "catm", other)
    flow.approve(desk, "ops", other)
    clock.advance(minutes=1)
    flow.publish(desk, "ops", other)
    assert catalogue.service_version(desk, "email").number == 2
    base, terms = inbox.draft_and_base(desk, draft_id, "this draft")
    assert (base.number, base.status) == (1, "published")
    assert (terms.code, terms.number, terms.status) == ("email", "this draft", "published")
    assert terms.entry["summary_en"] == "Mail, as the draft has it."
    new_base, new_terms = inbox.draft_and_base(desk, flow.open_draft(desk, "catm", code="kiosk", kind="new"), "x")
    assert new_base is None and new_terms.status == "draft"
