"""Service requests (seed 003): every field of the request form, the approval levels decided on
them, and approvers' dated substitutes. The rules are in desk.domain.request_flow."""

from peewee import BooleanField, CharField, DateField, DateTimeField, ForeignKeyField, IntegerField, TextField

from desk.models.base import BaseModel, IdOf
from desk.models.catalogue import Service
from desk.models.incident import Incident
from desk.models.people import Agent, Group


class ServiceRequest(BaseModel):
    title = TextField()
    description = TextField(default="")
    requester = TextField(default="")  # the person who asked (服务请求发起人)
    contact = TextField(default="")  # how to reach them
    location = TextField(default="")
    request_class = CharField(default="technical")  # business / technical ([[request_class]])
    channel = CharField(default="hotline")  # [[request_channel]]
    service = ForeignKeyField(Service, null=True, on_delete="RESTRICT")
    service_version = IdOf("service_version", null=True)  # the catalogue version in force when it was raised (its id)
    priority = IntegerField(default=3)
    status = CharField()  # desk.domain.request_flow
    created_by = ForeignKeyField(Agent, on_delete="RESTRICT", backref="requests_raised")  # the creator
    owner = ForeignKeyField(Agent, null=True, on_delete="RESTRICT", backref="requests_owned")  # 首问负责
    handler = ForeignKeyField(Agent, null=True, on_delete="RESTRICT", backref="requests_handled")
    group = ForeignKeyField(Group, null=True, on_delete="RESTRICT")  # the handler group
    checklist = TextField(default="[]")  # JSON: the intake checklist items ticked
    approval_levels = IntegerField(default=0)  # 0: no approval needed
    approved = BooleanField(default=False)
    approval_round = IntegerField(default=0)  # each ask for approval opens a new round of levels
    needs_cost = BooleanField(default=False)
    cost_confirmed = BooleanField(default=False)
    cost_amount = CharField(null=True)  # a decimal as text: exact on both backends
    cost_currency = CharField(null=True)
    cost_confirmed_with = TextField(default="")  # who at the customer agreed
    cost_confirmed_by = ForeignKeyField(Agent, null=True, on_delete="RESTRICT", backref="costs_confirmed")
    cost_confirmed_at = DateTimeField(null=True)
    rejection_code = CharField(null=True)  # the approval-rejected code ([[request_rejection]])
    outcome = CharField(null=True)  # how fulfilment ended: succeeded / failed
    close_code = CharField(null=True)  # [[request_close_code]]
    completion_note = TextField(default="")  # what was done
    satisfaction = IntegerField(null=True)  # the callback (回访): 1–5
    callback_comment = TextField(default="")
    remarks = TextField(default="")
    attachments = TextField(default="[]")  # JSON: file references
    incident = ForeignKeyField(Incident, null=True, on_delete="RESTRICT")  # converted from / into
    auto_closed = BooleanField(default=False)
    registered_at = DateTimeField()
    accepted_at = DateTimeField(null=True)
    first_response_at = DateTimeField(null=True)
    resolved_at = DateTimeField(null=True)
    callback_at = DateTimeField(null=True)
    completed_at = DateTimeField(null=True)
    closed_at = DateTimeField(null=True)
    updated_at = DateTimeField()
    version = IntegerField(default=1)
    # schema 12: when the resolution target is reached (business time, pauses skipped; NULL while
    # paused or without a target), kept in step by desk.services.sla_sync so the queue sorts by SLA
    due_at = DateTimeField(null=True)

    class Meta:
        table_name = "service_request"
        indexes = (
            (("status", "priority", "registered_at"), False),
            (("owner", "status"), False),
            (("handler", "status"), False),
            (("group", "status"), False),
            (("status", "resolved_at"), False),  # auto-close finds the silent ones
            (("updated_at",), False),
            (("registered_at",), False),
            (("status", "due_at"), False),  # schema 12
            # schema 19: the queue's sorts (the list machinery's first page walks an index and stops at
            # the page, as on the problem and change queues): "all" by priority; a view of some
            # statuses by age or last update, each status's stretch in that order (figure 15)
            (("priority", "registered_at"), False),
            (("status", "registered_at"), False),
            (("status", "updated_at"), False),
        )


class RequestApproval(BaseModel):
    """One level of one round of a request's approval: who is to decide, and what was decided
    (by whom: the approver, or their substitute on their behalf)."""

    request = ForeignKeyField(ServiceRequest, on_delete="RESTRICT", backref="approvals")
    round = IntegerField(default=1)
    level = IntegerField()
    approver = ForeignKeyField(Agent, on_delete="RESTRICT", backref="approvals_named")
    decision = CharField(null=True)  # None (waiting), approved, rejected
    decided_by = ForeignKeyField(Agent, null=True, on_delete="RESTRICT", backref="approvals_decided")
    decided_at = DateTimeField(null=True)
    note = TextField(default="")
    asked_at = DateTimeField()

    class Meta:
        table_name = "request_approval"
        indexes = (
            (("request", "round", "level"), True),
            (("approver", "decision"), False),
        )


class ApprovalDelegation(BaseModel):
    """An approver away from `starts` to `ends` (dates, both included) names a substitute."""

    approver = ForeignKeyField(Agent, on_delete="RESTRICT", backref="delegations_given")
    substitute = ForeignKeyField(Agent, on_delete="RESTRICT", backref="delegations_taken")
    starts = DateField()
    ends = DateField()
    note = TextField(default="")
    created_at = DateTimeField()

    class Meta:
        table_name = "approval_delegation"
        indexes = ((("substitute", "ends"), False), (("approver", "ends"), False))
