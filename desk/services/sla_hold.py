"""Holding and resuming a ticket's SLA clock: a row of the pause ledger, through the shared write
path (one transaction: the ticket's version, its history row, the ledger row, its due time).

Generic over the kind (its Kind has a `clock`); `hold_incident` / `resume_incident` are the
incident's actions. A pause needs a reason config knows ([sla] pause_reasons)."""

from __future__ import annotations

from desk.domain import sla_clock
from desk.domain.errors import InvalidTransition
from desk.models import SlaPause
from desk.services import records, sla


def hold(desk, kind, login: str | None, record_id: int, *, reason: str, note: str = "", permission: str,
         expect_version: int | None = None):
    note = records.text(note, "note", records.MAX_TEXT)
    reason = records.text(reason, "reason", 100, required=True).strip()

    def plan(actor, row, now):
        if getattr(row, "status", None) not in kind.clock.open_statuses:
            raise InvalidTransition(action="hold", status=row.status)
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
        return {"_note": note, "_recorded": {"sla_pause": [current.reason, None]}}

    def after(actor, row, changes, now):
        SlaPause.update(ended_at=now, ended_by=actor.id).where(
            (SlaPause.entity == kind.entity) & (SlaPause.entity_id == row.id) & SlaPause.ended_at.is_null()
        ).execute()

    return records.transition(desk, kind, login, record_id, "resume", permission, expect_version, plan,
                              after=after)


# --- incidents ------------------------------------------------------------------------------------

def hold_incident(desk, login, incident_id: int, *, reason: str, note: str = "", expect_version: int | None = None):
    from desk.services import incidents

    hold(desk, incidents.KIND, login, incident_id, reason=reason, note=note, permission="incident.hold",
         expect_version=expect_version)
    return incidents.get(desk, incident_id, with_history=False)


def resume_incident(desk, login, incident_id: int, *, note: str = "", expect_version: int | None = None):
    from desk.services import incidents

    resume(desk, incidents.KIND, login, incident_id, note=note, permission="incident.hold",
           expect_version=expect_version)
    return incidents.get(desk, incident_id, with_history=False)
