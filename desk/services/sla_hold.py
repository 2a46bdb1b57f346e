"""Holding and resuming a ticket's SLA clock: a row of the pause ledger, through the shared write
path (one transaction: the ticket's version, its history row, the ledger row, its due time).

Generic over the kind (its Kind has a `clock`); `hold_incident` / `resume_incident` are the
incident's actions, `hold_request` / `resume_request` the request's. A pause needs a reason config
knows ([sla] pause_reasons). A kind whose statuses pause its clock by themselves ([sla.pausing.<kind>]:
a request awaiting approval, cost or the requester) is not held for those reasons, nor resumed from
such a pause while its status calls for it: its status does both (the change would be undone in
the same transaction), so the user is told to change the status instead (`error.sla_status_*`, naming
the kind and its status: incidents too, when config gives them pausing statuses)."""

from __future__ import annotations

from desk.domain import sla_clock
from desk.domain.errors import InvalidTransition, ValidationError
from desk.models import SlaPause
from desk.services import records, sla


def hold(desk, kind, login: str | None, record_id: int, *, reason: str, note: str = "", permission: str,
         expect_version: int | None = None):
    note = records.text(note, "note", records.MAX_TEXT)
    reason = records.text(reason, "reason", 100, required=True).strip()

    def plan(actor, row, now):
        if getattr(row, "status", None) not in kind.clock.open_statuses:
            raise InvalidTransition("error.sla_not_open", kind=kind.entity, status=row.status)
        by_status = {r: s for s, r in desk.config.sla.pausing(kind.entity).items()}
        if reason in by_status:
            raise ValidationError("error.sla_status_reason", reason=reason, kind=kind.entity,
                                  status=by_status[reason])
        sla_clock.plan_hold(sla.pauses(desk, kind.entity, row.id), now, reason, desk.config.sla.pause_reasons)
        return {"_note": note, "_recorded": {"sla_pause": [None, reason]}}

    def after(actor, row, changes, now):
        SlaPause.insert(entity=kind.entity, entity_id=row.id, reason=reason, note=note, started_at=now,
                        started_by=actor.id).execute()

    return records.transition(desk, kind, login, record_id, "hold", permission, expect_version, plan,
                              after=after)


def resume(desk, kind, login: str | None, record_id: int, *, note: str = "", permission: str,
           expect_version: int | None = None):
    note = records.text(note, "note", records.MAX_TEXT)

    def plan(actor, row, now):
        current = sla_clock.plan_resume(sla.pauses(desk, kind.entity, row.id), now)
        status = getattr(row, "status", None)
        if desk.config.sla.pausing(kind.entity).get(status) == current.reason:
            raise ValidationError("error.sla_status_pause", kind=kind.entity, status=status)
        return {"_note": note, "_recorded": {"sla_pause": [current.reason, None]}}

    def after(actor, row, changes, now):
        SlaPause.update(ended_at=now, ended_by=actor.id).where(
            (SlaPause.entity == kind.entity) & (SlaPause.entity_id == row.id) & SlaPause.ended_at.is_null()
        ).execute()

    return records.transition(desk, kind, login, record_id, "resume", permission, expect_version, plan,
                              after=after)


# --- the kinds' actions: the shared write, then the record as its kind reads it ---------------------

def _incident():
    from desk.services import incidents

    return incidents.KIND, incidents.get, "incident.hold"


def _request():
    from desk.services import request_reads, requests

    return requests.KIND, request_reads.get, "request.handle"


def clocked(entity: str):
    """(Kind, get, permission) of the kind of ticket `entity` names ("incident", "request")."""
    return {"incident": _incident, "request": _request}[entity]()


def _then_read(which, action, desk, login, record_id: int, **kwargs):
    kind, get, permission = which()
    action(desk, kind, login, record_id, permission=permission, **kwargs)
    return get(desk, record_id, with_history=False)


def hold_incident(desk, login, incident_id: int, *, reason: str, note: str = "", expect_version: int | None = None):
    return _then_read(_incident, hold, desk, login, incident_id, reason=reason, note=note,
                      expect_version=expect_version)


def resume_incident(desk, login, incident_id: int, *, note: str = "", expect_version: int | None = None):
    return _then_read(_incident, resume, desk, login, incident_id, note=note, expect_version=expect_version)


def hold_request(desk, login, request_id: int, *, reason: str, note: str = "", expect_version: int | None = None):
    """Pause a request's clock for a reason its statuses do not give (`vendor`: waiting for a third party)."""
    return _then_read(_request, hold, desk, login, request_id, reason=reason, note=note,
                      expect_version=expect_version)


def resume_request(desk, login, request_id: int, *, note: str = "", expect_version: int | None = None):
    return _then_read(_request, resume, desk, login, request_id, note=note, expect_version=expect_version)
