"""Put an incident under another catalogue service (issue 13's versions, issue 15's re-targeting).

An incident keeps the catalogue version it was raised under. When it turns out to be about
another service, an agent reclassifies it: it then keeps the version of the new service in force
at that moment, and its SLA clock is re-timed on that version's targets and service hours in the
same transaction. Nothing of the time already spent or held is lost: the clock is computed from
when the incident opened and its pause ledger (desk.domain.sla_clock), never from the old due
time, and `records.transition` has `desk.services.sla_sync.sync` store the new due time with the change.
The history row names the old and the new service and version.
"""

from __future__ import annotations

from desk.domain import incident_flow as flow
from desk.domain.errors import ValidationError
from desk.services import catalogue, incidents, linking, records

ACTION = "set_service"
PERMISSION = "incident.set_service"


def _number(desk, version_id: int | None) -> int | None:
    terms = catalogue.version_by_id(desk, version_id) if version_id is not None else None
    return terms.number if terms is not None else None


def set_service(desk, login: str | None, incident_id: int, *, service: str | None,
                expect_version: int | None = None):
    """Reclassify the incident under `service` (a catalogue code) and the version of it in force now."""
    code = records.text(service, "service", 200, required=True).strip()

    def plan(actor, inc, now):
        state = flow.IncidentState(status=inc.status)  # (the rule reads its status only)
        flow.require_from(ACTION, state)  # a closed incident is refused before its service is looked at
        service_id = catalogue.service_id(desk, code)
        if service_id is None:
            raise ValidationError("error.unknown_service", code=code)
        terms = catalogue.service_version(desk, service_id, at=now)
        changes = flow.plan_set_service(state, inc.service_id, service_id, code,
                                        terms.version_id if terms else None, terms.status if terms else None)
        changes["_recorded"] = {  # by code and version number, as the detail and `desk incident show` name them
            "service": [linking.service_code(desk, inc.service_id) or None, linking.service_code(desk, service_id)],
            "service_version": [_number(desk, inc.service_version_id), terms.number],
        }
        return changes

    records.transition(desk, incidents.KIND, login, incident_id, ACTION, PERMISSION, expect_version, plan)
    return incidents.get(desk, incident_id, with_history=False)


def choices(desk) -> list[catalogue.ServiceTerms]:
    """The services an incident may be put under now: those in force and published, by category then code."""
    return catalogue.published_services(desk)
