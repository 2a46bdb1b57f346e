"""Catalogue services: enough for incidents and requests to point at (the catalogue issue extends it)."""

from peewee import CharField, IntegerField, TextField

from desk.models.base import BaseModel


class Service(BaseModel):
    code = CharField(unique=True)
    name_en = CharField()
    name_zh = CharField()
    category = CharField(default="")
    summary_en = TextField(default="")
    summary_zh = TextField(default="")
    hours = CharField(default="24x7")
    sla = TextField(default="{}")  # JSON: {"1": {"response": minutes, "resolve": minutes}, ...}
    status = CharField(default="published")
    version = IntegerField(default=1)
