"""The demo's stages, in the order they run, and `generate`, which runs them.

A kind of record joins the demo with one line in STAGES (see the package docstring)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from desk.domain.errors import DeskError, ValidationError
from desk.models import Agent, Caller
from desk.services import actors, schema
from desk.services.demo import catalogue, changes, incidents, knowledge, people, problems, reports, requests
from desk.services.demo.base import Build, Progress, Stage

# The registry: one line per kind of record, in the order they are made (a stage may use what the
# stages before it returned, in build.made).
STAGES: tuple[Stage, ...] = (
    Stage("people", people.stage, adds=people.adds),
    Stage("knowledge", knowledge.stage, adds=knowledge.adds),
    Stage("absences", requests.absences),
    Stage("incidents", incidents.stage, adds=incidents.adds, entity="incident", held=incidents.held,
          repair=incidents.repair),
    # Right after the incidents: the requests are written before the indexes are built (requests.stage).
    Stage("requests", requests.stage, reports=("requests", "indexes", "search"), adds=requests.adds,
          entity="request", held=requests.held),
    Stage("changes", changes.stage, adds=changes.adds, entity="change", held=changes.held),
    Stage("problems", problems.stage, adds=problems.adds, entity="problem", held=problems.held),
    Stage("catalogue", catalogue.stage, adds=catalogue.adds),
    Stage("sla", lambda build: _sla_clocks(build)),
    Stage("reports", reports.stage, adds=reports.adds),
)


def _sla_clocks(build: Build) -> int:
    """The running SLA clocks of the open incidents (what the tick and the wallboard read)."""
    from desk.services import incidents as incident_service, sla_sync

    build.report("sla", 0, 1)
    done = sla_sync.backfill(build.desk, incident_service.KIND)
    build.report("sla", 1, 1)
    return done
LABELS = tuple(label for stage in STAGES for label in stage.labels)  # every progress label, in order


@dataclass(frozen=True)
class DemoResult:
    incidents: int
    agents: int
    callers: int
    seconds: float


def _build(desk, incidents: int, seed: int, days: int, progress: Progress | None = None,
           workers: int | None = None) -> Build:
    if incidents < 0:
        raise ValidationError("error.at_least", field="incidents", low=0, got=incidents)
    if days < 1:
        raise ValidationError("error.at_least", field="days", low=1, got=days)
    return Build(desk, incidents=incidents, seed=seed, days=days, now=desk.now().replace(microsecond=0),
                 progress=progress, workers=workers)


def adds(desk, *, incidents: int = 2000, days: int = 90) -> list[tuple[str, dict]]:
    """What a demo of this size will add, as (message key, parameters), one per stage. Reads only."""
    build = _build(desk, incidents, 0, days)
    return [(f"demo.adds.{stage.name}", stage.adds(build)) for stage in STAGES if stage.adds]


def init(desk, *, days: int = 90):
    """`desk init` for a demo: run as on the day before the story's first, so the catalogue it
    publishes is in force for every ticket the story raises. Published at the real time, every
    demo request was raised under no version: its due time was set by the service row's terms, and
    its clock read the version in force now (another calendar for most services: 36 of 194 open
    requests of a 3,000-incident demo showed another due time than the one stored)."""
    from datetime import timedelta

    from desk.services import setup
    from desk.services.demo.clock import storied

    now = desk.now()
    handle, _ = storied(desk, now - timedelta(days=days + 1), now)
    return setup.init_database(handle)


def refuse_in_use(desk) -> None:
    """A database that holds tickets is in use: a demo is not added to it unless forced
    (DeskError error.demo_in_use, naming how many tickets of which kind). A database `desk init`
    has not prepared holds none."""
    if schema.schema_version(desk.db) == 0:
        return
    for stage in STAGES:
        count = stage.held() if stage.held else 0
        if count:
            raise DeskError("error.demo_in_use", target=desk.target.display, count=count, kind=stage.entity)


def generate(desk, *, incidents: int = 2000, seed: int = 42, days: int = 90, progress: Progress | None = None,
             workers: int | None = None, force: bool = False) -> DemoResult:
    """Fill the desk with a demo (see the package docstring). A desk that holds tickets already is
    refused unless `force` (and then needs the `admin.demo` permission). `workers`: generator
    processes (None: chosen from the size and the machine; 0: all in this process — same result)."""
    started = time.perf_counter()
    build = _build(desk, incidents, seed, days, progress, workers)
    if not force:
        refuse_in_use(desk)
    build.held = {stage.name: stage.held() for stage in STAGES if stage.held}
    if any(build.held.values()):  # filling a desk in use with made-up records is for its administrators
        actors.require(actors.resolve(desk, desk.user), "admin.demo")
    for stage in STAGES:
        if stage.repair:
            stage.repair(build)
    for stage in STAGES:
        build.made[stage.name] = stage.run(build)
    agents = Agent.select().where(Agent.active == True).count()  # noqa: E712
    callers = Caller.select().count()
    return DemoResult(incidents, agents, callers, time.perf_counter() - started)
