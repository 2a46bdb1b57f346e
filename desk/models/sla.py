"""SLA rows (issue 15), for every kind of ticket (`entity`, `entity_id`, as history names them).

`SlaPause`: the pause ledger (who held the clock, why, from when to when). `SlaClock`: one row
per ticket whose clock runs, what the tick and the wallboard read (warning and due instants,
how far escalation went, the next instant the tick has work for). `Escalation`: each automatic
escalation, once (a unique key per ticket, stage and cycle). `Notification`: a row per person
told, read or not.
"""

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from desk.models.base import BaseModel
from desk.models.people import Agent


class SlaPause(BaseModel):
    entity = CharField()
    entity_id = IntegerField()
    reason = CharField()
    note = TextField(default="")
    started_at = DateTimeField()
    ended_at = DateTimeField(null=True)
    started_by = ForeignKeyField(Agent, null=True, on_delete="RESTRICT", backref="+")
    ended_by = ForeignKeyField(Agent, null=True, on_delete="RESTRICT", backref="+")

    class Meta:
        table_name = "sla_pause"
        indexes = ((("entity", "entity_id", "started_at"), False),)


class SlaClock(BaseModel):
    entity = CharField()
    entity_id = IntegerField()
    priority = IntegerField(null=True)
    group_id = IntegerField(null=True)
    paused_since = DateTimeField(null=True)
    warn_at = DateTimeField(null=True)
    due_at = DateTimeField(null=True)
    stage = IntegerField(default=0)  # 0: nothing sent; 1: warning sent; 2: breach sent
    cycle = IntegerField(default=0)  # a reopened ticket starts a new cycle of escalations
    next_at = DateTimeField(null=True)  # when the tick has work for it (NULL: none)

    class Meta:
        table_name = "sla_clock"
        indexes = (
            (("entity", "entity_id"), True),
            (("next_at",), False),
            (("entity", "due_at"), False),
            (("entity", "warn_at"), False),
            # the wallboard's breached and breaching-soon counts and lists (schema 17): running clocks
            # (paused_since NULL) by due time, answered from the index alone
            (("entity", "paused_since", "due_at", "warn_at"), False),
        )


class Escalation(BaseModel):
    entity = CharField()
    entity_id = IntegerField()
    stage = CharField()  # raised (priority 1), warning, breach
    cycle = IntegerField(default=0)
    at = DateTimeField()
    due_at = DateTimeField(null=True)

    class Meta:
        table_name = "sla_escalation"
        indexes = ((("entity", "entity_id", "stage", "cycle"), True), (("at",), False))


class Notification(BaseModel):
    agent = ForeignKeyField(Agent, on_delete="RESTRICT", backref="+")
    entity = CharField()
    entity_id = IntegerField()
    kind = CharField()  # sla.raised, sla.warning, sla.breach
    params = TextField(default="{}")  # JSON: what the message needs, rendered in the reader's language
    at = DateTimeField()
    read_at = DateTimeField(null=True)

    class Meta:
        table_name = "notification"
        indexes = ((("agent", "read_at", "id"), False), (("agent", "id"), False))
