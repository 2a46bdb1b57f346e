"""Monitoring alerts: one row per fingerprint per incident it opened or joined.

`open_key` holds the fingerprint while the row is the one new alerts of that fingerprint join;
a unique index on it (NULLs are distinct in SQLite and PostgreSQL) is what makes the database
refuse a second open incident for one fingerprint, whatever two senders do at the same moment.
The intake releases the key (sets it to NULL) when it finds the incident resolved or closed.
"""

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from desk.models.base import BaseModel
from desk.models.incident import Incident


class Alert(BaseModel):
    fingerprint = CharField()
    open_key = CharField(null=True, unique=True)
    incident = ForeignKeyField(Incident, on_delete="RESTRICT", backref="alerts")
    source = CharField(default="")
    severity = CharField(default="")
    host = TextField(default="")
    service = TextField(default="")
    summary = TextField(default="")
    details = TextField(default="")
    state = CharField(default="firing")  # firing, cleared
    occurrences = IntegerField(default=1)
    first_seen = DateTimeField()
    last_seen = DateTimeField()
    cleared_at = DateTimeField(null=True)

    class Meta:
        indexes = ((("fingerprint",), False), (("incident",), False))
