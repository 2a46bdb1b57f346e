"""Requests and incidents that were recorded as the wrong thing (seed 003 / domain.md).

A request that turns out to be a fault becomes an incident (识别为事件的请求转入事件管理流程): the
request is closed with the close code 'converted' and keeps the link to the incident it became;
the incident is opened with the request's words, requester and service, and its history says
which request it came from. The reverse (200.2: a call classified as a service request): the
incident is closed with the closure code 'to_request' and the request is opened from it, linked
to it. One link, `ServiceRequest.incident`, serves both ways; which way it points is read from
the request's close code (`direction`). Pure rules: the service writes both in one transaction."""

from __future__ import annotations

from datetime import datetime

from desk.domain import incident_flow, request_flow as flow
from desk.domain.errors import InvalidTransition

# The incident source a request's channel becomes (a channel without one: the configured default).
SOURCE_FOR_CHANNEL = {"hotline": "phone", "email": "email", "wechat": "chat", "app": "chat", "walk_in": "walk_in"}
# ... and the request channel an incident's source becomes.
CHANNEL_FOR_SOURCE = {"phone": "hotline", "email": "email", "chat": "wechat", "walk_in": "walk_in"}
INTO, FROM = "into", "from"  # the request became the incident / the request came from the incident


def source_for(channel: str | None, sources: list[str], default: str) -> str:
    source = SOURCE_FOR_CHANNEL.get(channel or "")
    return source if source in sources else default


def channel_for(source: str | None, channels: list[str], default: str) -> str:
    channel = CHANNEL_FOR_SOURCE.get(source or "")
    return channel if channel in channels else default


def direction(close_code: str | None) -> str:
    """Which way a request's incident link points: a request closed as converted became it."""
    return INTO if close_code == flow.CONVERTED else FROM


def plan_to_incident(state: flow.RequestState, now: datetime, reason: str | None,
                     linked_incident: int | None = None) -> dict:
    """Closed as 'converted' (the reason is required); `after` opens the incident and links it.
    A request opened from an incident is not turned back into one: it would lose that link."""
    flow.require_from("to_incident", state.status)
    if linked_incident is not None:
        raise InvalidTransition("request.error.from_incident", incident=linked_incident)
    return {"status": flow.CLOSED, "close_code": flow.CONVERTED, "closed_at": now, "completed_at": now,
            "_note": flow.required_text(reason, "reason")}


def plan_to_request(state: incident_flow.IncidentState, now: datetime, reason: str | None) -> dict:
    """The incident is closed as 'converted to a service request' (the reason is required; its
    SLA clock stops at the closing); `after` opens the request and links it."""
    incident_flow.require_from("to_request", state)
    return {"status": incident_flow.CLOSED, "closure_code": incident_flow.TO_REQUEST, "closed_at": now,
            "_note": incident_flow.required_text(reason, "reason")}
