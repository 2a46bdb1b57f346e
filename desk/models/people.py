"""Who: caller organisations, callers, work groups and agents."""

from peewee import BooleanField, CharField, ForeignKeyField, IntegerField, TextField

from desk.models.base import BaseModel


class Organisation(BaseModel):
    name = CharField(unique=True)
    kind = CharField(default="branch")  # branch, department, customer


class Caller(BaseModel):
    name = CharField(index=True)
    organisation = ForeignKeyField(Organisation, null=True, backref="callers", on_delete="RESTRICT")
    phone = CharField(default="")
    email = CharField(default="")
    vip = BooleanField(default=False)


class Group(BaseModel):
    """A work group: the service desk (tier 1), second-line teams (tier 2), vendors (tier 3)."""

    code = CharField(unique=True)
    name_en = CharField()
    name_zh = CharField()
    tier = IntegerField()
    kind = CharField()  # desk, l2, vendor


class Agent(BaseModel):
    """A person who works tickets. `roles` is a comma-separated list of role codes."""

    login = CharField(unique=True)
    name = CharField()
    roles = TextField(default="l1")
    group = ForeignKeyField(Group, null=True, backref="agents", on_delete="RESTRICT")
    active = BooleanField(default=True)

    @property
    def role_set(self) -> frozenset[str]:
        return frozenset(r.strip() for r in self.roles.split(",") if r.strip())
