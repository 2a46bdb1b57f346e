"""Correcting an incident's priority (desk/services/incident_priority.py) through the real
database, each guard a removed or inverted line would let pass (issue 19;
tools/mutants/services_incident_priority.toml): a vendor holding the incident may note it but not
correct its priority, the reason's length, and "the same values" judged on the incident's own
impact and urgency, each in its place."""

from __future__ import annotations

import pytest

from desk.domain.errors import NotAllowed, ValidationError
from desk.models import History, Incident
from desk.services import incident_priority, incidents


def _state(incident_id):
    row = Incident.get_by_id(incident_id)
    return (row.version, row.impact, row.urgency, row.priority,
            History.select().where(History.entity_id == incident_id).count())


def with_vendor(desk):
    inc = incidents.create(desk, "li", title="Core switch fault", impact=3, urgency=3)
    incidents.escalate(desk, "li", inc.id, to="network", reason="needs second line")
    return incidents.escalate(desk, "wang", inc.id, to="vendor-net", reason="hardware fault")


def test_a_vendor_holding_the_incident_notes_it_but_does_not_correct_its_priority(desk):
    inc = with_vendor(desk)
    incidents.note(desk, "vend", inc.id, text="part ordered")
    before = _state(inc.id)
    with pytest.raises(NotAllowed):
        incident_priority.set_priority(desk, "vend", inc.id, impact=1, urgency=1, reason="it is worse")
    assert _state(inc.id) == before


def test_a_reason_longer_than_the_desk_keeps_is_refused_and_writes_nothing(desk):
    inc = incidents.create(desk, "li", title="Mailbox full", impact=3, urgency=3)
    before = _state(inc.id)
    with pytest.raises(ValidationError) as err:
        incident_priority.set_priority(desk, "li", inc.id, impact=1, urgency=1, reason="x" * (incidents.MAX_TEXT + 1))
    assert err.value.key == "error.too_long"
    assert _state(inc.id) == before


def test_the_same_values_are_judged_on_the_incidents_impact_and_urgency_each_in_its_place(desk):
    inc = incidents.create(desk, "li", title="Printer slow", impact=2, urgency=3)
    with pytest.raises(ValidationError):  # what it has already
        incident_priority.set_priority(desk, "li", inc.id, impact=2, urgency=3, reason="again")
    done = incident_priority.set_priority(desk, "li", inc.id, impact=3, urgency=2, reason="the other way round")
    assert (done.impact, done.urgency) == (3, 2)
    assert incidents.get(desk, inc.id).history[-1].changes["impact"] == [2, 3]
