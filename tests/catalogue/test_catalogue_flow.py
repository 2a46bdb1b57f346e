"""The catalogue workflow per role (seed 001): SLR → accept/reject → draft → review → publish."""

from __future__ import annotations

from datetime import timedelta

import pytest

from desk.domain.errors import DeskError, InvalidTransition, NotAllowed, StaleVersion, ValidationError
from desk.domain.sla import Targets
from desk.models import History, Refusal, ServiceVersion
from desk.services import catalogue, catalogue_flow as flow, history

ROLES = ("admin", "li", "zhao", "lead", "wang", "chen", "vend", "appr", "reqm", "ops", "catm", "repm", "repr", "repw")
MAY = {
    "requirement": {"admin", "lead", "ops", "catm"},
    "decide": {"admin", "ops"},
    "draft": {"admin", "catm"},
    "review": {"admin", "ops", "catm"},
    "publish": {"admin", "ops"},
}


def _slr(desk, service="email"):
    return flow.raise_requirement(desk, "catm", title="Bigger mailboxes for branch managers",
                                  need="50 GB per mailbox", source="contract 2026-114", service=service)


def _approved_draft(desk, code="email", **changes):
    req = _slr(desk, code)
    _, draft_id = flow.accept_requirement(desk, "ops", req.id)
    flow.edit_draft(desk, "catm", draft_id, changes or {"summary_en": "Mailboxes of 50 GB, calendars and lists."})
    flow.submit(desk, "catm", draft_id)
    flow.approve(desk, "ops", draft_id, note="review meeting 12")
    return draft_id


def test_the_whole_workflow_publishes_a_new_version_and_never_edits_the_old(desk, clock):
    old = catalogue.service_version(desk, "email")
    before = list(ServiceVersion.select().where(ServiceVersion.id == old.version_id).tuples())
    req = _slr(desk)
    assert [r.id for r in flow.requirements(desk)] == [req.id]
    req, draft_id = flow.accept_requirement(desk, "ops", req.id, note="worth it")
    assert req.status == "accepted" and flow.requirements(desk) == []
    draft = flow.draft(desk, draft_id)
    assert (draft.kind, draft.code, draft.base, draft.status) == ("change", "email", 1, "editing")
    flow.edit_draft(desk, "catm", draft_id, {"targets": {"1": {"response": 10, "resolve": 120}},
                                            "price_en": "Included; 50 GB", "price_zh": "服务包含；50GB"})
    flow.submit(desk, "catm", draft_id)
    assert [d.id for d in flow.drafts(desk, ("in_review",))] == [draft_id]
    flow.return_draft(desk, "ops", draft_id, comments="say who pays for more than 50 GB")
    flow.edit_draft(desk, "catm", draft_id, {"price_en": "Included up to 50 GB; more charged per 10 GB",
                                            "price_zh": "50GB以内包含；超出部分按每10GB收费"})
    flow.submit(desk, "catm", draft_id)
    flow.approve(desk, "ops", draft_id)
    clock.advance(minutes=5)
    flow.publish(desk, "ops", draft_id, note="SLR accepted")
    new = catalogue.service_version(desk, "email")
    assert new.number == 2 and new.targets_for(1) == Targets(10, 120)
    assert new.entry["price_en"].startswith("Included up to 50 GB")
    assert list(ServiceVersion.select().where(ServiceVersion.id == old.version_id).tuples()) == before
    assert catalogue.version_by_id(desk, old.version_id) == old
    assert flow.draft(desk, draft_id).status == "published"
    actions = [h.action for h in History.select().where((History.entity == "catalogue_draft")
                                                          & (History.entity_id == draft_id)).order_by(History.seq)]
    assert actions == ["create", "edit", "submit", "return", "edit", "submit", "approve", "publish"]
    assert history.verify("catalogue_draft", draft_id) is None and history.verify("requirement", req.id) is None
    service_rows = History.select().where((History.entity == "catalogue") & (History.entity_id == new.service_id))
    assert [(h.action, h.changes) for h in service_rows] == [("publish", '{"version":[1,2]}')]


