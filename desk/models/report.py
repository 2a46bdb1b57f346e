"""Service reports (seed 000): the report list, the reports of each period, their feedback."""

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, IntegerField, TextField

from desk.models.base import BaseModel
from desk.models.people import Agent


class ReportSpec(BaseModel):
    """An entry of the report list (服务报告清单). `content` (JSON) is the entry in force (empty
    until first confirmed); `pending` (JSON) a change the report manager drafted that a reviewer
    has not confirmed yet (`pending_action`: create, edit or retire)."""

    code = CharField(unique=True)
    content = TextField(default="")
    pending = TextField(null=True)
    pending_action = CharField(default="")
    pending_by = ForeignKeyField(Agent, null=True, on_delete="RESTRICT", backref="report_spec_drafts")
    status = CharField()  # pending (never confirmed), confirmed, retired (desk.domain.report_flow)
    active = BooleanField(default=False)
    created_at = DateTimeField()
    updated_at = DateTimeField()
    version = IntegerField(default=1)


class Report(BaseModel):
    """One report of one period: its raw figures (JSON, so it can be re-checked and rendered
    again), the writer's commentary, and where it is in review."""

    spec = ForeignKeyField(ReportSpec, on_delete="RESTRICT", backref="reports")
    period = CharField()  # 2026-10, 2026-W44, 2026-Q4
    period_start = DateTimeField()
    period_end = DateTimeField()  # exclusive
    due_at = DateTimeField()
    spec_content = TextField()  # the entry as it was when the report was generated (JSON)
    status = CharField()
    figures = TextField(default="{}")
    commentary = TextField(default="")
    return_note = TextField(default="")
    writer = ForeignKeyField(Agent, null=True, on_delete="RESTRICT", backref="reports_written")
    generated_at = DateTimeField()
    confirmed_by = ForeignKeyField(Agent, null=True, on_delete="RESTRICT", backref="reports_confirmed")
    reviewed_by = ForeignKeyField(Agent, null=True, on_delete="RESTRICT", backref="reports_reviewed")
    submitted_by = ForeignKeyField(Agent, null=True, on_delete="RESTRICT", backref="reports_submitted")
    submitted_at = DateTimeField(null=True)
    channel = CharField(default="")
    recipients = TextField(default="[]")  # JSON list
    archived_at = DateTimeField(null=True)
    updated_at = DateTimeField()
    version = IntegerField(default=1)

    class Meta:
        indexes = (
            (("spec", "period"), True),
            (("status", "due_at"), False),
        )


class ReportFeedback(BaseModel):
    """Feedback from a customer or a leader on a submitted report, with the corrective action,
    tracked to closure (seed 000 step 7)."""

    report = ForeignKeyField(Report, on_delete="RESTRICT", backref="feedback")
    source = TextField()  # who gave it (a customer, a leader)
    text = TextField()
    action = TextField(default="")  # the corrective action
    status = CharField()  # open, closed
    recorded_by = ForeignKeyField(Agent, on_delete="RESTRICT", backref="report_feedback")
    created_at = DateTimeField()
    closed_at = DateTimeField(null=True)
    updated_at = DateTimeField()
    version = IntegerField(default=1)
