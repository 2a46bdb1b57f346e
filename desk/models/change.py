"""Changes (RFCs), the approvers' decisions on them, and the incidents they caused."""

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from desk.models.base import BaseModel
from desk.models.incident import Incident
from desk.models.people import Agent


class Change(BaseModel):
    title = TextField()
    description = TextField(default="")
    reason = TextField(default="")
    type = CharField()  # standard, normal, emergency (desk.domain.change_flow)
    template = CharField(default="")  # a standard change's template ([[change_template]] in config)
    services = TextField(default="")  # affected services, free text (comma-separated)
    items = TextField(default="")  # affected configuration items, free text
    risk = CharField(default="")  # low, medium, high
    impact = TextField(default="")  # the impact assessment
    implementation_plan = TextField(default="")
    backout_plan = TextField(default="")
    test_plan = TextField(default="")
    planned_start = DateTimeField(null=True)
    planned_end = DateTimeField(null=True)
    actual_start = DateTimeField(null=True)
    actual_end = DateTimeField(null=True)
    status = CharField()
    outcome = CharField(null=True)  # successful, failed, backed_out
    review = TextField(default="")  # the post-implementation review
    approved_via = CharField(default="")  # cab, lead (emergency), template (standard)
    requester = ForeignKeyField(Agent, on_delete="RESTRICT", backref="changes_requested")
    implementer = ForeignKeyField(Agent, null=True, on_delete="RESTRICT", backref="changes_implemented")
    created_at = DateTimeField()
    approved_at = DateTimeField(null=True)
    closed_at = DateTimeField(null=True)
    updated_at = DateTimeField()
    version = IntegerField(default=1)

    class Meta:
        indexes = (
            (("status", "planned_start"), False),
            (("planned_start", "planned_end"), False),
            (("updated_at",), False),
            # the "open" view (status not closed or rejected), newest update first: walked in the index
            # alone (its order, and each change's status, without reading the rows)
            (("updated_at", "id", "status"), False),
            # schema 18: the same for the other sorts (age, planned start), and each status's stretch in
            # sort order for the views of some statuses; without them a view's first page sorted every
            # change of the view in a temporary B-tree (10 ms at 50,000 changes: figure 14)
            (("created_at", "id", "status"), False),
            (("planned_start", "id", "status"), False),
            (("status", "updated_at"), False),
            (("status", "created_at"), False),
        )


class ChangeApproval(BaseModel):
    """One approver's decision on a change (approve or reject); one per approver and change."""

    change = ForeignKeyField(Change, on_delete="RESTRICT", backref="decisions")
    agent = ForeignKeyField(Agent, on_delete="RESTRICT")
    decision = CharField()
    at = DateTimeField()
    note = TextField(default="")

    class Meta:
        indexes = ((("change", "agent"), True),)


class ChangeIncident(BaseModel):
    """An incident caused by a change (an incident has at most one such change)."""

    change = ForeignKeyField(Change, on_delete="RESTRICT", backref="incident_links")
    incident = ForeignKeyField(Incident, on_delete="RESTRICT", unique=True)
    at = DateTimeField()
