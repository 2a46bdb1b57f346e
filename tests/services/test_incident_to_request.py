"""An incident that is really a service request becomes one (issue 14; 200.2, seed 002/003): the
incident is closed with the closure code 'converted to a service request' and the request opened
from it in ONE transaction, accepted by the agent, linked both ways, both histories saying so.
Who may, from which states, the intake checklist, a stale version: refused, nothing written.
Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from desk.domain import incident_flow
from desk.domain import request_convert as convert
from desk.domain.errors import InvalidTransition, NotAllowed, StaleVersion, ValidationError
from desk.models import History, Incident, Refusal, ServiceRequest
from desk.services import incidents, lookup, request_convert, request_reads


def _incident(desk, **kw) -> int:
    return incidents.create(desk, "li", title="New laptop for the new starter", impact=3, urgency=2,
                            caller="Wang Fang", description="she starts on Monday", source="email", **kw).id


def _counts():
    return ServiceRequest.select().count(), History.select().count()


def test_the_incident_is_closed_and_the_request_opened_from_it_accepted_by_the_agent(desk):
    incident_id = _incident(desk, service="desktop")
    made = request_convert.to_request(desk, "li", incident_id, reason="she asks for a laptop: nothing is broken",
                                      checked=["all"])
    inc = incidents.get(desk, incident_id)
    assert (inc.status, inc.closure_code, inc.closed_at) == ("closed", "to_request", desk.now())
    assert (made.title, made.description, made.requester, made.service) == (
        "New laptop for the new starter", "she starts on Monday", "Wang Fang", "desktop")
    assert (made.status, made.owner, made.priority, made.channel) == ("accepted", "li", inc.priority, "email")
    assert all(item.done for item in made.checklist)
    # linked both ways: the request names its incident, the incident its request
    assert made.incident == incident_id and convert.direction(made.close_code) == convert.FROM
    assert inc.requests == [(made.id, convert.FROM)]


def test_both_histories_record_it_and_the_incident_version_counts_both_rows(desk):
    incident_id = _incident(desk)
    made = request_convert.to_request(desk, "li", incident_id, reason="a request", checked=["all"])
    inc = incidents.get(desk, incident_id)
    assert [h.action for h in inc.history[-2:]] == ["to_request", "request_linked"]
    assert inc.history[-2].note == "a request" and inc.history[-1].changes == {"request": [None, made.id]}
    assert inc.version == Incident.get_by_id(incident_id).version == 3
    created = request_reads.get(desk, made.id).history[0]
    assert created.action == "create" and f"#{incident_id}" in created.note
    assert created.changes["incident"] == [None, incident_id]


@pytest.mark.parametrize("login", ["li", "lead", "admin"])
def test_the_desk_and_leads_may_convert(desk, login):
    incident_id = _incident(desk)
    assert request_convert.to_request(desk, login, incident_id, reason="a request", checked=["all"]).owner == login


@pytest.mark.parametrize("login", ["wang", "vend", "appr", "reqm", "repw"])
def test_others_are_refused_nothing_written_and_the_refusal_recorded(desk, login):
    incident_id = _incident(desk)
    if login == "wang":  # second line, holding it: still not theirs to reclassify
        incidents.escalate(desk, "li", incident_id, to="network", reason="looks like the network")
    before, version = _counts(), Incident.get_by_id(incident_id).version
    with pytest.raises(NotAllowed):
        request_convert.to_request(desk, login, incident_id, reason="a request", checked=["all"])
    assert _counts() == before and Incident.get_by_id(incident_id).version == version
    assert Refusal.select().where((Refusal.actor == login) & (Refusal.entity_id == incident_id)).count() == 1


def test_a_stale_version_is_refused_and_nothing_written(desk):
    incident_id = _incident(desk)
    seen = Incident.get_by_id(incident_id).version
    incidents.note(desk, "zhao", incident_id, text="called her back")
    before = _counts()
    with pytest.raises(StaleVersion):
        request_convert.to_request(desk, "li", incident_id, reason="a request", checked=["all"], expect_version=seen)
    assert _counts() == before and Incident.get_by_id(incident_id).status == "new"


def test_the_version_the_user_saw_is_accepted(desk):
    incident_id = _incident(desk)
    seen = Incident.get_by_id(incident_id).version
    assert request_convert.to_request(desk, "li", incident_id, reason="a request", checked=["all"],
                                      expect_version=seen).incident == incident_id


@pytest.mark.parametrize("reason,checked", [("  ", ["all"]), ("a request", []), ("a request", ["identity"])])
def test_a_reason_and_the_whole_intake_checklist_are_required(desk, reason, checked):
    incident_id = _incident(desk)
    before = _counts()
    with pytest.raises(ValidationError) as caught:
        request_convert.to_request(desk, "li", incident_id, reason=reason, checked=checked)
    assert _counts() == before and Incident.get_by_id(incident_id).status == "new"
    if reason.strip():  # the missing items are named
        assert "Details complete" in caught.value.message("en")


def test_the_service_checklist_items_count(desk):
    incident_id = _incident(desk, service="desktop")
    with pytest.raises(ValidationError):
        request_convert.to_request(desk, "li", incident_id, reason="a request",
                                   checked=["identity", "details", "type", "scope"])
    assert Incident.get_by_id(incident_id).status == "new"


@pytest.mark.parametrize("status", ["resolved", "closed"])
def test_a_resolved_or_closed_incident_cannot_be_converted(desk, status):
    incident_id = _incident(desk)
    incidents.resolve(desk, "li", incident_id, code="fixed", note="done")
    if status == "closed":
        incidents.close(desk, "li", incident_id, confirmed=True)
    before = _counts()
    with pytest.raises(InvalidTransition):
        request_convert.to_request(desk, "li", incident_id, reason="a request", checked=["all"])
    assert _counts() == before


def test_the_rule_allows_every_open_status_and_nothing_else():
    for status in incident_flow.STATUSES:
        state = incident_flow.IncidentState(status)
        if status in incident_flow.OPEN:
            assert convert.plan_to_request(state, None, "req")["closure_code"] == incident_flow.TO_REQUEST
        else:
            with pytest.raises(InvalidTransition):
                convert.plan_to_request(state, None, "req")


def test_the_conversion_code_is_not_a_code_resolve_or_close_may_use(desk):
    incident_id = _incident(desk)
    with pytest.raises(ValidationError):
        incidents.resolve(desk, "li", incident_id, code="to_request", note="done")
    incidents.resolve(desk, "li", incident_id, code="fixed", note="done")
    with pytest.raises(ValidationError):
        incidents.close(desk, "li", incident_id, code="to_request", confirmed=True)
    assert "to_request" not in [c.code for c in lookup.closure_codes(desk)]
    assert desk.config.label("closure_code", "to_request", "zh") == "转为服务请求"


def test_a_request_opened_from_an_incident_is_not_turned_back_into_one(desk):
    incident_id = _incident(desk)
    made = request_convert.to_request(desk, "li", incident_id, reason="a request", checked=["all"])
    before = Incident.select().count()
    with pytest.raises(InvalidTransition) as caught:
        request_convert.to_incident(desk, "li", made.id, reason="a fault after all")
    assert f"#{incident_id}" in caught.value.message("en") and Incident.select().count() == before


def test_an_incident_opened_from_a_request_names_it(desk):
    from desk.services import requests

    request_id = requests.create(desk, "li", title="Shared drive gone", checked=["all"], accept=True).id
    made = request_convert.to_incident(desk, "li", request_id, reason="a fault")
    assert incidents.get(desk, made.incident).requests == [(request_id, convert.INTO)]
    assert incidents.get(desk, made.incident).to_json()["requests"] == [{"id": request_id, "direction": "into"}]
