"""The guards of the request use cases (desk/services/requests.py) through the real database that
a removed or inverted line would let pass (issue 19; tools/mutants/services_requests.toml). Each
refusal is checked by the message the user reads, and that nothing was written."""

from __future__ import annotations

import pytest

from desk.domain.errors import NotAllowed, ValidationError
from desk.models import Article, History, ServiceRequest
from desk.services import catalogue, request_intake, request_reads, requests


def new(desk, **kw):
    return requests.create(desk, "li", **{"title": "New laptop", "requester": "Zhang Wei", "checked": ["all"], **kw})


def dispatched(desk, **kw):
    r = new(desk, **kw)
    requests.accept(desk, "li", r.id)
    return requests.dispatch(desk, "li", r.id, to="chen")


def refused(call, key: str):
    with pytest.raises((ValidationError, NotAllowed)) as caught:
        call()
    assert caught.value.key == key, caught.value.message("en")
    return caught.value


def unchanged(desk, r):
    assert request_reads.get(desk, r.id).version == r.version


@pytest.mark.parametrize("values, key", [
    ({"title": "   "}, "error.required"),
    ({"title": "x" * 501}, "error.too_long"),
    ({"requester": "x" * 201}, "error.too_long"),
    ({"attachments": ["quote.pdf", ""]}, "error.required"),
    ({"request_class": "made_up"}, "error.unknown_code"),
    ({"channel": "pigeon"}, "error.unknown_code"),
    ({"priority": 9}, "error.unknown_code"),
])
def test_a_request_with_bad_intake_fields_is_refused_and_not_registered(desk, values, key):
    refused(lambda: new(desk, **values), key)
    assert ServiceRequest.select().count() == 0


def test_the_longest_title_and_requester_are_registered(desk):
    r = new(desk, title="x" * 500, requester="y" * 200)
    assert len(r.title) == 500 and len(r.requester) == 200


def test_the_services_cost_and_approval_flags_apply_and_cannot_be_removed(desk):
    r = new(desk, service="branch-terminal")
    assert r.needs_cost and r.approval_levels == 0
    assert new(desk, service="accounts").approval_levels == 1
    assert new(desk, service="privileged-access").approval_levels == 2
    refused(lambda: new(desk, service="branch-terminal", add_cost=False), "request.error.cannot_remove")
    assert ServiceRequest.select().count() == 3


def test_a_new_request_keeps_its_service_version_group_and_history(desk):
    r = new(desk, service="accounts", group="network")
    assert r.service_version == catalogue.service_version(desk, "accounts").number  # its number, as incidents say
    assert r.group == "network"
    assert r.history[0].changes["service"] == [None, "accounts"]
    assert r.history[0].changes["group"] == [None, "network"]


def test_accepting_at_intake_makes_the_agent_its_owner(desk):
    r = new(desk, accept=True)
    assert r.status == "accepted" and r.owner == "li"


def test_second_line_may_not_call_back_a_request_it_resolved(desk):
    r = requests.fulfil(desk, "chen", dispatched(desk).id, note="installed")
    refused(lambda: requests.callback(desk, "chen", r.id, satisfaction=5), "error.not_allowed")
    refused(lambda: requests.close(desk, "chen", r.id, code="succeeded"), "error.not_allowed")
    unchanged(desk, r)


def test_second_line_may_not_dispatch_to_an_agent_of_another_group(desk):
    r = dispatched(desk)  # chen, systems
    refused(lambda: requests.dispatch(desk, "chen", r.id, to="wang"), "error.not_your_group")
    unchanged(desk, r)
    r = requests.dispatch(desk, "chen", r.id, to="me")
    assert r.handler == "chen" and r.group == "systems"


def test_text_no_database_stores_is_refused_before_anything_is_written(desk):
    r = dispatched(desk)
    refused(lambda: requests.dispatch(desk, "li", r.id, to="chen", note="a\x00b"), "error.nul")
    refused(lambda: requests.cancel(desk, "li", r.id, reason="a\x00b"), "error.nul")
    refused(lambda: requests.return_(desk, "chen", r.id, reason="not ours", suggestion="x" * 1001),
            "error.too_long")
    unchanged(desk, r)


def test_a_cost_in_a_currency_code_over_ten_characters_is_refused(desk):
    r = dispatched(desk, add_cost=True)
    r = requests.ask_cost(desk, "chen", r.id)
    refused(lambda: requests.confirm_cost(desk, "chen", r.id, amount="100", currency="x" * 11,
                                          confirmed_with="Zhang Wei"), "error.too_long")
    unchanged(desk, r)


