"""Which of the incident detail's action keys apply in which status: those that do not are greyed on
its key bar (the services still decide), and confirm is off the bar until the incident is resolved."""

from __future__ import annotations

from desk.domain import incident_flow as flow
from desk.lists.incident import CLOCK, INCIDENTS

# action -> statuses it makes sense from (the services still decide)
USABLE_FROM = {
    "assign": flow.OPEN,
    "escalate": flow.OPEN,
    "resolve": flow.OPEN,
    "close": frozenset({flow.RESOLVED}),
    "reopen": frozenset({flow.RESOLVED}),
    "note": flow.OPEN | {flow.RESOLVED},
    "return": flow.OPEN,  # escalated ones: the dialog says so for an incident on the first tier
    "confirm": frozenset({flow.RESOLVED}),
    "knowledge": frozenset(flow.STATUSES),
    "to_request": flow.ALLOWED_FROM["to_request"],  # 200.2: it is a service request
    "cause": frozenset(flow.STATUSES),  # caused by a change: whatever state the incident is in
    "set_service": flow.ALLOWED_FROM["set_service"],  # another catalogue service: until it is closed
    "set_priority": flow.ALLOWED_FROM["set_priority"],  # impact and urgency corrected: until it is closed
    **{action: INCIDENTS.allowed_from[action] for action in CLOCK},  # its SLA clock: held and resumed while open
}
ONLY_WHEN_USABLE = frozenset({"confirm"})  # on the key bar only in the states it applies to
