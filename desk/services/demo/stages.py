"""The demo's stages, in the order they run, and `generate`, which runs them.

A kind of record joins the demo with one line in STAGES (see the package docstring)."""

from __future__ import annotations

import time
from dataclasses import dataclass

from desk.domain.errors import ValidationError
from desk.models import Agent, Caller
from desk.services import actors
from desk.services.demo import changes, incidents, knowledge, people, problems
from desk.services.demo.base import Build, Progress, Stage

# The registry: one line per kind of record, in the order they are made (a stage may use what the
# stages before it returned, in build.made).
STAGES: tuple[Stage, ...] = (
    Stage("people", people.stage),
    Stage("knowledge", knowledge.stage),
    Stage("incidents", incidents.stage, reports=("incidents", "indexes", "search"), held=incidents.held,
          repair=incidents.repair),
    Stage("changes", changes.stage, held=changes.held),
    Stage("problems", problems.stage, held=problems.held),
)
LABELS = tuple(label for stage in STAGES for label in stage.labels)  # every progress label, in order


@dataclass(frozen=True)
class DemoResult:
    incidents: int
    agents: int
    callers: int
    seconds: float


def generate(desk, *, incidents: int = 2000, seed: int = 42, days: int = 90, progress: Progress | None = None,
             workers: int | None = None) -> DemoResult:
    """Fill the desk with a demo (see the package docstring). `workers`: generator processes
    (None: chosen from the size and the machine; 0: all in this process — same result)."""
    started = time.perf_counter()
    if incidents < 0:
        raise ValidationError("error.out_of_range", field="incidents", low=0, high="∞", got=incidents)
    if days < 1:
        raise ValidationError("error.out_of_range", field="days", low=1, high="∞", got=days)
    build = Build(desk, incidents=incidents, seed=seed, days=days, now=desk.now().replace(microsecond=0),
                  progress=progress, workers=workers)
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
