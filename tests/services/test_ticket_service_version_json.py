"""A request and an incident say the catalogue version they were raised under the same way in
their JSON (docs/json.md): the service's code and the version's number, never the version row's id."""

from __future__ import annotations

from desk.services import catalogue, catalogue_flow as flow, incidents, request_reads, requests


def _publish(desk, clock, code):
    draft = flow.open_draft(desk, "catm", code=code)
    flow.edit_draft(desk, "catm", draft, {"price_en": "Per seat", "price_zh": "按席位"})
    flow.submit(desk, "catm", draft)
    flow.approve(desk, "ops", draft)
    clock.advance(minutes=1)
    flow.publish(desk, "ops", draft)


def test_a_request_and_an_incident_name_their_service_version_by_its_number(desk, clock):
    _publish(desk, clock, "email")
    version = catalogue.service_version(desk, "email")
    assert (version.number, version.version_id != version.number) == (2, True)  # (else the test could not fail)
    request = requests.create(desk, "li", title="Shared mailbox", service="email", checked=("all",))
    incident = incidents.create(desk, "li", title="Mail bounces", impact=2, urgency=2, service="email")
    shown_request = request_reads.get(desk, request.id).to_json()
    shown_incident = incidents.get(desk, incident.id).to_json()
    assert (shown_request["service"], shown_request["service_version"]) == ("email", 2)
    assert (shown_incident["service"], shown_incident["service_version"]) == ("email", 2)
