"""Which service requests an incident is linked to, and which way (desk.domain.request_convert):
what the incident's detail and `desk incident show` name. Read-only; imports no other service."""

from __future__ import annotations

from desk.domain import request_convert as convert
from desk.models import ServiceRequest


def linked_requests(incident_id: int) -> list[tuple[int, str]]:
    """The requests linked to an incident, by id: (id, which way as the request sees it: 'into',
    it became this incident; 'from', it was opened from this incident)."""
    rows = (ServiceRequest.select(ServiceRequest.id, ServiceRequest.close_code)
            .where(ServiceRequest.incident == incident_id).order_by(ServiceRequest.id))
    return [(r.id, convert.direction(r.close_code)) for r in rows]
