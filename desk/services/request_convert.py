"""Requests and incidents recorded as the wrong thing (desk.domain.request_convert), both ways,
each in ONE transaction:

- `to_incident`: a request that is really a fault is closed as 'converted' and linked to the new
  incident, opened with the request's title, description, requester and service;
- `to_request`: an incident classified as a service request (200.2) is closed as 'converted to a
  service request' and the request is opened from it (its words, caller, service and priority),
  accepted by the agent, through the intake checklist.

Both histories say so. A failure anywhere (the new record refused, someone changed the old one)
writes nothing. What an incident's detail names of its requests: desk.services.request_links."""

from __future__ import annotations

import json

from desk.domain import request_convert as convert
from desk.domain import request_flow as flow
from desk.domain.errors import ValidationError
from desk.i18n import t
from desk.models import Caller, Incident, ServiceRequest
from desk.services import actors, history, incidents, linking, records, request_intake, requests
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
        return convert.plan_to_incident(s, now, reason, row.incident_id)

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


def to_request(desk, login, incident_id: int, *, reason: str | None, checked=(), service: str | None = None,
               request_class: str | None = None, expect_version: int | None = None) -> RequestDetail:
    """Close the incident as 'converted to a service request' and open the request it really is
    (accepted by the agent, who owns it); `checked`: the intake checklist's items ticked ("all":
    every one) for the service (`service`, else the incident's). Returns the new request."""
    records.text(reason, "reason")
    records.text(service, "service", 200)
    config = desk.config
    request_class = request_class or config.request_setting("default_class", "technical")
    if request_class not in config.codes("request_class"):
        raise ValidationError("error.unknown_code", table="request_class", code=request_class)
    checked = list(checked)
    made: dict = {}

    def plan(actor, inc, now):
        actors.require(actor, "request.create")
        actors.require(actor, "request.handle")  # the agent accepts it: first-responder ownership
        terms = request_intake.terms(desk, service or linking.service_code(desk, inc.service_id) or None)
        ticked = request_intake.require_complete(desk, terms, checked)
        made["terms"], made["ticked"] = terms, ticked
        return convert.plan_to_request(incidents._state(desk, inc), now, reason)

    def after(actor, inc, changes, now):
        terms = made["terms"]
        levels, needs_cost = flow.intake_flags(terms.approval_levels, terms.needs_cost, None, None)
        caller = Caller.get_or_none(Caller.id == inc.caller_id) if inc.caller_id else None
        channel = convert.channel_for(inc.source, config.codes("request_channel"),
                                      config.request_setting("default_channel", "hotline"))
        priority = inc.priority if str(inc.priority) in config.codes("priority") else 3
        values = dict(title=inc.title, description=inc.description or "", requester=caller.name if caller else "",
                      contact=(caller.phone or "") if caller else "", request_class=request_class, channel=channel,
                      service=terms.service_id, service_version=terms.version_id, priority=priority,
                      status=flow.PENDING, created_by=actor.id, checklist=json.dumps(made["ticked"]),
                      approval_levels=levels, needs_cost=needs_cost, incident=inc.id, registered_at=now,
                      updated_at=now, version=1)
        values.update(flow.plan_accept(flow.RequestState(flow.PENDING), now, actor.id))
        recorded = {"status": [None, flow.ACCEPTED], "priority": [None, priority], "owner": [None, actor.login],
                    "incident": [None, inc.id]}
        if terms.service_id is not None:
            recorded["service"] = [None, linking.service_code(desk, terms.service_id)]
        row = requests.insert(desk, actor, now, values, recorded,
                              t("request.converted_from_incident", desk.lang, id=inc.id))
        made["id"] = row.id
        # The link is part of the same change: a second history row on the incident counts in its version.
        Incident.update(version=Incident.version + 1).where(Incident.id == inc.id).execute()
        history.append(incidents.ENTITY, inc.id, actor.id, "request_linked", {"request": [None, row.id]},
                       t("request.converted_into_request", desk.lang, id=row.id), now, desk=desk)

    records.transition(desk, incidents.KIND, login, incident_id, "to_request", "incident.to_request",
                       expect_version, plan, after=after)
    from desk.services.request_reads import get

    return get(desk, made["id"])

