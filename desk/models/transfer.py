"""Where imported rows came from (`desk import`): one row per imported row of a table that has no
`origin` column of its own (incidents keep theirs in `incident.origin`). History rows need none:
they are known by their record and place in its chain (docs/export-format.md)."""

from peewee import CharField, IntegerField

from desk.models.base import BaseModel


class TransferOrigin(BaseModel):
    tbl = CharField()  # the table
    origin = CharField()  # "<desk id>:<id there>": the desk the row was first recorded on
    local_id = IntegerField()  # its id here
    digest = CharField(default="")  # of the row as last imported: tells a change made here from one made there

    class Meta:
        table_name = "transfer_origin"
        indexes = ((("tbl", "origin"), True), (("tbl", "local_id"), False))
