"""Putting an incident under another service (desk/services/incident_service.py) through the real
database, each guard a removed or inverted line would let pass (issue 19;
tools/mutants/services_incident_service.toml): a vendor holding the incident may note it but not
reclassify it, a closed incident refused for its status whatever service is named, the history
naming the version the incident left, the code as typed (spaces, length)."""

from __future__ import annotations

import pytest

from desk.domain.errors import InvalidTransition, NotAllowed, ValidationError
from desk.models import History, Incident
from desk.services import catalogue_flow as flow, incident_service, incidents


def _state(incident_id):
    row = Incident.get_by_id(incident_id)
    return (row.version, row.service_id, row.service_version_id, row.due_at,
            History.select().where(History.entity_id == incident_id).count())


def _p3(desk):
    return incidents.create(desk, "li", title="Teller cannot post", impact=2, urgency=3, service="email")


def test_a_vendor_holding_the_incident_notes_it_but_does_not_reclassify_it(desk):
    inc = _p3(desk)
    incidents.escalate(desk, "li", inc.id, to="network", reason="needs second line")
    incidents.escalate(desk, "wang", inc.id, to="vendor-net", reason="hardware fault")
    incidents.note(desk, "vend", inc.id, text="part ordered")
    before = _state(inc.id)
    with pytest.raises(NotAllowed) as err:
        incident_service.set_service(desk, "vend", inc.id, service="core-banking")
    assert "change the service" in err.value.message("en")
    assert _state(inc.id) == before


def test_a_closed_incident_is_refused_for_its_status_whatever_service_is_named(desk):
    inc = _p3(desk)
    incidents.resolve(desk, "li", inc.id, code="fixed", note="ok")
    incidents.close(desk, "li", inc.id, confirmed=True)
    before = _state(inc.id)
    with pytest.raises(InvalidTransition) as err:
        incident_service.set_service(desk, "li", inc.id, service="no-such-service")
    assert err.value.message("en") == "You cannot change the service of an incident that is Closed."
    assert _state(inc.id) == before


def test_the_history_names_the_version_the_incident_left_and_the_one_it_takes(desk, clock):
    inc = _p3(desk)  # email, version 1
    req = flow.raise_requirement(desk, "catm", title="Faster postings", need="1 h", source="contract",
                                 service="core-banking")
    _, draft_id = flow.accept_requirement(desk, "ops", req.id)
    flow.edit_draft(desk, "catm", draft_id, {"targets": {"3": {"response": 5, "resolve": 60}}})
    flow.submit(desk, "catm", draft_id)
    flow.approve(desk, "ops", draft_id)
    clock.advance(minutes=1)
    flow.publish(desk, "ops", draft_id)  # core-banking version 2, in force now
    done = incident_service.set_service(desk, "li", inc.id, service="core-banking")
    assert (done.service, done.service_version) == ("core-banking", 2)
    assert incidents.get(desk, inc.id).history[-1].changes == {"service": ["email", "core-banking"],
                                                               "service_version": [1, 2]}


def test_the_code_is_taken_without_the_spaces_around_it(desk):
    inc = _p3(desk)
    assert incident_service.set_service(desk, "li", inc.id, service="  core-banking ").service == "core-banking"


def test_a_code_longer_than_the_desk_keeps_is_refused_as_too_long(desk):
    inc = _p3(desk)
    before = _state(inc.id)
    with pytest.raises(ValidationError) as err:
        incident_service.set_service(desk, "li", inc.id, service="x" * 201)
    assert err.value.key == "error.too_long"
    assert _state(inc.id) == before
