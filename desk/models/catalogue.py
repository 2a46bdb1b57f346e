"""The service catalogue (seed 001, seed 004 §3.3): a category tree, services, their immutable
published versions, service-level requirements (SLRs) and the drafts that become versions.

`Service` is what tickets point at; its name, summary, category, hours, targets and status are
a copy of its newest published version, kept by publication (for lists and lookups). What a
ticket is bound by is a `ServiceVersion`: never edited once written (database triggers refuse
UPDATE and DELETE, desk.services.catalogue_schema). The rules are in desk.domain.catalogue.
"""

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from desk.models.base import BaseModel
from desk.models.people import Agent

# The entry's texts, each in English and Chinese (`<name>_en`, `<name>_zh`).
TEXTS = ("name", "summary", "goal", "customers", "content", "frequency", "delivery", "deliverables", "price")


class ServiceCategory(BaseModel):
    """A node of the category tree (终端服务 / 账号与权限 / 网络 / 应用 / 数据中心 …)."""

    code = CharField(unique=True)
    parent = ForeignKeyField("self", null=True, on_delete="RESTRICT", backref="children")
    name_en = CharField()
    name_zh = CharField()
    position = IntegerField(default=0)


class Service(BaseModel):
    code = CharField(unique=True)
    name_en = CharField()
    name_zh = CharField()
    category = CharField(default="")  # a ServiceCategory code
    summary_en = TextField(default="")
    summary_zh = TextField(default="")
    hours = CharField(default="24x7")  # the service-hours calendar's name
    sla = TextField(default="{}")  # JSON: {"1": {"response": minutes, "resolve": minutes}, ...}
    status = CharField(default="published")  # published, retired (draft: never published yet)
    version = IntegerField(default=1)  # the row's own version (optimistic lock)
    current = IntegerField(null=True)  # the newest published version's number
    updated_at = DateTimeField(null=True)


class _Entry(BaseModel):
    """Every field of a catalogue entry (seed 001 §5.3, seed 004): shared by versions."""

    name_en = CharField()
    name_zh = CharField()
    summary_en = TextField(default="")
    summary_zh = TextField(default="")
    goal_en = TextField(default="")
    goal_zh = TextField(default="")
    customers_en = TextField(default="")
    customers_zh = TextField(default="")
    content_en = TextField(default="")
    content_zh = TextField(default="")
    frequency_en = TextField(default="")
    frequency_zh = TextField(default="")
    delivery_en = TextField(default="")
    delivery_zh = TextField(default="")
    deliverables_en = TextField(default="")
    deliverables_zh = TextField(default="")
    price_en = TextField(default="")
    price_zh = TextField(default="")
    category = CharField(default="")
    hours = CharField(default="24x7")
    owner = CharField(default="")  # the owning work group's code
    targets = TextField(default="{}")  # JSON {priority: {"response": minutes, "resolve": minutes}}
    needs_approval = BooleanField(default=False)
    approval_levels = IntegerField(default=0)
    needs_cost_confirmation = BooleanField(default=False)
    checklist = TextField(default="[]")  # JSON [{"en": ..., "zh": ...}]: extra intake items


class ServiceVersion(_Entry):
    """One published version of a service: immutable. `status` published or retired (a retired
    version ends the service from its effective date)."""

    service = ForeignKeyField(Service, on_delete="RESTRICT", backref="versions")
    number = IntegerField()
    status = CharField(default="published")
    effective_at = DateTimeField()
    published_at = DateTimeField()
    published_by = ForeignKeyField(Agent, null=True, on_delete="RESTRICT")
    draft = IntegerField(null=True)  # the CatalogueDraft it came from (None: loaded from a file)
    note = TextField(default="")  # what changed, in the publisher's words

    class Meta:
        table_name = "service_version"
        indexes = ((("service", "number"), True), (("service", "effective_at"), False))


class CatalogueRequirement(BaseModel):
    """A service-level requirement (SLR): what a customer needs that the catalogue lacks."""

    title = TextField()
    need = TextField(default="")
    source = TextField(default="")  # the contract or customer it comes from
    service = ForeignKeyField(Service, null=True, on_delete="RESTRICT")  # an existing service, or None: new
    status = CharField(default="open")  # open, accepted, rejected
    reason = TextField(default="")  # why it was rejected
    raised_by = ForeignKeyField(Agent, on_delete="RESTRICT", backref="requirements_raised")
    decided_by = ForeignKeyField(Agent, null=True, on_delete="RESTRICT", backref="requirements_decided")
    created_at = DateTimeField()
    updated_at = DateTimeField()
    version = IntegerField(default=1)

    class Meta:
        table_name = "catalogue_requirement"
        indexes = ((("status", "id"), False),)


class CatalogueDraft(BaseModel):
    """A new entry, a change to one, or a retirement, on its way to publication."""

    kind = CharField()  # new, change, retire
    code = CharField()
    service = ForeignKeyField(Service, null=True, on_delete="RESTRICT")
    requirement = ForeignKeyField(CatalogueRequirement, null=True, on_delete="RESTRICT")
    status = CharField(default="editing")  # editing, in_review, returned, approved, published, withdrawn
    entry = TextField(default="{}")  # JSON: the entry as edited (desk.domain.catalogue.FIELDS)
    base = IntegerField(default=0)  # the version number it started from (0: a new service)
    effective_at = DateTimeField(null=True)
    created_by = ForeignKeyField(Agent, on_delete="RESTRICT")
    created_at = DateTimeField()
    updated_at = DateTimeField()
    version = IntegerField(default=1)

    class Meta:
        table_name = "catalogue_draft"
        indexes = ((("status", "id"), False),)
