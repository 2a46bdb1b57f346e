"""The guards of converting a request into an incident and an incident into a request, through the
real database, that a removed or inverted line would let pass (issue 19;
tools/mutants/services_request_convert.toml, domain_request_convert.toml): who may, what the new
record keeps of the old one, and that a refusal writes nothing."""

from __future__ import annotations

import pytest

from desk.domain.errors import NotAllowed, ValidationError
from desk.models import History, Incident, ServiceRequest
from desk.services import incidents, request_convert, requests


def _counts():
    return Incident.select().count(), ServiceRequest.select().count(), History.select().count()


def _history_rows(entity: str, record_id: int) -> int:
    return History.select().where((History.entity == entity) & (History.entity_id == record_id)).count()


def _request_with_chen(desk, **kw) -> int:
    made = requests.create(desk, "li", title="Printer prints blank pages", requester="Zhang Wei", checked=["all"],
                           accept=True, **kw)
    requests.dispatch(desk, "li", made.id, to="chen")
    return made.id


# --- a request into an incident -------------------------------------------------------------------

def test_second_line_handling_a_request_may_not_turn_it_into_an_incident(desk):
    request_id = _request_with_chen(desk)
    before = _counts()
    with pytest.raises(NotAllowed) as caught:
        request_convert.to_incident(desk, "chen", request_id, reason="a broken printer is a fault")
    assert caught.value.params["action"] == "incident.create"  # may handle the request, not open incidents
    assert _counts() == before and ServiceRequest.get_by_id(request_id).status == "dispatched"


def test_the_incident_keeps_impact_and_urgency_each_and_the_priority_the_matrix_gives(desk, monkeypatch):
    # an asymmetric matrix (the shipped one is symmetric): impact 1 x urgency 3 is 3, impact 3 x urgency 1 is 4
    monkeypatch.setitem(desk.config.data["incident"], "priority_matrix", [[1, 2, 3], [2, 3, 4], [4, 4, 4]])
    request_id = _request_with_chen(desk)
    done = request_convert.to_incident(desk, "li", request_id, reason="a fault", impact=1, urgency=3)
    inc = incidents.get(desk, done.incident)
    assert (inc.impact, inc.urgency, inc.priority) == (1, 3, 3)


def test_an_unknown_category_is_refused_naming_it_and_nothing_is_written(desk):
    request_id = _request_with_chen(desk)
    before = _counts()
    with pytest.raises(ValidationError) as caught:
        request_convert.to_incident(desk, "li", request_id, reason="a fault", category="plumbing")
    assert caught.value.key == "error.unknown_code" and "'plumbing'" in caught.value.message("en")
    assert _counts() == before and ServiceRequest.get_by_id(request_id).status == "dispatched"


def test_the_incident_is_on_the_requests_service(desk):
    request_id = _request_with_chen(desk, service="desktop")
    done = request_convert.to_incident(desk, "li", request_id, reason="a fault")
    assert incidents.get(desk, done.incident).service == "desktop"


def test_every_history_row_of_the_conversion_counts_in_the_requests_version(desk):
    request_id = _request_with_chen(desk)
    version, rows = ServiceRequest.get_by_id(request_id).version, _history_rows("request", request_id)
    done = request_convert.to_incident(desk, "li", request_id, reason="a fault")
    assert done.version - version == _history_rows("request", request_id) - rows == 2  # closed, then linked


@pytest.mark.parametrize("bad, key", [("a fault\x00", "error.nul"), ("a fault \udcff", "error.not_utf8")])
def test_a_reason_no_database_can_store_is_refused_and_nothing_is_written(desk, bad, key):
    request_id = _request_with_chen(desk)
    incident_id = incidents.create(desk, "li", title="laptop", impact=3, urgency=3).id
    before = _counts()
    with pytest.raises(ValidationError) as caught:
        request_convert.to_incident(desk, "li", request_id, reason=bad)
    assert caught.value.key == key
    with pytest.raises(ValidationError) as caught:
        request_convert.to_request(desk, "li", incident_id, reason=bad, checked=["all"])
    assert caught.value.key == key
    assert _counts() == before


# --- an incident into a request -------------------------------------------------------------------

def test_an_unknown_request_class_is_refused_and_nothing_is_written(desk):
    incident_id = incidents.create(desk, "li", title="laptop", impact=3, urgency=3).id
    before = _counts()
    with pytest.raises(ValidationError) as caught:
        request_convert.to_request(desk, "li", incident_id, reason="a request", checked=["all"],
                                   request_class="gossip")
    assert caught.value.key == "error.unknown_code" and "'gossip'" in caught.value.message("en")
    assert _counts() == before and Incident.get_by_id(incident_id).status == "new"


def test_the_request_keeps_the_incidents_priority(desk):
    incident_id = incidents.create(desk, "li", title="VPN token for the new trader", impact=1, urgency=1).id
    made = request_convert.to_request(desk, "li", incident_id, reason="a request", checked=["all"])
    assert made.priority == 1


def test_a_request_for_a_service_that_needs_approval_is_opened_needing_it(desk):
    incident_id = incidents.create(desk, "li", title="Access to the ledger", impact=3, urgency=3,
                                   service="accounts").id  # accounts: one level of approval
    made = request_convert.to_request(desk, "li", incident_id, reason="a request", checked=["all"])
    assert (made.service, made.approval_levels) == ("accounts", 1)


@pytest.mark.parametrize("source, channel", [("chat", "hotline"), ("walk_in", "walk_in")])
def test_the_requests_channel_is_the_incidents_source_when_the_desk_has_it(desk, source, channel):
    incident_id = incidents.create(desk, "li", title="laptop", impact=3, urgency=3, source=source).id
    made = request_convert.to_request(desk, "li", incident_id, reason="a request", checked=["all"])
    assert made.channel == channel  # chat would be `wechat`: no request channel of this desk
