"""The plan demo incidents are generated from: everything a block generator needs, read once from
the desk and its configuration (groups and who works them, callers, templates with their
services, groups and articles, the priority matrix and targets, closure codes, sources, the
opening-hour curve). Plain data: it crosses to worker processes."""

from __future__ import annotations

import bisect
import calendar
from dataclasses import dataclass, replace
from datetime import datetime

from desk.models import Agent, Service, ServiceVersion
from desk.services.demo.incident_templates import CLOSURE_WEIGHTS, SOURCE_WEIGHTS, TEMPLATES
from desk.services.demo.people import DESK_AGENTS, MONITORING_ORG, SHIFT_LEADS

BLOCK = 10_000  # incidents per random stream and per write transaction


@dataclass(frozen=True)
class Plan:
    seed: int
    n: int
    block: int  # incidents per random stream
    first_id: int
    t0: int  # epoch seconds (naive UTC arithmetic) of the window's start; event times are offsets
    limit: int  # offset of now: nothing happens after it
    slots: tuple[float, ...]  # cumulative opening weights per hour slot
    open_span: int  # incidents open within [0, open_span)
    matrix: tuple[tuple[int, ...], ...]
    targets: dict  # priority -> (response seconds, resolve seconds) or None
    auto_confirm: int  # seconds after resolution a silent caller's incident may be closed
    desk_group: tuple  # (id, code, tier)
    next_groups: dict  # tier -> tuple of group refs one tier up
    members: dict  # group id -> tuple of (agent id, login) who work it
    owners: tuple  # (agent id, login) of the service desk, weighted by repetition
    leads: tuple  # (agent id, login) of the shift leads
    you: tuple  # (agent id, login) of desk.user
    callers: tuple  # (caller id, organisation id, lang)
    org_names: dict  # organisation id -> name
    monitoring_org: int | None
    templates: tuple  # (cum weight, template, service id, l2 ref, vendor ref, article id, impact cum, urgency cum)
    sources: tuple  # (cumulative weights, codes) of the human sources (monitoring apart)
    monitoring: str | None  # the monitoring source code, when configured
    closure: dict  # resolver kind -> (cum weights, codes)
    # service id (None: no service), and ("v", version id) -> (calendar, or None for 24x7; priority ->
    # resolve seconds): the SLA engine's terms, so that a due time is business time as
    # desk.services.sla computes it
    sla: dict | None = None
    # service id -> ((offset of its effective time, version id), ...) of the versions in force by now,
    # oldest first: the catalogue version an incident keeps (version_at)
    versions: dict | None = None


def version_at(versions: tuple | None, opened: int) -> int | None:
    """The catalogue version an incident opened at `opened` keeps: the one in force then, else (it
    opened before the service had one) the one in force when the demo is made, which is what an
    incident with no version of its own would read now (desk.services.sla_terms.terms_of)."""
    if not versions:
        return None
    found = versions[-1][1]
    for effective, version_id in reversed(versions):
        if effective <= opened:
            return version_id
    return found


def _cumulative(weights) -> tuple[float, ...]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return tuple(out)


def _epoch(moment: datetime) -> int:
    return calendar.timegm(moment.timetuple())


