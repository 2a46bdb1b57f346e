"""Schema version and small settings the database itself carries."""

from peewee import CharField, TextField

from desk.models.base import BaseModel


class Setting(BaseModel):
    key = CharField(primary_key=True)
    value = TextField()
