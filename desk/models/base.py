"""The base model: every row is bound to the deferred database proxy."""

from peewee import Model

from desk.db import database


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False