def test_a_ticket_raised_before_a_publish_keeps_its_version_one_raised_after_gets_the_new(desk, clock):
    before = catalogue.service_version(desk, "email")  # what a request raised now stores
    draft_id = _approved_draft(desk, targets={"2": {"response": 5, "resolve": 60}})
    clock.advance(minutes=1)
    flow.publish(desk, "ops", draft_id, effective_at=clock() + timedelta(hours=2))
    assert catalogue.service_version(desk, "email") == before  # not in force yet
    clock.advance(hours=2)
    after = catalogue.service_version(desk, "email")
    assert after.number == 2 and after.targets_for(2) == Targets(5, 60)
    assert catalogue.version_by_id(desk, before.version_id).targets_for(2) == before.targets_for(2) != Targets(5, 60)


def test_a_new_service_from_an_slr(desk, clock):
    req = flow.raise_requirement(desk, "ops", title="Mobile banking app support", source="retail division")
    with pytest.raises(ValidationError):
        flow.accept_requirement(desk, "ops", req.id)  # a new service needs its code
    _, draft_id = flow.accept_requirement(desk, "ops", req.id, code="mobile-app")
    assert flow.draft(desk, draft_id).kind == "new"
    with pytest.raises(ValidationError) as err:
        flow.submit(desk, "catm", draft_id)  # empty: the first problem is named
    assert err.value.message("en") == "category is required"
    fields = {"category": "application.business", "name_en": "Mobile banking app", "name_zh": "手机银行",
              "summary_en": "Support for the bank's mobile app.", "summary_zh": "手机银行应用支持。",
              "targets": {p: {"response": 15, "resolve": 240} for p in ("1", "2", "3", "4")}}
    flow.edit_draft(desk, "catm", draft_id, fields)
    flow.submit(desk, "catm", draft_id)
    flow.approve(desk, "ops", draft_id)
    flow.publish(desk, "ops", draft_id)
    terms = catalogue.service_version(desk, "mobile-app")
    assert terms.number == 1 and terms.orderable and terms.name("zh") == "手机银行"


def test_rejecting_an_slr_needs_a_reason_and_ends_it(desk):
    req = _slr(desk)
    with pytest.raises(ValidationError):
        flow.reject_requirement(desk, "ops", req.id, reason=" ")
    flow.reject_requirement(desk, "ops", req.id, reason="covered by the existing quota")
    assert flow.requirement(desk, req.id).reason == "covered by the existing quota"
    with pytest.raises(InvalidTransition) as err:
        flow.accept_requirement(desk, "ops", req.id)
    assert err.value.message("en") == "cannot accept it: the service-level requirement is rejected"
    assert err.value.message("zh") == "无法接受：该服务水平需求当前为已拒绝"


def test_retiring_a_service_through_a_draft(desk, clock):
    draft_id = flow.open_draft(desk, "catm", code="conference", kind="retire")
    with pytest.raises(ValidationError):
        flow.edit_draft(desk, "catm", draft_id, {"summary_en": "x"})
    flow.submit(desk, "catm", draft_id)
    flow.approve(desk, "ops", draft_id)
    clock.advance(minutes=1)
    flow.publish(desk, "ops", draft_id)
    terms = catalogue.service_version(desk, "conference")
    assert terms.status == "retired" and not terms.orderable and terms.number == 2
    assert "conference" not in {s.code for s in catalogue.published_services(desk)}
    with pytest.raises(ValidationError):
        flow.open_draft(desk, "catm", code="conference", kind="change")


@pytest.mark.parametrize("changes, message", [
    ({"targets": {"1": {"response": 60, "resolve": 30}}},
     "targets of priority 1: the resolution target (30 min) is shorter than the response target (60 min)"),
    ({"targets": {"3": {"response": -5, "resolve": 30}}}, "targets of priority 3: -5 is not a number of minutes (1 to 525600)"),
    ({"name_zh": ""}, "name (Chinese) is required"),
    ({"category": "nowhere"}, "category: there is no category nowhere"),
    ({"colour": "red"}, "a catalogue entry has no field colour"),
])
def test_an_edit_that_breaks_a_rule_says_exactly_what_and_changes_nothing(desk, changes, message):
    draft_id = flow.open_draft(desk, "catm", code="email")
    before = flow.draft(desk, draft_id)
    with pytest.raises(ValidationError) as err:
        flow.edit_draft(desk, "catm", draft_id, changes)
    assert err.value.message("en") == message
    after = flow.draft(desk, draft_id)
    assert (after.entry, after.version) == (before.entry, before.version)


