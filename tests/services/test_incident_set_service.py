"""Putting an incident under another catalogue service (desk incident set-service, `t` in the TUI):
it keeps the new service's version in force from then on, its SLA is re-timed on that version in
the same transaction without losing the time spent or held (issue 15), the history row names the
old and new service and version, and every refusal writes nothing."""

from __future__ import annotations

from datetime import timedelta

import pytest

from desk.domain.errors import InvalidTransition, NotAllowed, StaleVersion, ValidationError
from desk.models import History, Incident, Refusal, SlaClock
from desk.services import catalogue, catalogue_flow as flow, incident_service, incidents, sla_hold, sla_views

# email and core-banking are both 24x7; impact 2 × urgency 3 is priority 3: email resolves it in
# 1440 minutes, core-banking in 960 (config/catalogue.toml).


def _p3(desk, service="email", login="li", group=None):
    return incidents.create(desk, login, title="Teller cannot post", impact=2, urgency=3, service=service,
                            group=group)


def _state(incident_id):
    row = Incident.get_by_id(incident_id)
    return (row.version, row.service_id, row.service_version_id, row.due_at,
            History.select().where(History.entity_id == incident_id).count())


def test_reclassifying_keeps_the_time_spent_and_held_and_re_targets_the_clock(desk, clock):
    inc = _p3(desk)
    clock.advance(minutes=60)
    sla_hold.hold_incident(desk, "li", inc.id, reason="caller")
    clock.advance(minutes=60)
    sla_hold.resume_incident(desk, "li", inc.id)
    clock.advance(minutes=10)
    before = Incident.get_by_id(inc.id)
    assert before.due_at == inc.opened_at + timedelta(minutes=1440 + 60)

    done = incident_service.set_service(desk, "li", inc.id, service="core-banking", expect_version=before.version)

    banking = catalogue.service_version(desk, "core-banking")
    row = Incident.get_by_id(inc.id)
    assert (done.service, done.service_version, done.version) == ("core-banking", 1, before.version + 1)
    assert row.service_version_id == banking.version_id
    assert row.due_at == inc.opened_at + timedelta(minutes=960 + 60)  # the new target, the hour held still held
    view = sla_views.incident_sla(desk, inc.id)
    assert (view.spent, view.paused) == (70 * 60, 60 * 60)
    tick_row = SlaClock.get((SlaClock.entity == "incident") & (SlaClock.entity_id == inc.id))
    assert tick_row.due_at == row.due_at  # the tick's row moved in the same change
    last = History.select().where(History.entity_id == inc.id).order_by(History.seq.desc()).first()
    assert last.action == "set_service"
    assert incidents.get(desk, inc.id).history[-1].changes == {"service": ["email", "core-banking"],
                                                               "service_version": [1, 1]}


def test_an_incident_without_a_service_gets_one_and_its_version_in_force(desk, clock):
    inc = incidents.create(desk, "li", title="Something is slow", impact=2, urgency=3)
    done = incident_service.set_service(desk, "zhao", inc.id, service="email")
    assert (done.service, done.service_version) == ("email", 1)
    assert incidents.get(desk, inc.id).history[-1].changes["service"] == [None, "email"]


def test_it_takes_the_version_in_force_now_not_a_later_one(desk, clock):
    inc = incidents.create(desk, "li", title="Mail bounces", impact=2, urgency=3)
    req = flow.raise_requirement(desk, "catm", title="Faster mail", need="1 h", source="contract", service="email")
    _, draft_id = flow.accept_requirement(desk, "ops", req.id)
    flow.edit_draft(desk, "catm", draft_id, {"targets": {"3": {"response": 5, "resolve": 60}}})
    flow.submit(desk, "catm", draft_id)
    flow.approve(desk, "ops", draft_id)
    flow.publish(desk, "ops", draft_id, effective_at=clock() + timedelta(hours=2))  # version 2, for later
    done = incident_service.set_service(desk, "li", inc.id, service="email")
    assert done.service_version == 1 and done.due_at == inc.opened_at + timedelta(minutes=1440)


