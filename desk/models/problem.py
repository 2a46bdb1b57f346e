"""Problems and the incidents linked to them (many incidents, one problem)."""

from peewee import CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from desk.models.base import BaseModel
from desk.models.catalogue import Service
from desk.models.change import Change
from desk.models.incident import Incident
from desk.models.knowledge import Article
from desk.models.people import Agent, Group


class Problem(BaseModel):
    title = TextField()
    description = TextField(default="")
    category = CharField(default="other")  # the incident categories
    service = ForeignKeyField(Service, null=True, on_delete="RESTRICT")
    impact = IntegerField()
    urgency = IntegerField()
    priority = IntegerField()  # from impact × urgency, the incidents' matrix
    status = CharField()  # desk.domain.problem_flow
    root_cause = TextField(default="")
    workaround = TextField(default="")
    fix = TextField(default="")  # the permanent fix
    fix_change = ForeignKeyField(Change, null=True, on_delete="RESTRICT", backref="fixed_problems")
    article = ForeignKeyField(Article, null=True, on_delete="RESTRICT")  # the known error's article
    owner = ForeignKeyField(Agent, null=True, on_delete="RESTRICT", backref="problems_owned")
    group = ForeignKeyField(Group, null=True, on_delete="RESTRICT")
    created_by = ForeignKeyField(Agent, on_delete="RESTRICT", backref="problems_raised")
    opened_at = DateTimeField()
    known_error_at = DateTimeField(null=True)
    resolved_at = DateTimeField(null=True)
    closed_at = DateTimeField(null=True)
    updated_at = DateTimeField()
    version = IntegerField(default=1)

    class Meta:
        indexes = (
            (("status", "priority", "opened_at"), False),
            (("updated_at",), False),
            # the queue's priority order (priority, opened_at, id) with the status at hand: a view's
            # first page and its whole order walk it, reading no row and sorting nothing (figure 14)
            (("priority", "opened_at", "id", "status"), False),
            # schema 18: the other sorts (age, last update). A view of some statuses walks each status's
            # stretch in sort order and stops at the page (as the priority order does in the first
            # index); "all" walks the sort key's own. Without them a view's first page sorted every
            # problem of the view in a temporary B-tree (6.7 ms at 20,000 problems: figure 14)
            (("status", "updated_at"), False),
            (("status", "opened_at"), False),
            (("opened_at",), False),
        )


class ProblemIncident(BaseModel):
    """An incident linked to a problem; an incident belongs to one problem at most."""

    problem = ForeignKeyField(Problem, on_delete="RESTRICT", backref="incident_links")
    incident = ForeignKeyField(Incident, on_delete="RESTRICT", unique=True)
    at = DateTimeField()
