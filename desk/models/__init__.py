"""Peewee rows only. Screens and the CLI never import this package: they call desk.services.

Each model is imported from its module when first asked for (`from desk.models import Incident`
imports desk.models.incident and what its foreign keys need, not every model): the TUI starts
with the few the queue reads, ~6 ms of CPU less than importing all 33 (docs/performance.md, figure 1).
`ALL_MODELS` imports them all."""

from importlib import import_module

# model -> the module it lives in
_HOME = {
    "Agent": "desk.models.people",
    "Alert": "desk.models.alert",
    "ApprovalDelegation": "desk.models.request",
    "Article": "desk.models.knowledge",
    "Caller": "desk.models.people",
    "CatalogueDraft": "desk.models.catalogue",
    "CatalogueRequirement": "desk.models.catalogue",
    "Change": "desk.models.change",
    "ChangeApproval": "desk.models.change",
    "ChangeIncident": "desk.models.change",
    "Code": "desk.models.codes",
    "Escalation": "desk.models.sla",
    "Group": "desk.models.people",
    "History": "desk.models.history",
    "Incident": "desk.models.incident",
    "IncidentArticle": "desk.models.knowledge",
    "Notification": "desk.models.sla",
    "Organisation": "desk.models.people",
    "Problem": "desk.models.problem",
    "ProblemIncident": "desk.models.problem",
    "Refusal": "desk.models.history",
    "Report": "desk.models.report",
    "ReportFeedback": "desk.models.report",
    "ReportSpec": "desk.models.report",
    "RequestApproval": "desk.models.request",
    "Service": "desk.models.catalogue",
    "ServiceCategory": "desk.models.catalogue",
    "ServiceRequest": "desk.models.request",
    "ServiceVersion": "desk.models.catalogue",
    "Setting": "desk.models.meta",
    "SlaClock": "desk.models.sla",
    "SlaPause": "desk.models.sla",
    "TransferOrigin": "desk.models.transfer",
}

# Creation order (foreign keys first).
_ORDER = (
    "Setting",
    "Code",
    "Organisation",
    "Caller",
    "Group",
    "Agent",
    "Service",
    "Incident",
    "History",
    "Refusal",
    "Article",
    "IncidentArticle",
    "Alert",
    "Change",
    "ChangeApproval",
    "ChangeIncident",
    "Problem",
    "ProblemIncident",
    "ServiceRequest",
    "RequestApproval",
    "ApprovalDelegation",
    "ReportSpec",
    "Report",
    "ReportFeedback",
    "TransferOrigin",
    "SlaPause",
    "SlaClock",
    "Escalation",
    "Notification",
    "ServiceCategory",
    "ServiceVersion",
    "CatalogueRequirement",
    "CatalogueDraft",
)

__all__ = [*_ORDER, "ALL_MODELS"]


def __getattr__(name: str):
    if name == "ALL_MODELS":
        value = [__getattr__(model) for model in _ORDER]
    elif name in _HOME:
        value = getattr(import_module(_HOME[name]), name)
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
