"""A notification names its ticket as desk names it everywhere else: an incident by its number, a
service request with an R (`R12`: the wallboard, the request queue, `desk sla hold R12`). It said
"service request 12", which `desk sla hold 12` would take for incident 12."""

from __future__ import annotations

from desk.services import incidents, requests, sla_tick


def test_a_request_is_named_with_its_r_and_an_incident_by_its_number(desk, clock):
    request = requests.create(desk, "li", title="Mailbox for a new starter", requester="Zhang Wei",
                              checked=["all"], priority=1)
    incident = incidents.create(desk, "li", title="VPN drops", impact=1, urgency=1)
    clock.advance(days=30)
    sla_tick.tick(desk)
    said = {(n.entity, n.kind): sla_tick.text(n, "en") for n in sla_tick.for_agent(desk, "lead", limit=100)}
    assert said[("request", "sla.breach")].startswith(f"service request R{request.id} has breached its SLA target")
    assert said[("incident", "sla.breach")].startswith(f"incident {incident.id} has breached its SLA target")
    zh = [sla_tick.text(n, "zh") for n in sla_tick.for_agent(desk, "lead", limit=100) if n.entity == "request"]
    assert zh and all(f"R{request.id}" in line for line in zh)