def test_a_candidate_article_needs_a_title_and_the_right_to_draft(desk):
    r = dispatched(desk)
    refused(lambda: requests.fulfil(desk, "chen", r.id, note="installed", knowledge_title="  "), "error.required")
    refused(lambda: requests.fulfil(desk, "reqm", r.id, note="installed", knowledge_title="Laptops"),
            "error.not_allowed")
    unchanged(desk, r)
    assert Article.select().count() == 0


def test_the_knowledge_note_counts_as_a_change_of_the_request(desk):
    r = dispatched(desk)
    done = requests.fulfil(desk, "chen", r.id, note="installed", knowledge_title="Laptops")
    assert done.version == r.version + 2  # the resolution, then the note
    assert [h.action for h in done.history[-2:]] == ["resolve", "note"]


def test_a_request_silent_for_exactly_the_days_is_auto_closed(desk, clock):
    r = requests.fulfil(desk, "chen", dispatched(desk).id, note="installed")
    clock.advance(days=float(desk.config.request_setting("auto_close_days", 5)))
    assert requests.auto_close(desk, "li") == [r.id]


def test_a_called_back_request_takes_no_place_in_an_auto_close_batch(desk, clock):
    answered = requests.fulfil(desk, "chen", dispatched(desk).id, note="installed")
    silent = requests.fulfil(desk, "chen", dispatched(desk).id, note="installed")
    requests.callback(desk, "li", answered.id, satisfaction=4)
    clock.advance(days=30)
    assert requests.auto_close(desk, "li", limit=1) == [silent.id]


def test_a_request_called_back_while_auto_close_runs_is_left_open(desk, clock, monkeypatch):
    late = requests.fulfil(desk, "chen", dispatched(desk).id, note="installed")
    silent = requests.fulfil(desk, "chen", dispatched(desk).id, note="installed")
    clock.advance(days=30)
    real = requests.write_transaction
    calls = []

    def callback_first(db):  # the requester calls back between the batch's listing and its write
        if not calls:
            requests.callback(desk, "li", late.id, satisfaction=3)
        calls.append(1)
        return real(db)

    monkeypatch.setattr(requests, "write_transaction", callback_first)
    assert requests.auto_close(desk, "li") == [silent.id]
    assert request_reads.get(desk, late.id).status == "resolved"
    closes = History.select().where((History.entity == "request") & (History.action == "auto_close")).count()
    assert closes == 1


# --- the intake (desk/services/request_intake.py; tools/mutants/services_request_intake.toml) ---------

def test_a_service_code_over_its_limit_or_not_published_is_refused(desk):
    from desk.models import Service

    refused(lambda: new(desk, service="x" * 201), "error.too_long")
    Service.update(status="retired").where(Service.code == "accounts").execute()
    refused(lambda: new(desk, service="accounts"), "error.unknown_service")
    assert ServiceRequest.select().count() == 0
    assert "accounts" not in [code for code, _ in request_intake.services(desk, "")]


def test_a_services_own_checklist_items_must_be_ticked_and_all_ticks_them(desk):
    own = [code for code, _ in request_intake.items(desk, request_intake.terms(desk, "accounts"))]
    base = list(request_intake.BASE_ITEMS)
    assert own[:len(base)] == base and len(own) > len(base)
    error = refused(lambda: new(desk, service="accounts", checked=base), "request.error.checklist")
    label = dict(request_intake.items(desk, request_intake.terms(desk, "accounts")))[own[len(base)]]
    assert label in error.message("en")
    refused(lambda: new(desk, checked=[*base, "made_up"]), "request.error.unknown_item")
    assert ServiceRequest.select().count() == 0
    r = new(desk, service="accounts", checked=["all"])
    assert all(item.done for item in r.checklist) and len(r.checklist) == len(own)


def test_the_service_search_finds_what_was_typed_up_to_its_limit(desk):
    assert [code for code, _ in request_intake.services(desk, "ACCOUNTS")] == ["accounts"]
    assert len(request_intake.services(desk, "", limit=2)) == 2
    from desk.services import incidents

    incidents.create(desk, "li", title="VPN drops", impact=2, urgency=2, caller="Li Na")
    assert [name for name, _org in request_intake.requesters(desk, "li")] == ["Li Na"]
    assert request_intake.requesters(desk, "  ") == []  # nothing typed: nobody offered yet
