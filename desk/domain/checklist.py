"""The 200.2 information checklist: what the desk must have collected about an incident."""

from __future__ import annotations

from dataclasses import dataclass

ITEMS = ("caller", "organisation", "service", "symptoms", "impact", "urgency", "started")


@dataclass(frozen=True)
class ChecklistItem:
    key: str
    done: bool


def checklist(*, caller, organisation, service, description, impact, urgency, started_at) -> list[ChecklistItem]:
    values = {
        "caller": caller,
        "organisation": organisation,
        "service": service,
        "symptoms": (description or "").strip(),
        "impact": impact,
        "urgency": urgency,
        "started": started_at,
    }
    return [ChecklistItem(key, bool(values[key])) for key in ITEMS]
