"""A ticket's SLA terms: the targets per priority and the service-hours calendar its clock runs on.

The ticket's catalogue service version (the one in force when it was raised; a ticket raised
before its service had one in force — an incident migrated from an older tool, or opened before
the catalogue — keeps its service's first version), its SLA table and service-hours calendar,
falling back to the [[priority]] defaults. Never the version in force now: a version published
later would move the targets of tickets nobody re-targeted, and their due time shown away from
the stored one the queue sorts by. They change only by a change of priority or service. The
calendar: the version's, else `[sla] default_calendar`.

Versions never change, so their terms are kept per handle; a service's are kept a few seconds
(a published version is rare), and `warm` copies them into the configuration for the queue's SLA
column, which reads no database on the UI's thread.
"""

from __future__ import annotations

import json
import time
from typing import Any, NamedTuple

from desk.models import Service, ServiceVersion

TERMS_TTL = 5.0  # seconds a service's SLA terms are kept per handle (a published version is rare)


class Terms(NamedTuple):
    sla: dict
    calendar: Any



def _service_terms(desk, service_id: int | None) -> Terms | None:
    """The terms of a ticket of a service that keeps no version of it: the service's first version
    (versions never change, so neither do they), else (a service from before the catalogue's
    versions) the service row's."""
    if service_id is None:
        return None
    first = (ServiceVersion.select(ServiceVersion.id).where(ServiceVersion.service == service_id)
             .order_by(ServiceVersion.number).first())
    if first is not None:
        got = version_terms(desk, first.id)
        if got is not None:
            return got
    row = Service.select(Service.sla, Service.hours).where(Service.id == service_id).first()
    if row is None:
        return None
    return _row_terms(desk, row.sla, row.hours)


def _row_terms(desk, sla_text: str | None, hours) -> Terms:
    """The terms a service row itself holds (a service from before the catalogue's versions)."""
    try:
        table = json.loads(sla_text or "{}")
    except ValueError:
        table = {}
    return Terms(table if isinstance(table, dict) else {}, desk.config.sla.calendar(None, hours))


def terms(desk, service_id: int | None) -> Terms:
    """The SLA table and calendar of a ticket of this service that keeps no version (None: of no
    service: the defaults), kept a few seconds per handle."""
    cache = desk.cache.setdefault("sla.terms", {})
    hit = cache.get(service_id)
    clock = time.monotonic()
    if hit is not None and clock - hit[0] < TERMS_TTL:
        return hit[1]
    got = _service_terms(desk, service_id) or Terms({}, desk.config.sla.calendar(None, None))
    cache[service_id] = (clock, got)
    return got


def version_terms(desk, version_id: int) -> Terms | None:
    """The SLA table and calendar of one catalogue version (versions never change: kept per handle)."""
    cache = desk.cache.setdefault("sla.version_terms", {})
    if version_id in cache:
        return cache[version_id]
    from desk.services import catalogue

    reader = getattr(catalogue, "version_by_id", None)
    version = reader(desk, version_id) if reader is not None else None
    got = _version_terms(desk, version) if version is not None else None
    cache[version_id] = got
    return got


def _version_terms(desk, version) -> Terms:
    table = {str(p): dict(v) for p, v in (version.entry.get("targets") or {}).items()}
    return Terms(table, desk.config.sla.calendar(version.hours))


def terms_of(desk, clocked, row) -> Terms:
    """A ticket's terms (`clocked`: its kind's desk.services.sla.Clocked): the version it was raised under, else its service's first version (or the
    service row), else the defaults."""
    version_id = getattr(row, clocked.version, None) if clocked.version else None
    if version_id is not None:
        got = version_terms(desk, version_id)
        if got is not None:
            return got
    return terms(desk, getattr(row, clocked.service, None))


def warm(desk) -> None:
    """Every service's terms into `config.sla.row_terms` (at most once per TERMS_TTL), so that
    the queue's SLA column finds them without reading the database on the UI's thread. Read in
    two queries, as `terms` gives them, and only the columns they need: asked service by service
    (two queries each, ~10 ms of CPU for the shipped dozen, the catalogue's whole rows built), the
    reader held the interpreter while the first frame was built."""
    cache = desk.config.sla.row_terms
    clock = time.monotonic()
    if clock - cache.get("_at", -TERMS_TTL) < TERMS_TTL:
        return
    from peewee import fn

    first = (ServiceVersion.select(ServiceVersion.service.alias("sid"), fn.MIN(ServiceVersion.number).alias("n"))
             .group_by(ServiceVersion.service)).alias("first")
    firsts = {service_id: (version_id, targets, hours) for service_id, version_id, targets, hours in
              ServiceVersion.select(ServiceVersion.service, ServiceVersion.id, ServiceVersion.targets,
                                    ServiceVersion.hours)
              .join(first, on=((ServiceVersion.service == first.c.sid) & (ServiceVersion.number == first.c.n)))
              .tuples()}
    kept = desk.cache.setdefault("sla.terms", {})
    versions = desk.cache.setdefault("sla.version_terms", {})
    for service_id, sla_text, hours in Service.select(Service.id, Service.sla, Service.hours).tuples():
        version = firsts.get(service_id)
        if version is not None:  # (its first version's terms, as version_terms reads them)
            version_id, targets, version_hours = version
            got = versions.get(version_id)
            if got is None:
                table = {str(p): dict(v) for p, v in json.loads(targets or "{}").items()}
                got = versions[version_id] = Terms(table, desk.config.sla.calendar(version_hours))
        else:
            got = _row_terms(desk, sla_text, hours)
        kept[service_id] = (clock, got)
        cache[service_id] = got
    cache[None] = terms(desk, None)
    cache["_at"] = clock


def warm_versions(desk, version_ids) -> None:
    """These catalogue versions' terms into `config.sla.row_terms` (key ("v", id)), for a queue
    whose rows name the version they were raised under (read in the reading thread)."""
    cache = desk.config.sla.row_terms
    for version_id in {v for v in version_ids if v is not None}:
        if ("v", version_id) not in cache:
            got = version_terms(desk, version_id)
            if got is not None:
                cache[("v", version_id)] = got


def cached_terms(config, service_id: int | None, version_id: int | None = None) -> Terms:
    """A ticket's terms as `warm` / `warm_versions` last read them (no database): its version's,
    else its service's, else the default calendar and the [[priority]] targets."""
    got = config.sla.row_terms.get(("v", version_id)) if version_id is not None else None
    if got is None:
        got = config.sla.row_terms.get(service_id)
    return got if got is not None else Terms({}, config.sla.calendar())
