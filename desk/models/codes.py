"""Code tables loaded from config: priority, impact, urgency, status, closure code, category…"""

from peewee import CharField, IntegerField, TextField

from desk.models.base import BaseModel


class Code(BaseModel):
    table = CharField()
    code = CharField()
    label_en = CharField()
    label_zh = CharField()
    position = IntegerField(default=0)
    extra = TextField(default="{}")  # JSON: table-specific attributes (e.g. SLA minutes)

    class Meta:
        indexes = ((("table", "code"), True),)
