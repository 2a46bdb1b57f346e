"""The guards of holding and resuming an SLA clock through the real database that a removed or
inverted line would let pass (issue 19; tools/mutants/services_sla_hold.toml)."""

from __future__ import annotations

import json

import pytest

from desk.domain.errors import NotAllowed, ValidationError
from desk.models import History, SlaPause
from desk.services import incidents, sla, sla_hold


def test_resuming_one_ticket_leaves_another_held(desk, clock):
    first = incidents.create(desk, "li", title="vpn", impact=1, urgency=1)
    second = incidents.create(desk, "li", title="mail", impact=1, urgency=1)
    sla_hold.hold_incident(desk, "li", first.id, reason="caller")
    sla_hold.hold_incident(desk, "li", second.id, reason="vendor")
    clock.advance(minutes=10)
    sla_hold.resume_incident(desk, "li", first.id)
    assert sla.ledger(desk, "incident", first.id)[0].ended_at == clock.now
    assert sla.ledger(desk, "incident", second.id)[0].ended_at is None


def test_an_empty_reason_is_refused_as_missing(desk):
    inc = incidents.create(desk, "li", title="vpn", impact=1, urgency=1)
    with pytest.raises(ValidationError) as caught:
        sla_hold.hold_incident(desk, "li", inc.id, reason="  ")
    assert caught.value.key == "error.required"
    assert SlaPause.select().count() == 0


def test_the_history_says_the_clock_was_held_and_why_then_resumed(desk, clock):
    inc = incidents.create(desk, "li", title="vpn", impact=1, urgency=1)
    sla_hold.hold_incident(desk, "li", inc.id, reason="vendor")
    sla_hold.resume_incident(desk, "li", inc.id)
    rows = list(History.select().where((History.entity == "incident") & (History.entity_id == inc.id))
                .order_by(History.seq))
    assert [(r.action, json.loads(r.changes).get("sla_pause")) for r in rows[-2:]] == [
        ("hold", [None, "vendor"]), ("resume", ["vendor", None])]


def _with_the_vendor(desk):
    inc = incidents.create(desk, "li", title="vpn", impact=1, urgency=1)
    incidents.escalate(desk, "li", inc.id, to="network", reason="link flapping")
    incidents.start(desk, "wang", inc.id)
    incidents.escalate(desk, "wang", inc.id, to="vendor-net", reason="hardware fault")
    incidents.note(desk, "vend", inc.id, text="on site at 3")  # in its scope: a vendor notes it
    return inc


def test_a_vendor_may_note_an_incident_it_holds_but_not_hold_its_clock(desk):
    inc = _with_the_vendor(desk)
    with pytest.raises(NotAllowed):
        sla_hold.hold_incident(desk, "vend", inc.id, reason="vendor")
    assert SlaPause.select().count() == 0


def test_a_vendor_may_note_an_incident_it_holds_but_not_resume_its_clock(desk):
    inc = _with_the_vendor(desk)
    sla_hold.hold_incident(desk, "lead", inc.id, reason="vendor")  # the shift lead reaches every incident
    with pytest.raises(NotAllowed):
        sla_hold.resume_incident(desk, "vend", inc.id)
    assert sla.ledger(desk, "incident", inc.id)[0].ended_at is None
