"""The plan demo service requests are generated from: everything request_story and request_life
need, read once from the desk and its configuration (who takes, handles and approves requests,
the services a request may be raised for with every catalogue version and what each asks, the
SLA terms and targets, the codes). Plain data: it crosses to worker processes."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime

from desk.domain.roles import APPROVER, L1, L2
from desk.models import Agent, Group, Service
from desk.services import catalogue, request_intake, sla_terms, sla_tick
from desk.services.demo import request_delegations
from desk.services.demo.clock import storied
from desk.services.demo.incident_plan import opening_slots

BLOCK = 5_000  # requests per random stream and per write transaction
ORDERABLE = ("published", "", None)  # a service row's status request_intake accepts


@dataclass(frozen=True)
class Plan:
    seed: int
    n: int
    block: int
    first_id: int
    t0: int  # epoch seconds of the window's start; step times are offsets from it
    limit: int  # offset of now: nothing happens after it
    slots: tuple[float, ...]  # the opening curve (incident_plan.opening_slots)
    open_span: int
    l1: tuple[str, ...]  # who takes requests (the service desk, you apart)
    l2: tuple[str, ...]  # who handles them (second line)
    approvers: tuple[str, ...]
    agents: dict  # login -> (id, group id)
    group_codes: dict  # group id -> code
    desk_group: int | None  # where a returned request goes ([request] desk_group)
    services: dict  # code -> (service id, versions: ((effective epoch, version id, levels, needs cost, items), …))
    terms: dict  # ("v", version id) | ("s", service id) | None -> (calendar, {priority: resolve minutes})
    warning: float
    pausing: dict  # status -> the ledger's reason ([sla.pausing.request])
    auto_close_days: float
    priorities: tuple[int, ...]
    channels: tuple[str, ...]
    classes: tuple[str, ...]
    rejections: tuple[str, ...]  # the [[request_rejection]] codes
    outcomes: tuple[str, ...]  # close codes fulfilment may end with
    delegations: tuple = ()  # approvers away in the past, naming substitutes (request_delegations.plan)
    current: tuple | None = None  # an approver away from today


def _epoch(moment: datetime) -> int:
    """Whole seconds, rounded up: a version effective at 10:00:00.5 is not in force at 10:00:00."""
    return calendar.timegm(moment.timetuple()) + (1 if moment.microsecond else 0)


def _people(desk) -> tuple[list[str], list[str], list[str], dict]:
    desk_groups = {g.id for g in Group.select(Group.id).where(Group.kind == "desk")}
    second = {g.id for g in Group.select(Group.id).where(Group.kind == "l2")}
    l1, l2, approvers, agents = [], [], [], {}
    for agent in Agent.select().where(Agent.active == True).order_by(Agent.login):  # noqa: E712
        roles = agent.role_set
        agents[agent.login] = (agent.id, agent.group_id)
        if L1 in roles and agent.group_id in desk_groups and agent.login != desk.user and APPROVER not in roles:
            l1.append(agent.login)
        if L2 in roles and agent.group_id in second and APPROVER not in roles:
            l2.append(agent.login)
        if APPROVER in roles:
            approvers.append(agent.login)
    return l1, l2, approvers, agents


def _targets(desk, got: sla_terms.Terms) -> tuple:
    minutes = {}
    for code in desk.config.codes("priority"):
        target = desk.config.sla.targets(code, got.sla)
        if target is not None:
            minutes[int(code)] = target.resolve_minutes
    return got.calendar, minutes


def _services(desk, before) -> tuple[dict, dict]:
    """(the orderable services with their versions, the SLA terms of each version and of each
    service raised under none)."""
    services, terms = {}, {None: _targets(desk, sla_terms.terms(before, None))}
    for row in Service.select(Service.id, Service.code, Service.status).order_by(Service.code):
        if row.status not in ORDERABLE:
            continue
        versions = []
        for version in catalogue.versions(desk, row.id):
            asks = request_intake.of_version(row.id, version)
            versions.append((_epoch(version.effective_at), version.id, asks.approval_levels, asks.needs_cost,
                             tuple(code for code, _ in asks.items)))
            got = sla_terms.version_terms(desk, version.id)
            if got is not None:
                terms["v", version.id] = _targets(desk, got)
        services[row.code] = (row.id, tuple(versions))
        terms["s", row.id] = _targets(desk, sla_terms.terms(before, row.id))  # raised before any version was in force
    return services, terms


def make_plan(desk, *, requests: int, seed: int, days: int, now: datetime, first_id: int,
              delegate: bool = True) -> Plan | None:
    """None when the desk has nobody to take or to handle requests. `delegate`: approvers are away
    now and then, naming substitutes (a first load only)."""
    config = desk.config
    l1, l2, approvers, agents = _people(desk)
    if not l1 or not l2:
        return None
    span = days * 86400
    t0 = _epoch(now) - span
    open_span = max(1, span - 600)  # the newest request is ten minutes old: room for the pinned stories
    # A handle whose clock stands before any catalogue version: the terms of a service that had none.
    before, _ = storied(desk, datetime(1971, 1, 1), now)
    services, terms = _services(desk, before)
    code = config.request_setting("desk_group", "desk")
    desk_group = Group.select(Group.id).where(Group.code == code).scalar()
    raised = sla_tick.raised_priority(desk)  # a priority that tells the shift leads: none of those here
    delegations, current = request_delegations.plan(seed, first_id, tuple(approvers), t0, span) if delegate \
        else ((), None)
    codes = [int(c) for c in config.codes("priority")]
    priorities = tuple(p for p in (2, 3, 3, 3, 4) if p in codes and p != raised) or tuple(
        p for p in codes if p != raised) or tuple(codes)
    return Plan(
        seed=seed, n=requests, block=BLOCK, first_id=first_id, t0=t0, limit=span,
        slots=opening_slots(t0, open_span), open_span=open_span, l1=tuple(l1), l2=tuple(l2),
        approvers=tuple(approvers), agents=agents, group_codes={g.id: g.code for g in Group.select()},
        desk_group=desk_group, services=services, terms=terms, warning=config.sla.warning,
        pausing=dict(config.sla.pausing("request")),
        auto_close_days=float(config.request_setting("auto_close_days", 5)), priorities=priorities,
        channels=tuple(config.codes("request_channel")), classes=tuple(config.codes("request_class")),
        rejections=tuple(config.codes("request_rejection")), outcomes=("succeeded", "failed"),
        delegations=delegations, current=current,
    )


def version_at(plan: Plan, code: str, epoch: int) -> tuple | None:
    """(version id, levels, needs cost, items) of a service's version in force at `epoch`: the
    highest-numbered one in effect by then (None: none yet)."""
    found = None
    for effective, version_id, levels, cost, items in plan.services[code][1]:
        if effective <= epoch:
            found = (version_id, levels, cost, items)
    return found
