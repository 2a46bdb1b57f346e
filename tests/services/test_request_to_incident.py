"""A request that is really a fault becomes an incident (issue 14, seed 003 / domain.md): one
transaction, both records linked, both histories say so, the request closed as 'converted'. A
refusal anywhere writes nothing. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest

from desk.domain import request_convert as convert
from desk.domain import request_flow as flow
from desk.domain.errors import InvalidTransition, NotAllowed, StaleVersion, ValidationError
from desk.models import History, Incident, ServiceRequest
from desk.services import incidents, request_convert, requests


def _request(desk, **kw):
    made = requests.create(desk, "li", title="Printer on floor 3 prints blank pages", requester="Zhang Wei",
                           description="since this morning", channel="email", checked=["all"], accept=True, **kw)
    return made.id


def _history(entity: str, record_id: int) -> list[History]:
    return list(History.select().where((History.entity == entity) & (History.entity_id == record_id))
                .order_by(History.seq))


def _counts():
    return Incident.select().count(), History.select().count()


def test_the_request_is_closed_as_converted_and_the_incident_opened_from_it(desk):
    request_id = _request(desk)
    done = request_convert.to_incident(desk, "li", request_id, reason="a broken printer is a fault", impact=2,
                                       urgency=2, category="hardware")
    assert (done.status, done.close_code) == ("closed", "converted") and done.incident
    inc = incidents.get(desk, done.incident)
    assert (inc.title, inc.description, inc.status) == ("Printer on floor 3 prints blank pages", "since this morning",
                                                        "new")
    assert inc.caller == "Zhang Wei" and inc.source == "email" and inc.category == "hardware"
    assert inc.priority == desk.config.matrix.priority(2, 2)


def test_both_histories_record_it(desk):
    request_id = _request(desk)
    done = request_convert.to_incident(desk, "li", request_id, reason="a fault")
    request_rows = _history("request", request_id)
    assert [h.action for h in request_rows[-2:]] == ["to_incident", "incident_linked"]
    assert request_rows[-2].note == "a fault" and str(done.incident) in request_rows[-1].changes
    created = _history("incident", done.incident)[0]
    assert created.action == "create" and f"R{request_id}" in created.note and str(request_id) in created.changes
    assert done.version == ServiceRequest.get_by_id(request_id).version


def test_a_reason_is_required_and_nothing_is_written_without_it(desk):
    request_id = _request(desk)
    before = _counts()
    with pytest.raises(ValidationError):
        request_convert.to_incident(desk, "li", request_id, reason="  ")
    assert _counts() == before and ServiceRequest.get_by_id(request_id).status == "accepted"


@pytest.mark.parametrize("status", ["resolved", "closed"])
def test_a_resolved_or_closed_request_cannot_be_converted(desk, status):
    request_id = _request(desk)
    requests.dispatch(desk, "li", request_id, to="chen")
    requests.fulfil(desk, "chen", request_id, note="done")
    if status == "closed":
        requests.callback(desk, "li", request_id, satisfaction=4)
        requests.close(desk, "li", request_id)
    before = _counts()
    with pytest.raises(InvalidTransition):
        request_convert.to_incident(desk, "li", request_id, reason="a fault")
    assert _counts() == before


def test_an_agent_who_may_not_open_incidents_cannot_convert(desk):
    from desk.services import agents

    agents.save_agent(desk, "admin", agent_login="boss", name="Boss", roles=["approver"], group=None)
    request_id = _request(desk)
    before = _counts()
    with pytest.raises(NotAllowed):
        request_convert.to_incident(desk, "boss", request_id, reason="a fault")
    assert _counts() == before


def test_the_incident_refused_writes_nothing_on_the_request_either(desk):
    """An unknown group for the incident fails inside the transaction: the request stays open."""
    request_id = _request(desk)
    version = ServiceRequest.get_by_id(request_id).version
    before = _counts()
    with pytest.raises(ValidationError):
        request_convert.to_incident(desk, "li", request_id, reason="a fault", group="no-such-group")
    row = ServiceRequest.get_by_id(request_id)
    assert (row.status, row.version, row.incident_id) == ("accepted", version, None) and _counts() == before


def test_a_stale_version_writes_nothing(desk):
    request_id = _request(desk)
    version = ServiceRequest.get_by_id(request_id).version
    requests.note(desk, "li", request_id, text="someone else")
    before = _counts()
    with pytest.raises(StaleVersion):
        request_convert.to_incident(desk, "li", request_id, reason="a fault", expect_version=version)
    assert _counts() == before


def test_unknown_impact_is_refused_before_anything(desk):
    request_id = _request(desk)
    with pytest.raises(ValidationError):
        request_convert.to_incident(desk, "li", request_id, reason="a fault", impact=9)


def test_the_rule_allows_every_open_status_and_nothing_else():
    for status in flow.STATUSES:
        state = flow.RequestState(status)
        if status in flow.OPEN:
            assert convert.plan_to_incident(state, None, "fault")["close_code"] == "converted"
        else:
            with pytest.raises(InvalidTransition):
                convert.plan_to_incident(state, None, "fault")


def test_a_channel_becomes_the_incident_source_it_names():
    sources = ["monitoring", "phone", "email", "chat", "walk_in"]
    assert convert.source_for("hotline", sources, "phone") == "phone"
    assert convert.source_for("wechat", sources, "phone") == "chat"
    assert convert.source_for("fax", sources, "phone") == "phone"
    assert convert.source_for("walk_in", ["phone"], "phone") == "phone"
