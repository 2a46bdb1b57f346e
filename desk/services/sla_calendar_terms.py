"""Tickets of a service are timed on the calendar of its service hours: their catalogue version's
(`hours` names one of `[sla.calendars]`, or is written as text, "08:00-18:00 Mon-Fri"), or, keeping no
version, their service's first version's (desk.services.sla_terms). A version never changes, but the
calendar its name stands for does: an administrator adds next year's public holidays and make-up
days to config/sla.toml (every autumn, when they are announced), or a branch's office hours move.
Tickets timed on it keep the due time worked out on the calendar of the day they last changed: the
queue's order, the wallboard's breached list, the tick's escalations and a report's met or breached
read that, while their detail works the clock out on the calendar of today.

So `desk init` keeps a fingerprint of the calendar each catalogue version and each service times its
tickets by (Setting KEY). For those whose calendar changed it does what it does for tickets of no
service when the default terms change (desk.services.sla_default_terms): drops the clock rows of the
open ones, which the clocks' backfill (run next) makes again with their stored due time, and works
out again the stored due time of the resolved and closed ones; then keeps the new fingerprints.
Nothing of their history changes, nor do reports already generated.

A version or service the kept fingerprints do not name (new since the last init, or a desk from
before this was kept) is taken as timed on today's calendar: its fingerprint is kept and nothing is
re-timed (re-timing every ticket of a large desk once, on a guess, would cost minutes of `desk init`).
"""

from __future__ import annotations

import hashlib
import json

from desk.db import write_transaction
from desk.models import Service, ServiceVersion, Setting, SlaClock

KEY = "sla.calendar_terms"  # Setting: {"v<id>" / "s<id>": fingerprint of the calendar it times by}
STAGE = "calendar_due"  # the progress stage `retime` reports (named in [schema.step] beside the steps)


def calendar_terms(cal) -> dict:
    """What a calendar times a ticket by: its zone, week, holidays, make-up days and hours (not its
    name nor its labels: a renamed calendar times nothing differently)."""
    return {
        "tz": getattr(cal.tz, "key", None) or str(cal.tz),
        "week": repr(cal.week),
        "off": sorted(d.isoformat() for d in cal.holidays),
        "work": sorted(d.isoformat() for d in cal.workdays),
        "makeup": repr(cal.makeup),
    }


def digest(terms: dict) -> str:
    return hashlib.sha256(json.dumps(terms, sort_keys=True).encode()).hexdigest()[:32]


def fingerprints(desk) -> dict[str, str]:
    """The fingerprint of the calendar every catalogue version ("v<id>") and every service ("s<id>":
    its tickets that keep no version) times its tickets by, on today's configuration. Two reads,
    whatever the catalogue's size (`desk init` runs it every time)."""
    sla, out, by_hours = desk.config.sla, {}, {}

    def fingerprint(name, hours=None) -> str:
        if (name, hours) not in by_hours:
            by_hours[name, hours] = digest(calendar_terms(sla.calendar(name, hours)))
        return by_hours[name, hours]

    first: dict[int, str] = {}  # a service's first version: what its tickets of no version are timed on
    for version_id, service_id, hours in (ServiceVersion.select(ServiceVersion.id, ServiceVersion.service,
                                                                ServiceVersion.hours)
                                          .order_by(ServiceVersion.service, ServiceVersion.number).tuples()):
        out[f"v{version_id}"] = fingerprint(hours)
        first.setdefault(service_id, hours)
    for service_id, hours in Service.select(Service.id, Service.hours).tuples():
        # as desk.services.sla_terms.terms: the first version's calendar, else the service row's hours
        out[f"s{service_id}"] = fingerprint(first[service_id]) if service_id in first else fingerprint(None, hours)
    return out


def _kept() -> dict[str, str]:
    row = Setting.get_or_none(Setting.key == KEY)
    try:
        got = json.loads(row.value) if row is not None else {}
    except ValueError:
        got = {}
    return got if isinstance(got, dict) else {}


def changed(desk) -> tuple[dict[str, str], set[int], set[int]]:
    """Today's fingerprints, and the versions and services whose calendar is not the one kept for them."""
    now, kept = fingerprints(desk), _kept()
    moved = {key for key, value in now.items() if key in kept and kept[key] != value}
    return (now, {int(k[1:]) for k in moved if k[0] == "v"}, {int(k[1:]) for k in moved if k[0] == "s"})


def _timed_on(kind, versions: set[int], services: set[int]):
    """The tickets of a kind timed on the calendars of these versions, or of these services (those
    keeping no version); None when there are none to look for."""
    model, clocked = kind.model, kind.clock
    version, service = getattr(model, clocked.version), getattr(model, clocked.service)
    where = None
    if versions:
        where = version.in_(sorted(versions))
    if services:
        of_service = version.is_null() & service.in_(sorted(services))
        where = of_service if where is None else where | of_service
    return where


def drop_open_clocks(desk, kinds, versions: set[int], services: set[int]) -> int:
    """The clock rows of the open tickets timed on a changed calendar, dropped: the backfill makes them
    again (and their stored due time) on the calendar of today. Returns how many."""
    dropped = 0
    with write_transaction(desk.db):
        for kind in kinds:
            where = _timed_on(kind, versions, services)
            if where is None:
                continue
            ids = kind.model.select(kind.model.id).where(where)
            dropped += SlaClock.delete().where((SlaClock.entity == kind.entity) & SlaClock.entity_id.in_(ids)).execute()
    return dropped


def retime(desk, kinds, now: dict[str, str], versions: set[int], services: set[int], progress=None) -> int:
    """The stored due time of every resolved or closed ticket timed on a changed calendar worked out
    again, then today's fingerprints kept. Returns how many moved."""
    from desk.services import sla_retime

    wheres = [(kind, where & sla_retime.stopped_where(kind)) for kind in kinds
              if (where := _timed_on(kind, versions, services)) is not None]
    moved = sla_retime.restore(desk, wheres, STAGE, progress) if wheres else 0
    value = json.dumps(now, sort_keys=True)
    if _kept() != now:
        with write_transaction(desk.db):
            if Setting.update(value=value).where(Setting.key == KEY).execute() == 0:
                Setting.insert(key=KEY, value=value).execute()
    return moved