def _hour_weight(epoch_hour: int) -> float:
    hour = epoch_hour % 24
    weekday = (epoch_hour // 24 + 3) % 7  # 1970-01-01 was a Thursday; Monday is 0
    if weekday >= 5:
        return 0.35 if 9 <= hour < 18 else 0.1
    if 9 <= hour < 12 or 14 <= hour < 18:
        return 1.6
    if hour in (8, 12, 13):
        return 1.0
    if 18 <= hour < 21:
        return 0.5
    return 0.12


def opening_slots(t0: int, open_span: int) -> tuple[float, ...]:
    """Cumulative opening weights per hour of [t0, t0 + open_span): more tickets in office hours
    (the demo's requests open along the same curve)."""
    weights = []
    for slot in range(-(-open_span // 3600)):
        length = min(3600, open_span - slot * 3600)
        weights.append(_hour_weight((t0 + slot * 3600) // 3600) * length / 3600)
    return _cumulative(weights)


def at_point(slots: tuple[float, ...], x: float, open_span: int) -> int:
    """The offset (seconds from t0) of the point `x` (0 … slots[-1]) along the opening curve."""
    slot = min(bisect.bisect_right(slots, x), len(slots) - 1)
    below = slots[slot - 1] if slot else 0.0
    opened = slot * 3600 + int((x - below) / (slots[slot] - below) * 3600)
    return min(opened, open_span - 1)


def make_plan(desk, *, incidents: int, seed: int, days: int, now: datetime, first_id: int, people: dict,
          articles: dict[str, int]) -> Plan:
    config = desk.config
    span = days * 86400
    t0 = _epoch(now) - span
    open_span = max(1, span - 600)  # the newest incident is ten minutes old: room for the pinned stories
    slots = opening_slots(t0, open_span)

    groups = people["groups"]
    refs = {g.code: (g.id, g.code, g.tier) for g in groups}
    desk_group = refs[people["desk_group"].code]
    next_groups: dict[int, tuple] = {}
    for g in groups:
        next_groups.setdefault(g.tier - 1, ())
        next_groups[g.tier - 1] += (refs[g.code],)
    agents = list(Agent.select().where(Agent.active == True).order_by(Agent.id))  # noqa: E712
    members: dict[int, tuple] = {}
    for a in agents:
        if a.group_id is not None and a.role_set & {"l1", "l2", "vendor", "lead"}:
            members[a.group_id] = members.get(a.group_id, ()) + ((a.id, a.login),)
    you = next(a for a in agents if a.login == desk.user)
    demo_desk = {login for login, _ in DESK_AGENTS}
    owners = tuple((a.id, a.login) for a in agents if a.login in demo_desk for _ in range(3))
    leads = tuple((a.id, a.login) for a in agents if a.login in {l for l, _ in SHIFT_LEADS}) + ((you.id, you.login),)
    owners += leads
    services = {s.code: s.id for s in Service.select(Service.id, Service.code)}
    versions = _versions(now, t0)

    categories, classifications = config.codes("category"), config.codes("classification")
    templates, cum = [], 0.0
    for tpl in TEMPLATES:
        cum += tpl.weight
        tpl = replace(tpl, category=tpl.category if tpl.category in categories else
                      ("other" if "other" in categories else categories[0]),
                      classification=tpl.classification if tpl.classification in classifications else "incident")
        l2 = refs.get(tpl.l2) if tpl.l2 and refs.get(tpl.l2, (0, 0, 0))[2] == desk_group[2] + 1 else None
        vendor = refs.get(tpl.vendor) if tpl.vendor else None
        templates.append((cum, tpl, services.get(tpl.service), l2, vendor, articles.get(tpl.article),
                          _cumulative(tpl.impact), _cumulative(tpl.urgency)))

    closure_codes = set(config.codes("closure_code"))
    closure = {}
    for kind, weighted in CLOSURE_WEIGHTS.items():
        pairs = [(c, w) for c, w in weighted if c in closure_codes] or [(sorted(closure_codes)[0], 1)]
        closure[kind] = (_cumulative(w for _, w in pairs), tuple(c for c, _ in pairs))
    human = [c for c in config.codes("source") if c != "monitoring"] or [config.data["incident"]["default_source"]]
    sources = (_cumulative(SOURCE_WEIGHTS.get(c, 5) for c in human), tuple(human))
    targets = {}
    for entry in config.entries("priority"):
        targets[int(entry["code"])] = (int(entry["response_minutes"]) * 60, int(entry["resolve_minutes"]) * 60)
    orgs = people["orgs"]
    return Plan(
        seed=seed, n=incidents, block=BLOCK, first_id=first_id, t0=t0, limit=span, slots=slots,
        open_span=open_span, matrix=config.matrix.rows, targets=targets,
        auto_confirm=int(config.auto_confirm_days * 86400), desk_group=desk_group, next_groups=next_groups,
        members=members, owners=owners or ((you.id, you.login),), leads=leads, you=(you.id, you.login),
        callers=tuple(people["callers"]), org_names={v: k for k, v in orgs.items()},
        monitoring_org=orgs.get(MONITORING_ORG), templates=tuple(templates),
        sources=sources,
        monitoring="monitoring" if "monitoring" in config.codes("source") else None,
        closure=closure, sla=_sla_terms(desk, services, versions), versions=versions,
    )


def _versions(now: datetime, t0: int) -> dict:
    """Each service's versions in force by `now`, as (offset from t0 of its effective time, id)."""
    out: dict = {}
    rows = (ServiceVersion.select(ServiceVersion.service, ServiceVersion.effective_at, ServiceVersion.id)
            .where(ServiceVersion.effective_at <= now).order_by(ServiceVersion.service, ServiceVersion.number).tuples())
    for service_id, effective, version_id in rows:
        out[service_id] = out.get(service_id, ()) + ((_epoch(effective) - t0, version_id),)
    return out


def _sla_terms(desk, services: dict, versions: dict) -> dict:
    from desk.services import sla_terms

    def terms_row(terms) -> tuple:
        resolves = {}
        for entry in desk.config.entries("priority"):
            got = desk.config.sla.targets(entry["code"], terms.sla)
            if got is not None:
                resolves[int(entry["code"])] = got.resolve_minutes * 60
        return None if terms.calendar.always else terms.calendar, resolves

    out: dict = {service_id: terms_row(sla_terms.terms(desk, service_id)) for service_id in [None, *services.values()]}
    for pairs in versions.values():
        for _effective, version_id in pairs:
            got = sla_terms.version_terms(desk, version_id)
            if got is not None:
                out[("v", version_id)] = terms_row(got)
    return out


