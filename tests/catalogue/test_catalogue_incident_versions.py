"""An incident keeps the catalogue version of its service it was raised under, and its targets
(issue 13: "tickets raised earlier keep the version they were raised under (and its targets)")."""

from __future__ import annotations

from datetime import timedelta

from desk.models import Incident
from desk.domain import incident_flow
from desk.lists.incident_cells import cell
from desk.lists.spec import CellEnv
from desk.services import catalogue, catalogue_flow as flow, catalogue_schema, incidents, queue_rows, wallboard

# email: 24x7; impact 2 × urgency 3 is priority 3: resolved within 1440 minutes (version 1)


def _publish_faster_email(desk, clock, changes=None, **kw):
    req = flow.raise_requirement(desk, "catm", title="Faster mail fixes", need="1 h", source="contract 2026-7",
                                 service="email")
    _, draft_id = flow.accept_requirement(desk, "ops", req.id)
    flow.edit_draft(desk, "catm", draft_id, changes or {"targets": {"3": {"response": 5, "resolve": 60}}})
    flow.submit(desk, "catm", draft_id)
    flow.approve(desk, "ops", draft_id)
    flow.publish(desk, "ops", draft_id, **kw)


def _raise(desk, title):
    return incidents.create(desk, "li", title=title, impact=2, urgency=3, service="email")


def test_an_incident_keeps_the_version_it_was_raised_under_and_its_targets(desk, clock):
    before = _raise(desk, "Mail stuck in the outbox")
    assert before.priority == 3 and before.service_version == 1
    assert before.due_at == clock.now + timedelta(minutes=1440)
    clock.advance(minutes=1)
    _publish_faster_email(desk, clock)
    after = _raise(desk, "Mail stuck again")
    assert after.service_version == 2
    assert after.due_at == clock.now + timedelta(minutes=60)  # the new version's target
    clock.advance(minutes=10)
    incidents.assign(desk, "li", before.id, to="me")  # a change re-reads its clock: still version 1's
    kept = incidents.get(desk, before.id)
    assert kept.service_version == 1 and kept.due_at == before.due_at and kept.sla.due_at == before.due_at
    assert kept.response_minutes == 120  # the detail's response target: version 1's, not version 2's 5
    assert incidents.get(desk, after.id).sla.due_at == after.due_at
    assert incidents.get(desk, after.id).response_minutes == 5


def test_a_version_published_for_later_binds_only_incidents_raised_once_it_is_in_force(desk, clock):
    _publish_faster_email(desk, clock, effective_at=clock() + timedelta(hours=2))
    assert _raise(desk, "Before it takes effect").service_version == 1
    clock.advance(hours=2)
    assert _raise(desk, "Once it is in force").service_version == 2


def test_the_upgrade_gives_recorded_incidents_the_version_in_force_when_they_were_opened(desk, clock):
    first = _raise(desk, "Opened under version 1")
    clock.advance(minutes=1)
    _publish_faster_email(desk, clock)
    second = _raise(desk, "Opened under version 2")
    early = _raise(desk, "Opened before the catalogue")
    plain = incidents.create(desk, "li", title="No service", impact=2, urgency=3)
    v1 = catalogue.version(desk, "email", 1)
    Incident.update(service_version=None).execute()  # as a database from before the column has them
    Incident.update(opened_at=v1.effective_at - timedelta(days=1)).where(Incident.id == early.id).execute()
    catalogue_schema.fill_incident_versions(desk.db)
    got = {i.id: i.service_version_id for i in Incident.select(Incident.id, Incident.service_version)}
    assert got == {first.id: v1.version_id, second.id: catalogue.version(desk, "email", 2).version_id,
                   early.id: None, plain.id: None}


def test_the_wallboard_counts_an_incident_down_on_the_hours_of_its_version(desk, clock):
    inc = incidents.create(desk, "li", title="Mailbox quota", impact=3, urgency=3, service="email")  # p4: 3 days
    assert inc.priority == 4 and inc.service_version == 1  # version 1: 24x7
    _publish_faster_email(desk, clock, {"hours": "business"})  # version 2: office hours only
    clock.advance(hours=59)  # near its due time, at night where the office is
    board = wallboard.snapshot(desk)
    assert inc.id in [c.id for c in board.soon]
    kept = desk.config.sla.calendar("24x7").seconds(clock.now, inc.due_at)
    assert kept != desk.config.sla.calendar("business").seconds(clock.now, inc.due_at)
    assert wallboard.countdowns(desk, board, incident_flow.OPEN)[("incident", inc.id)] == kept
    row, = queue_rows.rows(desk, [inc.id])  # and the queue's SLA column: 13 hours left, not the office's 8
    assert kept == 13 * 3600 and cell(CellEnv(desk.config, "en"), row, "sla", 6, clock.now)[0] == "13h00"
