"""The one permission table: action -> roles that may take it.

Screens grey out what this refuses (check_action); services refuse anyway. Scope rules
(which incidents a second-line agent may touch) are in `may_touch`.
"""

from __future__ import annotations

from desk.domain.roles import (
    ADMIN,
    ALL_ROLES,
    APPROVER,
    CATALOGUE_MAINTAINER,
    L1,
    L2,
    LEAD,
    OPS_LEAD,
    REPORT_MANAGER,
    REPORT_REVIEWER,
    REPORT_WRITER,
    REQUEST_MANAGER,
    VENDOR,
)

PERMISSIONS: dict[str, frozenset[str]] = {
    # incidents
    "incident.create": frozenset({L1, LEAD, ADMIN}),
    "incident.assign": frozenset({L1, L2, LEAD, ADMIN}),
    "incident.reassign": frozenset({LEAD, ADMIN}),  # take a ticket from another agent
    "incident.start": frozenset({L1, L2, VENDOR, LEAD, ADMIN}),
    "incident.escalate": frozenset({L1, L2, LEAD, ADMIN}),
    "incident.escalate_hierarchical": frozenset({LEAD, ADMIN}),
    "incident.return": frozenset({L2, VENDOR, LEAD, ADMIN}),
    "incident.resolve": frozenset({L1, L2, VENDOR, LEAD, ADMIN}),
    "incident.confirm": frozenset({L1, LEAD, ADMIN}),
    "incident.reopen": frozenset({L1, LEAD, ADMIN}),
    "incident.close": frozenset({L1, LEAD, ADMIN}),
    "incident.to_request": frozenset({L1, LEAD, ADMIN}),  # 200.2: it is a service request (and request.create)
    "incident.note": frozenset({L1, L2, VENDOR, LEAD, ADMIN}),
    "incident.hold": frozenset({L1, L2, LEAD, ADMIN}),  # pause and resume the SLA clock (ledger)
    "incident.set_service": frozenset({L1, L2, LEAD, ADMIN}),  # reclassify under another catalogue service
    "incident.set_priority": frozenset({L1, L2, LEAD, ADMIN}),  # correct impact and urgency (priority, SLA)
    "incident.view_all": frozenset({L1, LEAD, ADMIN, REQUEST_MANAGER, REPORT_MANAGER}),
    "knowledge.draft": frozenset({L1, L2, LEAD, ADMIN}),
    "knowledge.publish": frozenset({LEAD, ADMIN}),
    # service requests (the requests issue builds these)
    "request.create": frozenset({L1, REQUEST_MANAGER, LEAD, ADMIN}),
    "request.handle": frozenset({L1, L2, REQUEST_MANAGER, LEAD, ADMIN}),
    "request.approve": frozenset({APPROVER, ADMIN}),
    "request.close": frozenset({L1, REQUEST_MANAGER, LEAD, ADMIN}),
    # catalogue
    "catalogue.requirement": frozenset({OPS_LEAD, CATALOGUE_MAINTAINER, LEAD, ADMIN}),
    "catalogue.decide": frozenset({OPS_LEAD, ADMIN}),
    "catalogue.draft": frozenset({CATALOGUE_MAINTAINER, ADMIN}),
    "catalogue.review": frozenset({OPS_LEAD, CATALOGUE_MAINTAINER, ADMIN}),
    "catalogue.publish": frozenset({OPS_LEAD, ADMIN}),
    # reports
    "report.list_edit": frozenset({REPORT_MANAGER, ADMIN}),
    "report.list_confirm": frozenset({REPORT_REVIEWER, ADMIN}),
    "report.write": frozenset({REPORT_WRITER, L1, L2, ADMIN}),
    "report.review": frozenset({REPORT_REVIEWER, ADMIN}),
    "report.submit": frozenset({REPORT_REVIEWER, ADMIN}),
    "report.archive": frozenset({REPORT_MANAGER, ADMIN}),
    "report.feedback": frozenset({REPORT_MANAGER, ADMIN}),
    # problems (seed 004 §5.3): anyone who works incidents raises and links; second line and
    # leads analyse and resolve; leads close
    "problem.create": frozenset({L1, L2, LEAD, ADMIN}),
    "problem.link": frozenset({L1, L2, LEAD, ADMIN}),  # link and unlink incidents
    "problem.investigate": frozenset({L2, LEAD, ADMIN}),
    "problem.root_cause": frozenset({L2, LEAD, ADMIN}),
    "problem.known_error": frozenset({L2, LEAD, ADMIN}),
    "problem.resolve": frozenset({L2, LEAD, ADMIN}),
    "problem.close": frozenset({LEAD, ADMIN}),
    "problem.note": frozenset({L1, L2, VENDOR, LEAD, ADMIN}),
    # changes (seed 004 §4.1). Deciding: a normal change only by a member of the change advisory
    # board (config [change] cab; empty: every approver), an emergency change by a member or a
    # shift lead, never by its requester (desk.domain.change_flow).
    "change.create": frozenset({L1, L2, LEAD, OPS_LEAD, CATALOGUE_MAINTAINER, ADMIN}),  # and submit
    "change.assess": frozenset({L2, LEAD, OPS_LEAD, ADMIN}),
    "change.approve": frozenset({APPROVER, LEAD, ADMIN}),  # and reject
    "change.implement": frozenset({L2, LEAD, OPS_LEAD, ADMIN}),  # schedule, start, record the outcome
    "change.close": frozenset({APPROVER, LEAD, OPS_LEAD, ADMIN}),  # the post-implementation review
    "change.link_incident": frozenset({L1, L2, LEAD, ADMIN}),  # an incident caused by the change
    # monitoring alerts (a service account of the desk's: `desk agent add monitor --role l1`)
    "alert.ingest": frozenset({L1, LEAD, ADMIN}),
    # moving a desk's data: export and import between desks, migration from another tool
    "data.export": frozenset({ADMIN}),
    "data.import": frozenset({ADMIN}),
    # administration
    "admin.agents": frozenset({ADMIN}),
    "admin.codes": frozenset({ADMIN}),
    "admin.demo": frozenset({ADMIN}),
}

