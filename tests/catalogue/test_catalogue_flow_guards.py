"""The catalogue workflow's guards through the real database (issue 19;
tools/mutants/services_catalogue_flow.toml): each refusal names what is wrong and writes nothing;
who decided an SLR is kept; a draft is filled a field at a time; nobody approves a retirement they
opened; two drafts of one new service publish once."""

from __future__ import annotations

import pytest

from desk.domain.errors import NotAllowed, NotFound, ValidationError
from desk.models import CatalogueDraft, CatalogueRequirement, History, Service
from desk.services import catalogue, catalogue_flow as flow
from desk.services.linking import history_entries


def counts() -> tuple[int, int, int, int]:
    return (CatalogueRequirement.select().count(), CatalogueDraft.select().count(), Service.select().count(),
            History.select().count())


def refused(call, error=ValidationError, key: str | None = None):
    before = counts()
    with pytest.raises(error) as caught:
        call()
    if key:
        assert caught.value.key == key, caught.value.message("en")
    assert counts() == before
    return caught.value


def test_an_slr_needs_a_title_of_at_most_200_characters_and_a_service_the_catalogue_has(desk):
    refused(lambda: flow.raise_requirement(desk, "catm", title=" "))
    refused(lambda: flow.raise_requirement(desk, "catm", title="t" * 201))
    err = refused(lambda: flow.raise_requirement(desk, "catm", title="Kiosks", service="kiosk"),
                  key="error.unknown_service")
    assert "kiosk" in err.message("en")
    assert flow.raise_requirement(desk, "catm", title="t" * 200).title == "t" * 200


def test_accepting_an_slr_for_a_new_service_refuses_a_bad_or_taken_code(desk):
    req = flow.raise_requirement(desk, "catm", title="Mobile banking app support")
    refused(lambda: flow.accept_requirement(desk, "ops", req.id, code="Mobile App"), key="catalogue.invalid.code")
    refused(lambda: flow.accept_requirement(desk, "ops", req.id, code="email"), key="catalogue.error.code_taken")
    assert flow.requirement(desk, req.id).status == "open"


def test_an_slr_keeps_who_accepted_or_rejected_it(desk):
    req = flow.raise_requirement(desk, "catm", title="More mailbox space", service="email")
    accepted, _ = flow.accept_requirement(desk, "ops", req.id)
    rejected = flow.reject_requirement(desk, "admin", flow.raise_requirement(desk, "catm", title="Fax").id,
                                       reason="nobody faxes")
    assert accepted.decided_by.login == "ops" and rejected.decided_by.login == "admin"


@pytest.mark.parametrize("kw, error, key", [
    ({"code": "email", "kind": "merge"}, ValidationError, "catalogue.error.kind"),
    ({"code": "Kiosk Support", "kind": "new"}, ValidationError, "catalogue.invalid.code"),
    ({"code": "email", "kind": "new"}, ValidationError, "catalogue.error.code_taken"),
    ({"code": "kiosk", "kind": "change"}, NotFound, None),
    ({"code": "email", "kind": "change", "requirement": 999}, NotFound, None),
])
def test_opening_a_draft_refuses_what_does_not_fit_and_writes_nothing(desk, kw, error, key):
    refused(lambda: flow.open_draft(desk, "catm", **kw), error, key)


def test_a_new_services_draft_is_filled_a_field_at_a_time_each_edit_recorded(desk):
    draft_id = flow.open_draft(desk, "catm", code="kiosk", kind="new")
    flow.edit_draft(desk, "catm", draft_id, {"category": "application.business"})  # the rest still empty
    flow.edit_draft(desk, "catm", draft_id, {"name_en": "Kiosks", "name_zh": "自助终端"})
    last = history_entries(desk, "catalogue_draft", draft_id)[-1]
    assert last.action == "edit" and last.changes == {"name_en": ["", "Kiosks"], "name_zh": ["", "自助终端"]}
    assert flow.entry_of(flow.draft(desk, draft_id))["category"] == "application.business"


@pytest.mark.parametrize("changes, key", [
    ({"code": "mail"}, "catalogue.error.field"),
    ({"targets": "fast"}, "catalogue.invalid.targets"),
    ({"summary_en": "same"}, "catalogue.error.no_change"),  # the entry's own summary: nothing changes
])
def test_an_edit_of_the_code_to_a_non_table_or_changing_nothing_is_refused(desk, changes, key):
    draft_id = flow.open_draft(desk, "catm", code="email")
    if changes == {"summary_en": "same"}:
        changes = {"summary_en": flow.entry_of(flow.draft(desk, draft_id))["summary_en"]}
    before = flow.draft(desk, draft_id)
    refused(lambda: flow.edit_draft(desk, "catm", draft_id, changes), key=key)
    assert flow.draft(desk, draft_id).version == before.version


def test_whoever_opened_a_retirement_does_not_approve_it(desk):
    draft_id = flow.open_draft(desk, "catm", code="conference", kind="retire")
    flow.submit(desk, "catm", draft_id)
    with pytest.raises(NotAllowed):
        flow.approve(desk, "catm", draft_id)
    assert flow.approve(desk, "ops", draft_id).status == "approved"


def test_returning_needs_comments_and_withdrawing_a_reason(desk):
    draft_id = flow.open_draft(desk, "catm", code="email")
    flow.edit_draft(desk, "catm", draft_id, {"summary_en": "Mail."})
    flow.submit(desk, "catm", draft_id)
    refused(lambda: flow.return_draft(desk, "ops", draft_id, comments="  "))
    refused(lambda: flow.withdraw(desk, "catm", draft_id, reason=""))
    assert flow.draft(desk, draft_id).status == "in_review"


def _ready_new(desk, code):
    draft_id = flow.open_draft(desk, "catm", code=code, kind="new")
    flow.edit_draft(desk, "catm", draft_id, {
        "category": "application.business", "name_en": "Kiosks", "name_zh": "自助终端",
        "summary_en": "Branch kiosks.", "summary_zh": "网点自助终端。",
        "targets": {p: {"response": 15, "resolve": 240} for p in ("1", "2", "3", "4")}})
    flow.submit(desk, "catm", draft_id)
    flow.approve(desk, "ops", draft_id)
    return draft_id


def test_two_drafts_of_one_new_service_publish_once(desk, clock):
    first, second = _ready_new(desk, "kiosk"), _ready_new(desk, "kiosk")
    flow.publish(desk, "ops", first)
    refused(lambda: flow.publish(desk, "ops", second), key="catalogue.error.code_taken")
    assert flow.draft(desk, second).status == "approved" and len(catalogue.versions(desk, "kiosk")) == 1


def test_the_slr_inbox_is_oldest_first(desk):
    made = [flow.raise_requirement(desk, "catm", title=t).id for t in ("first", "second", "third")]
    assert [r.id for r in flow.requirements(desk)] == made
