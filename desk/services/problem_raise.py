"""What the TUI's "raise a problem from these incidents" form offers (read-only): the title,
category and service a new problem takes from its incidents, and the problems the incidents may
be linked to instead. The writes are desk.services.problems.create and link."""

from __future__ import annotations

from collections.abc import Iterable
from typing import NamedTuple

from desk.domain import problem_flow as flow
from desk.models import Incident, Problem, ProblemIncident
from desk.services import linking

LINK_CHOICES = 500  # problems offered in the picker (most urgent first)


class RaiseDefaults(NamedTuple):
    title: str  # the first incident's title
    category: str  # the category the incidents share ("" when they differ)
    service: str  # the service code they share ("" when they differ or have none)
    linked: tuple[tuple[int, int], ...]  # (incident id, the problem it is linked to already)


def shared(values: Iterable):
    """The one value all of these share, else None (also for none at all)."""
    found = set(values)
    return found.pop() if len(found) == 1 else None


def defaults(desk, incident_ids: Iterable[int]) -> RaiseDefaults:
    ids = linking.incident_ids(incident_ids)
    rows = list(Incident.select(Incident.id, Incident.title, Incident.category, Incident.service)
                .where(Incident.id.in_(ids)).order_by(Incident.id)) if ids else []
    held = tuple((r.incident_id, r.problem_id) for r in ProblemIncident.select(ProblemIncident.incident,
                                                                                 ProblemIncident.problem)
                 .where(ProblemIncident.incident.in_(ids)).order_by(ProblemIncident.incident)) if ids else ()
    service = shared(r.service_id for r in rows)
    return RaiseDefaults(rows[0].title if rows else "", shared(r.category for r in rows) or "",
                         linking.service_code(desk, service) if service else "", held)


class ProblemChoice(NamedTuple):
    id: int
    title: str
    status: str
    priority: int
    version: int


def link_choices(desk, limit: int = LINK_CHOICES) -> list[ProblemChoice]:
    """The problems incidents may be linked to (open or resolved), most urgent first."""
    allowed = sorted(flow.ALLOWED_FROM["link"])
    query = (Problem.select(Problem.id, Problem.title, Problem.status, Problem.priority, Problem.version)
             .where(Problem.status.in_(allowed)).order_by(Problem.priority, Problem.id.desc()).limit(limit))
    return [ProblemChoice(r.id, r.title, r.status, r.priority, r.version) for r in query]
