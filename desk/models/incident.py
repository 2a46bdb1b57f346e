"""Incidents: every field the incident guide names, plus the optimistic-lock version."""

from peewee import (
    CharField,
    DateTimeField,
    ForeignKeyField,
    IntegerField,
    TextField,
)

from desk.models.base import BaseModel
from desk.models.catalogue import Service, ServiceVersion
from desk.models.people import Agent, Caller, Group, Organisation


class Incident(BaseModel):
    title = TextField()
    description = TextField(default="")
    source = CharField(default="phone")
    classification = CharField(default="incident")
    caller = ForeignKeyField(Caller, null=True, on_delete="RESTRICT")
    organisation = ForeignKeyField(Organisation, null=True, on_delete="RESTRICT")
    service = ForeignKeyField(Service, null=True, on_delete="RESTRICT")
    category = CharField(default="other")
    impact = IntegerField()
    urgency = IntegerField()
    priority = IntegerField()
    status = CharField()
    tier = IntegerField(default=1)
    group = ForeignKeyField(Group, null=True, on_delete="RESTRICT")
    assignee = ForeignKeyField(Agent, null=True, on_delete="RESTRICT", backref="assigned")
    owner = ForeignKeyField(Agent, null=True, on_delete="RESTRICT", backref="owned")  # first-line owner (首问负责)
    vendor_ref = CharField(default="")
    escalation_level = IntegerField(default=0)  # hierarchical escalations
    reopen_count = IntegerField(default=0)
    started_at = DateTimeField(null=True)  # when the caller says it began
    opened_at = DateTimeField()
    first_response_at = DateTimeField(null=True)
    resolved_at = DateTimeField(null=True)
    confirmed_at = DateTimeField(null=True)
    closed_at = DateTimeField(null=True)
    updated_at = DateTimeField()
    # The resolution target (opened_at + the priority's resolve time), stored so that the
    # queue can sort and filter by SLA in SQL on a million rows.
    due_at = DateTimeField(null=True)
    resolved_by = ForeignKeyField(Agent, null=True, on_delete="RESTRICT", backref="resolved")
    resolved_group = ForeignKeyField(Group, null=True, on_delete="RESTRICT", backref="resolved")
    closure_code = CharField(null=True)
    resolution = TextField(default="")
    version = IntegerField(default=1)
    # schema 4: the ticket's number in the tool it was migrated from (the queue filter's `ref:`)
    external_ref = CharField(null=True)
    # schema 4: "<desk id>:<id>" of an incident imported from another desk (what a later import
    # of the same desk's export matches it by); NULL for an incident recorded here
    origin = CharField(null=True, unique=True)
    # schema 13: the catalogue version of its service in force when it was raised (its SLA targets
    # and service hours); NULL: no service, or none published then (the version in force applies)
    service_version = ForeignKeyField(ServiceVersion, null=True, on_delete="RESTRICT", index=False)

    class Meta:
        indexes = (
            (("status", "priority", "opened_at"), False),
            (("group", "status", "priority"), False),
            (("assignee", "status", "priority"), False),
            (("priority", "opened_at"), False),
            (("opened_at",), False),
            (("updated_at",), False),
            (("closed_at",), False),
            (("status", "due_at"), False),
            # schema 2: sort by last update within a status; SLA order across every status
            (("status", "updated_at"), False),
            (("due_at", "id"), False),
            (("resolved_at",), False),
            (("external_ref",), False),
        )
