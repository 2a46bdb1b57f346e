"""Tickets of no service and no catalogue version are timed on the desk's default terms: the `[sla]
default_calendar` (its hours, holidays and make-up days, in the `[sla] timezone`) and the
[[priority]] targets (desk.services.sla_terms.terms). Their detail, `desk sla show` and the
wallboard work their clock out on the terms of today; their stored due time (the queue's order, a
report's met or breached) and an open one's `sla_clock` row (the tick's escalations) were worked
out on the terms of the day they last changed, or, migrated before the migration timed them on
the default calendar, round the clock. On a desk whose default calendar was always the shipped
24x7 that is the same; on one with business hours it is not.

So `desk init` keeps a fingerprint of the default terms (Setting KEY). When the terms it runs with
differ from the ones kept (or none was kept: a desk from before), it drops the clock rows of the
open ones, which the clocks' backfill (run next) makes again on the new terms with their stored
due time, and works out the stored due time of the resolved and closed ones again, as their clock
reads it (sla_retime.restore, as for tickets of a service with no version); then keeps the new
fingerprint. Nothing of their history changes (a due time is not a recorded field), nor do reports
already generated. An init whose default terms did not change reads no ticket.
"""

from __future__ import annotations

from desk.db import write_transaction
from desk.models import Setting, SlaClock
from desk.services.sla_calendar_terms import calendar_terms, digest

KEY = "sla.default_terms"  # Setting: the fingerprint of the default terms the stored due times follow
STAGE = "default_due"  # the progress stage `retime_stopped` reports (named in [schema.step] beside the steps)


def fingerprint(desk) -> str:
    """What the default terms time a ticket by, as a short digest: the default calendar's zone,
    week, holidays, make-up days and hours, and the [[priority]] targets (not the calendar's
    name, nor its labels: a renamed calendar times nothing differently)."""
    sla = desk.config.sla
    terms = {**calendar_terms(sla.calendar()),
             "targets": {str(p): list(t) for p, t in sorted(sla.defaults.items())}}
    return digest(terms)


def changed(desk) -> str | None:
    """The default terms' fingerprint, if it is not the one kept (None: unchanged since the last init)."""
    now = fingerprint(desk)
    kept = Setting.get_or_none(Setting.key == KEY)
    return None if kept is not None and kept.value == now else now


def _of_none(kind):
    model, clocked = kind.model, kind.clock
    return getattr(model, clocked.service).is_null() & getattr(model, clocked.version).is_null()


def drop_open_clocks(desk, kinds) -> int:
    """The clock rows of open tickets of no service and no version, dropped: the backfill makes them
    again on the terms of today. (Escalations already recorded stay recorded once: a clock made
    again tells nobody twice.) Returns how many."""
    dropped = 0
    with write_transaction(desk.db):
        for kind in kinds:
            ids = kind.model.select(kind.model.id).where(_of_none(kind))
            dropped += SlaClock.delete().where((SlaClock.entity == kind.entity) & SlaClock.entity_id.in_(ids)).execute()
    return dropped


def retime_stopped(desk, kinds, terms: str, progress=None) -> int:
    """The stored due time of every resolved or closed ticket of no service and no version worked
    out again on the default terms, then `terms` (the fingerprint) kept. Returns how many moved.
    `progress(STAGE, done, total)` after each batch."""
    from desk.services import sla_retime

    moved = sla_retime.restore(desk, [(kind, _of_none(kind) & sla_retime.stopped_where(kind)) for kind in kinds],
                               STAGE, progress)
    with write_transaction(desk.db):
        if Setting.update(value=terms).where(Setting.key == KEY).execute() == 0:
            Setting.insert(key=KEY, value=terms).execute()
    return moved
