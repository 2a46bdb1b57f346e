"""Demo incidents keep a catalogue version of their service, as incidents raised through the
services do (issue 13): the one in force when they were opened, else (opened before the service
had one) the one in force when the demo was made; their due time is on that version's targets,
and a version published after the demo does not move them."""

from __future__ import annotations

from desk.models import Incident
from desk.services import catalogue, catalogue_flow as flow, demo, incidents


def _publish_email(desk, targets):
    req = flow.raise_requirement(desk, "catm", title="Faster mail", need="1 h", source="contract", service="email")
    _, draft_id = flow.accept_requirement(desk, "ops", req.id)
    flow.edit_draft(desk, "catm", draft_id, {"targets": targets})
    flow.submit(desk, "catm", draft_id)
    flow.approve(desk, "ops", draft_id)
    flow.publish(desk, "ops", draft_id)


def test_demo_incidents_keep_the_version_in_force_when_opened_and_its_targets(desk, clock):
    v1 = catalogue.service_version(desk, "email")  # loaded by init, in force from now
    clock.advance(days=10)
    _publish_email(desk, {str(p): {"response": 5, "resolve": 30 + p} for p in range(1, 5)})  # version 2, now
    v2 = catalogue.service_version(desk, "email")
    demo.generate(desk, incidents=200, seed=11, days=20, workers=0)
    rows = list(Incident.select().where(Incident.service.is_null(False)))
    email = [r for r in rows if r.service_id == v1.service_id]
    assert {r.service_version_id for r in email} == {v1.version_id, v2.version_id}  # both paths taken
    for r in email:  # in force when opened; opened before the service had a version: the one in force now
        assert r.service_version_id == (v1.version_id if r.opened_at >= v1.effective_at else v2.version_id), r.id
    for r in rows:
        if r.service_id != v1.service_id:  # the other services have their one version
            assert r.service_version_id == catalogue.service_version(desk, r.service_id).version_id, r.id
        assert r.due_at == incidents.due_at(desk, r.opened_at, r.priority, r.service_id, r.service_version_id), r.id

    kept = {r.id: (r.service_version_id, r.due_at) for r in rows}
    clock.advance(minutes=1)
    _publish_email(desk, {str(p): {"response": 1, "resolve": 2 + p} for p in range(1, 5)})  # after the demo
    incidents_after = {r.id: (r.service_version_id, r.due_at) for r in Incident.select().where(Incident.id << list(kept))}
    assert incidents_after == kept
