"""Correct an incident's impact and urgency (issue 15's re-targeting, seed 002 200.3: the desk
classifies and prioritises, and corrects that when it learns more).

The priority follows the configured impact × urgency matrix. The SLA clock is re-targeted on the
new priority's targets in the same transaction: `records.transition` has `desk.services.sla_sync.sync`
compute the due time from when the incident opened and its pause ledger (desk.domain.sla_clock),
so nothing of the time already spent or held is lost. The history row records the old and new
impact, urgency and priority, with the reason.
"""

from __future__ import annotations

from desk.domain import incident_flow as flow
from desk.services import incidents, records

ACTION = "set_priority"
PERMISSION = "incident.set_priority"


def set_priority(desk, login: str | None, incident_id: int, *, impact: int, urgency: int, reason: str | None,
                 expect_version: int | None = None):
    """Set the incident's impact and urgency (its priority from the matrix), saying why."""
    records.text(reason, "reason", incidents.MAX_TEXT)
    matrix = desk.config.matrix

    def plan(actor, inc, now):
        state = flow.IncidentState(status=inc.status)  # (the rule reads its status only)
        return flow.plan_set_priority(state, matrix, (inc.impact, inc.urgency), int(impact), int(urgency), reason)

    records.transition(desk, incidents.KIND, login, incident_id, ACTION, PERMISSION, expect_version, plan)
    return incidents.get(desk, incident_id, with_history=False)
