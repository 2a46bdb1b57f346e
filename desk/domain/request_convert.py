"""A request that turns out to be a fault becomes an incident (seed 003 / domain.md: 识别为事件的
请求转入事件管理流程). The request is closed with the close code 'converted' and keeps the link to
the incident it became; the incident is opened with the request's words, requester and service,
and its history says which request it came from. Pure rules: the service writes both in one
transaction."""

from __future__ import annotations

from datetime import datetime

from desk.domain import request_flow as flow

# The incident source a request's channel becomes (a channel without one: the configured default).
SOURCE_FOR_CHANNEL = {"hotline": "phone", "email": "email", "wechat": "chat", "app": "chat", "walk_in": "walk_in"}


def source_for(channel: str | None, sources: list[str], default: str) -> str:
    source = SOURCE_FOR_CHANNEL.get(channel or "")
    return source if source in sources else default


def plan_to_incident(state: flow.RequestState, now: datetime, reason: str | None) -> dict:
    """Closed as 'converted' (the reason is required); `after` opens the incident and links it."""
    flow.require_from("to_incident", state.status)
    return {"status": flow.CLOSED, "close_code": flow.CONVERTED, "closed_at": now, "completed_at": now,
            "_note": flow.required_text(reason, "reason")}
