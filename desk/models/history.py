"""History: one append-only, hash-chained log for every kind of ticket.

Each (entity, entity_id) has its own chain: row `seq` n carries the hash of row n-1.
Triggers created by the schema module refuse UPDATE and DELETE.
"""

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from desk.models.base import BaseModel
from desk.models.people import Agent


class History(BaseModel):
    entity = CharField()  # incident, request, catalogue, report
    entity_id = IntegerField()
    seq = IntegerField()
    at = DateTimeField()
    actor = ForeignKeyField(Agent, null=True, on_delete="RESTRICT")
    action = CharField()
    changes = TextField(default="{}")  # JSON {field: [old, new]}
    note = TextField(default="")
    prev_hash = CharField()
    hash = CharField()

    class Meta:
        indexes = ((("entity", "entity_id", "seq"), True),)


class Refusal(BaseModel):
    """Every refused attempt (role, transition, stale version) is recorded for audit."""

    at = DateTimeField()
    actor = CharField()
    action = CharField()
    entity = CharField(default="")
    entity_id = IntegerField(null=True)
    reason = CharField()
