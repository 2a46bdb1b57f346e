"""The base model: every row is bound to the deferred database proxy."""

from peewee import IntegerField, Model

from desk.db import database


class BaseModel(Model):
    class Meta:
        database = database
        legacy_table_names = False


class IdOf(IntegerField):
    """The id of a row of another table, kept as a plain integer (no foreign key: the column came
    with a schema step that could not add one to a table in use). What moves a desk's data
    (desk.services.transfer) maps it as it maps a foreign key: another desk's id means nothing here."""

    def __init__(self, table: str, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.refers_to = table
