"""A service request's statuses (desk.domain.request_flow's state machine moves between them).

On their own so that what only names them needs not import the state machine: the SLA settings
check which request statuses pause a clock when the queue's first rows are read, before desk's
first frame, where importing request_flow (and its approval rules) cost ~1.3 ms of CPU."""

PENDING, ACCEPTED, DISPATCHED, ESCALATED = "pending", "accepted", "dispatched", "escalated"
AWAITING_APPROVAL, AWAITING_COST, AWAITING_REQUESTER = "awaiting_approval", "awaiting_cost", "awaiting_requester"
RESOLVED, CLOSED = "resolved", "closed"
STATUSES = (PENDING, ACCEPTED, DISPATCHED, ESCALATED, AWAITING_APPROVAL, AWAITING_COST, AWAITING_REQUESTER,
            RESOLVED, CLOSED)
OPEN = frozenset(STATUSES) - {RESOLVED, CLOSED}
