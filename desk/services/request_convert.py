"""A request that is really a fault becomes an incident (desk.domain.request_convert): in ONE
transaction the request is closed as 'converted' and linked to the new incident, the incident is
opened with the request's title, description, requester and service, and both histories say so.
A failure anywhere (the incident refused, someone changed the request) writes nothing."""

from __future__ import annotations

from desk.domain import request_convert as convert
from desk.domain.errors import ValidationError
from desk.i18n import t
from desk.models import ServiceRequest
from desk.services import actors, history, incidents, linking, records
from desk.services.request_views import RequestDetail
from desk.services.requests import ENTITY, transition


def to_incident(desk, login, request_id: int, *, reason: str | None, impact: int = 3, urgency: int = 3,
                category: str | None = None, group: str | None = None,
                expect_version: int | None = None) -> RequestDetail:
    """Close the request as 'converted' and open the incident it really is; returns the request
    (its `incident` is the new incident's id)."""
    records.text(reason, "reason")
    config = desk.config
    category = category or "other"
    for table, code in (("category", category), ("impact", str(impact)), ("urgency", str(urgency))):
        if code not in config.codes(table):
            raise ValidationError("error.unknown_code", table=table, code=code)
    priority = config.matrix.priority(int(impact), int(urgency))

    def plan(actor, s, now, row):
        actors.require(actor, "incident.create")
        return convert.plan_to_incident(s, now, reason)

    def after(actor, row, extra, now):
        source = convert.source_for(row.channel, config.codes("source"), config.data["incident"]["default_source"])
        inc = incidents.insert(
            desk, actor, now, title=row.title, description=row.description or "", source=source,
            classification="incident", caller=row.requester or "", organisation=None,
            service=linking.service_code(desk, row.service_id) or None, category=category, impact=int(impact),
            urgency=int(urgency), priority=priority, group=group, started_at=None,
            recorded={"request": [None, row.id]}, note=t("request.converted_from", desk.lang, id=row.id))
        # The link is part of the same change: a second history row on the request counts in its version.
        ServiceRequest.update(incident=inc.id, version=ServiceRequest.version + 1).where(
            ServiceRequest.id == row.id).execute()
        history.append(ENTITY, row.id, actor.id, "incident_linked", {"incident": [None, inc.id]},
                       t("request.converted_into", desk.lang, id=inc.id), now, desk=desk)

    return transition(desk, login, request_id, "to_incident", expect_version, plan, after=after)
