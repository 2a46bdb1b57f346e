"""Demo records written through the services themselves, on a clock the story moves forward: the
histories are then exactly what the services write (hash chains, versions, links in both
histories, refusals checked), at the times the story says."""

from __future__ import annotations

import dataclasses
from datetime import datetime, timedelta

from desk.domain.roles import APPROVER, L2, LEAD, OPS_LEAD
from desk.models import Agent, Group, Incident


class StoryClock:
    """The story's time: moved forward by the story, never past `cap` (the demo's now)."""

    def __init__(self, at: datetime, cap: datetime):
        self.cap = cap
        self.at = min(at, cap).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.at

    def set(self, at: datetime) -> datetime:
        self.at = min(at, self.cap).replace(microsecond=0)
        return self.at

    def step(self, rng, low_minutes: int, high_minutes: int) -> datetime:
        return self.set(self.at + timedelta(minutes=rng.randint(low_minutes, high_minutes)))


def storied(desk, at: datetime, now: datetime):
    """(a handle on the same database whose clock is the story's, the clock). The handle has a
    cache of its own: what it caches can depend on its time (a service's terms in force weeks ago,
    before the catalogue's version took effect), and must not leak into the desk's own."""
    clock = StoryClock(at, now)
    return dataclasses.replace(desk, clock=clock, cache={}), clock


@dataclasses.dataclass
class Cast:
    """Who plays which part, by login (empty where the desk has nobody in that role)."""

    second_line: list[str]
    leads: list[str]
    approvers: list[str]
    ops_leads: list[str]

    def pick(self, rng, part: str) -> str | None:
        people = getattr(self, part)
        return people[rng.randrange(len(people))] if people else None


def cast(you: str) -> Cast:
    by_role: dict[str, list[str]] = {L2: [], LEAD: [], APPROVER: [], OPS_LEAD: []}
    second_line_groups = {g.id for g in Group.select(Group.id).where(Group.kind == "l2")}
    for agent in Agent.select().where(Agent.active == True).order_by(Agent.login):  # noqa: E712
        for role in by_role:
            if role in agent.role_set and (role != L2 or agent.group_id in second_line_groups):
                by_role[role].append(agent.login)
    leads = [login for login in by_role[LEAD] if login != you] or by_role[LEAD]
    return Cast(by_role[L2], leads, by_role[APPROVER], by_role[OPS_LEAD])


def this_runs_incidents(build) -> tuple[int, int]:
    """The id range (low, high] of the incidents the incidents stage made in this run."""
    made = int(build.made.get("incidents") or 0)
    top = Incident.select(Incident.id).order_by(Incident.id.desc()).scalar() or 0
    return top - made, top