def test_a_resolved_incident_may_be_reclassified_a_closed_one_not(desk, clock):
    inc = _p3(desk)
    incidents.resolve(desk, "li", inc.id, code="fixed", note="ok")
    assert incident_service.set_service(desk, "li", inc.id, service="core-banking").service == "core-banking"
    incidents.close(desk, "li", inc.id, confirmed=True)
    before = _state(inc.id)
    with pytest.raises(InvalidTransition) as err:
        incident_service.set_service(desk, "li", inc.id, service="email")
    assert err.value.message("en") == "You cannot change the service of an incident that is Closed."
    assert _state(inc.id) == before


def test_a_retired_service_is_refused(desk, clock):
    draft_id = flow.open_draft(desk, "catm", code="conference", kind="retire")
    flow.submit(desk, "catm", draft_id)
    flow.approve(desk, "ops", draft_id)
    clock.advance(minutes=1)
    flow.publish(desk, "ops", draft_id)
    inc = _p3(desk)
    before = _state(inc.id)
    with pytest.raises(ValidationError) as err:
        incident_service.set_service(desk, "li", inc.id, service="conference")
    assert err.value.message("en") == "service `conference` is retired: an incident cannot be put under it"
    assert _state(inc.id) == before


def test_a_service_with_no_version_in_force_yet_is_refused(desk, clock):
    req = flow.raise_requirement(desk, "ops", title="Mobile banking app support", source="retail division")
    _, draft_id = flow.accept_requirement(desk, "ops", req.id, code="mobile-app")
    flow.edit_draft(desk, "catm", draft_id, {
        "category": "application.business", "name_en": "Mobile banking app", "name_zh": "手机银行",
        "summary_en": "Support for the bank's mobile app.", "summary_zh": "手机银行应用支持。",
        "targets": {p: {"response": 15, "resolve": 240} for p in ("1", "2", "3", "4")}})
    flow.submit(desk, "catm", draft_id)
    flow.approve(desk, "ops", draft_id)
    flow.publish(desk, "ops", draft_id, effective_at=clock() + timedelta(days=1))
    inc = _p3(desk)
    before = _state(inc.id)
    with pytest.raises(ValidationError) as err:
        incident_service.set_service(desk, "li", inc.id, service="mobile-app")
    assert err.value.key == "error.service_not_in_force"
    assert _state(inc.id) == before
    clock.advance(days=1)
    assert incident_service.set_service(desk, "li", inc.id, service="mobile-app").service == "mobile-app"


@pytest.mark.parametrize("service, key", [("no-such-service", "error.unknown_service"),
                                          ("email", "error.same_service"), ("", "error.required")])
def test_an_unknown_service_the_same_one_or_none_is_refused(desk, service, key):
    inc = _p3(desk)
    before = _state(inc.id)
    with pytest.raises(ValidationError) as err:
        incident_service.set_service(desk, "li", inc.id, service=service)
    assert err.value.key == key
    assert _state(inc.id) == before


def test_a_stale_version_is_refused(desk, clock):
    inc = _p3(desk)
    incidents.note(desk, "zhao", inc.id, text="called the branch")
    before = _state(inc.id)
    with pytest.raises(StaleVersion):
        incident_service.set_service(desk, "li", inc.id, service="core-banking", expect_version=inc.version)
    assert _state(inc.id) == before


def test_who_may_reclassify(desk):
    """The desk, leads and admins reach every incident; second line only its own group's."""
    inc = _p3(desk)
    for login in ("vend", "appr", "catm", "chen"):  # chen: second line, but not of the desk group
        with pytest.raises(NotAllowed):
            incident_service.set_service(desk, login, inc.id, service="core-banking")
    assert Refusal.select().where(Refusal.action == "incident.set_service").count() == 4
    assert Incident.get_by_id(inc.id).service_version_id == inc_version(desk, "email")
    incidents.escalate(desk, "li", inc.id, to="network", reason="link down")
    assert incident_service.set_service(desk, "wang", inc.id, service="core-banking").service == "core-banking"
    assert incident_service.set_service(desk, "lead", inc.id, service="network").service == "network"


def inc_version(desk, code):
    return catalogue.service_version(desk, code).version_id
