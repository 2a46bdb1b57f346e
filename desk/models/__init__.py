"""Peewee rows only. Screens and the CLI never import this package: they call desk.services."""

from desk.models.alert import Alert
from desk.models.catalogue import CatalogueDraft, CatalogueRequirement, Service, ServiceCategory, ServiceVersion
from desk.models.change import Change, ChangeApproval, ChangeIncident
from desk.models.codes import Code
from desk.models.history import History, Refusal
from desk.models.incident import Incident
from desk.models.knowledge import Article, IncidentArticle
from desk.models.meta import Setting
from desk.models.people import Agent, Caller, Group, Organisation
from desk.models.problem import Problem, ProblemIncident
from desk.models.report import Report, ReportFeedback, ReportSpec
from desk.models.request import ApprovalDelegation, RequestApproval, ServiceRequest
from desk.models.transfer import TransferOrigin
from desk.models.sla import Escalation, Notification, SlaClock, SlaPause

# Creation order (foreign keys first).
ALL_MODELS = [
    Setting,
    Code,
    Organisation,
    Caller,
    Group,
    Agent,
    Service,
    Incident,
    History,
    Refusal,
    Article,
    IncidentArticle,
    Alert,
    Change,
    ChangeApproval,
    ChangeIncident,
    Problem,
    ProblemIncident,
    ServiceRequest,
    RequestApproval,
    ApprovalDelegation,
    ReportSpec,
    Report,
    ReportFeedback,
    TransferOrigin,
    SlaPause,
    SlaClock,
    Escalation,
    Notification,
    ServiceCategory,
    ServiceVersion,
    CatalogueRequirement,
    CatalogueDraft,
]

__all__ = [m.__name__ for m in ALL_MODELS] + ["ALL_MODELS"]
