"""Schema step: tickets raised before their service had a catalogue version in force are timed on
its first version (issue 15).

Such tickets (incidents migrated from an older tool or opened before the catalogue was loaded;
requests raised for a service whose first version was dated later) keep no version of their
own. Their clock used to read the service's version in force at each evaluation, so a version
published later moved their targets without anyone re-targeting them, and their detail showed
another due time than the stored one the queue sorts by and the wallboard counts. Their clock
now reads the service's first version (desk.services.sla_terms.terms_of), which never changes.

The step drops the running clocks (`sla_clock` rows) of the open ones: `desk init`, which runs
the steps, then re-times them on the rule of today with the clocks of tickets that have none
(desk.services.sla_sync.backfill: their stored due time and a new clock row). Escalations already
recorded stay recorded once (their unique key): a clock made again tells nobody twice.
A resolved or closed ticket keeps the due time it was resolved against.
"""

from __future__ import annotations

from desk.db import is_sqlite

# (kind's entity, its table, its version column)
UNVERSIONED = (("incident", "incident", "service_version_id"), ("request", "service_request", "service_version"))


def step(db, report=None) -> None:
    for number, (entity, table, column) in enumerate(UNVERSIONED, 1):
        sql = (f"DELETE FROM sla_clock WHERE entity = %s AND entity_id IN (SELECT id FROM {table} "
               f"WHERE service_id IS NOT NULL AND {column} IS NULL)")
        db.execute_sql(sql.replace("%s", "?") if is_sqlite(db) else sql, (entity,))
        if report:
            report(number, len(UNVERSIONED))