ACTIONS = tuple(PERMISSIONS)


def can(roles: frozenset[str] | set[str], action: str) -> bool:
    allowed = PERMISSIONS.get(action)
    if allowed is None:
        raise KeyError(f"unknown action {action!r}")
    return bool(allowed & set(roles))


def unknown_roles(roles) -> list[str]:
    return [r for r in roles if r not in ALL_ROLES]


# Actions whose reach second-line and vendor agents have only within their own group.
GROUP_SCOPED = {
    "incident.assign",
    "incident.start",
    "incident.escalate",
    "incident.return",
    "incident.resolve",
    "incident.note",
    "incident.hold",
    "incident.set_service",
    "incident.set_priority",
    "request.handle",  # a second-line agent handles the requests dispatched to their group
}


def may_touch(roles, action: str, agent_group_id, incident_group_id) -> bool:
    """Scope rule on top of the table: the desk (L1) and leads reach every incident; second
    line and vendors only those held by their own group."""
    roles = set(roles)
    if roles & {L1, LEAD, ADMIN}:
        return True
    if REQUEST_MANAGER in roles and action.startswith("request."):
        return True  # the request manager oversees every request (and takes the escalated ones)
    if action in GROUP_SCOPED:
        return agent_group_id is not None and agent_group_id == incident_group_id
    return True


def may_assign_within(roles, agent_group_id, target_group_id) -> bool:
    """The desk and leads dispatch anywhere; second line and vendors assign within their group."""
    roles = set(roles)
    if roles & {L1, LEAD, ADMIN, REQUEST_MANAGER}:
        return True
    return target_group_id is None or target_group_id == agent_group_id


# What a key press in the incident screens needs (None: anyone who may read the queue).
KEY_ACTIONS: dict[str, str | None] = {
    "assign": "incident.assign",
    "escalate": "incident.escalate",
    "resolve": "incident.resolve",
    "close": "incident.close",
    "reopen": "incident.reopen",
    "note": "incident.note",
    "return": "incident.return",
    "confirm": "incident.confirm",
    "new": "incident.create",
    "knowledge": None,
    "detail": None,
    "problem": "problem.create",  # raise a problem from the incidents, or link them to one
    "to_request": "incident.to_request",  # close it as a service request and open the request
    "cause": "change.link_incident",  # record them as caused by a change (or not)
    "set_service": "incident.set_service",  # put it under another catalogue service
    "set_priority": "incident.set_priority",  # correct its impact and urgency
    "sla_hold": "incident.hold",  # hold its SLA clock (a row of the pause ledger), as `desk sla hold`
    "sla_resume": "incident.hold",  # ... and resume it
}


def may_key(roles, action: str) -> bool:
    """May an agent with these roles take a key action at all? (The services still check scope.)
    Escalate is open to whoever may escalate either way: functionally or hierarchically."""
    if action == "escalate":
        return can(roles, "incident.escalate") or can(roles, "incident.escalate_hierarchical")
    permission = KEY_ACTIONS.get(action)
    return permission is None or can(roles, permission)