def test_nobody_approves_their_own_draft_and_the_refusal_is_recorded(desk):
    draft_id = flow.open_draft(desk, "admin", code="email")
    flow.edit_draft(desk, "admin", draft_id, {"summary_en": "Mail."})
    flow.submit(desk, "admin", draft_id)
    with pytest.raises(NotAllowed):
        flow.approve(desk, "admin", draft_id)
    assert Refusal.select().where(Refusal.action == "catalogue_draft.approve").count() == 1
    flow.approve(desk, "ops", draft_id)


def test_a_stale_version_is_refused(desk):
    draft_id = flow.open_draft(desk, "catm", code="email")
    flow.edit_draft(desk, "catm", draft_id, {"summary_en": "Mail."}, expect_version=1)
    with pytest.raises(StaleVersion):
        flow.edit_draft(desk, "catm", draft_id, {"summary_en": "Mail!"}, expect_version=1)


def test_publication_may_require_an_approved_change(desk, clock):
    desk.config.data["change"] = {**desk.config.data.get("change", {}), "publication_requires_change": True}
    draft_id = _approved_draft(desk)
    with pytest.raises(ValidationError) as err:
        flow.publish(desk, "ops", draft_id)
    assert "--change" in err.value.message("en")
    with pytest.raises(DeskError):
        flow.publish(desk, "ops", draft_id, change=999)
    assert flow.draft(desk, draft_id).status == "approved"


def test_a_publication_under_a_change_names_it_in_the_draft_s_history(desk, clock):
    from desk.services import changes
    from desk.services.linking import history_entries

    desk.config.data["change"] = {**desk.config.data.get("change", {}), "publication_requires_change": True}
    draft_id = _approved_draft(desk)
    code = flow.draft(desk, draft_id).code
    c = changes.create(desk, "wang", title="Publish the new entry", reason="catalogue", services=code)
    c = changes.assess(desk, "ops", changes.submit(desk, "wang", c.id).id, risk="low", impact="none",
                       implementation_plan="publish it", backout_plan="publish the old version again")
    c = changes.approve(desk, "appr", c.id)
    flow.publish(desk, "ops", draft_id, change=c.id)
    last = history_entries(desk, "catalogue_draft", draft_id)[-1]
    assert (last.action, last.changes.get("change")) == ("publish", [None, c.id])


# --- every step × every role ---------------------------------------------------------------------

def _attempt(desk, step, login):
    if step == "requirement":
        return _slr(desk) and None
    if step == "decide":
        req = _slr(desk)
        return flow.accept_requirement(desk, login, req.id)
    if step == "draft":
        return flow.open_draft(desk, login, code="email")
    draft_id = flow.open_draft(desk, "catm", code="email")
    flow.edit_draft(desk, "catm", draft_id, {"summary_en": f"Mail, as {login} saw it."})
    flow.submit(desk, "catm", draft_id)
    if step == "review":
        return flow.return_draft(desk, login, draft_id, comments="more detail")
    flow.approve(desk, "ops", draft_id)
    return flow.publish(desk, login, draft_id)


@pytest.mark.parametrize("step", sorted(MAY))
def test_each_step_by_each_role(desk, step):
    for login in ROLES:
        refusals = Refusal.select().count()
        if step == "requirement":
            call = lambda: flow.raise_requirement(desk, login, title="t")  # noqa: E731
        else:
            call = lambda: _attempt(desk, step, login)  # noqa: E731
        if login in MAY[step]:
            call()
        else:
            with pytest.raises(NotAllowed):
                call()
            assert Refusal.select().count() == refusals + 1, (step, login)


def test_desk_check_covers_requirements_and_drafts(desk):
    from desk.services import check

    _approved_draft(desk)
    flow.raise_requirement(desk, "catm", title="Kiosk support")
    report = check.run_check(desk)
    assert report.problems == [] and report.tickets == 3  # two requirements, one draft
    draft = flow.drafts(desk)[0]
    from desk.models import CatalogueDraft

    CatalogueDraft.update(status="published").where(CatalogueDraft.id == draft.id).execute()  # behind desk's back
    assert [(p.kind, p.entity) for p in check.run_check(desk).problems] == [("status", "catalogue_draft")]
