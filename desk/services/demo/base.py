"""What every demo stage is given and how it is declared (no kind of record in here)."""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

Progress = Callable[[str, int, int], None]


@dataclass
class Build:
    """One run of `desk demo`, handed to each stage in turn."""

    desk: Any
    incidents: int  # how many incidents to make
    seed: int
    days: int  # the window the records fall in: [now - days, now]
    now: datetime
    progress: Progress | None = None
    workers: int | None = None  # generator processes (None: chosen from the size and the machine)
    held: dict[str, int] = field(default_factory=dict)  # stage name -> records of its kind already there
    made: dict[str, Any] = field(default_factory=dict)  # stage name -> what its `run` returned
    # History was empty before this run wrote anything: its indexes may go during the bulk phase.
    fresh: bool = False
    # Indexes (and search triggers) dropped by the bulk phase's stages, built once at its end.
    unbuilt: list = field(default_factory=list)

    def rng(self, name: str) -> random.Random:
        """The random stream of one stage: the same seed gives the same records."""
        return random.Random(f"desk-demo:{self.seed}:{name}")

    def report(self, label: str, done: int, total: int) -> None:
        if self.progress:
            self.progress(label, done, total)


@dataclass(frozen=True)
class Stage:
    """One kind of demo record, as desk/services/demo/stages.py registers it.

    `run(build)` writes the records and returns what later stages need (kept in
    `build.made[name]`). `reports` are the progress labels it reports (`demo.stage.<label>` in
    both languages' messages), in order; the first is its own name. `adds(build)` gives the
    parameters of the message `demo.adds.<name>`, what it will add (said before anything is
    written). A kind of ticket names its `entity` (as in `[entity]` of the messages) and `held()`
    counts the tickets already in the database (0 where its table does not exist yet): a desk
    holding any is in use, and the demo refuses it unless forced. `repair(build)`, run before
    anything else, puts back what an interrupted run of this stage left behind."""

    name: str
    run: Callable[[Build], Any]
    reports: tuple[str, ...] = ()
    adds: Callable[[Build], dict] | None = None
    entity: str = ""
    held: Callable[[], int] | None = None
    repair: Callable[[Build], None] | None = None

    @property
    def labels(self) -> tuple[str, ...]:
        return self.reports or (self.name,)
