"""The queue's visible rows, read with SQL compiled once per database handle.

A page of the queue is up to a few hundred rows joined with their caller, organisation, group
and assignee. Peewee spends more time building that SELECT and converting its values than the
database spends answering it (3–4 ms for 120 rows against under 1 ms), and this read sits on the
path of every sort, filter and page the user asks for. So the text is built once per id-count
bucket (the list is padded with its last id, which IN ignores) and the values are converted here:
the timestamps are ISO text on SQLite and datetimes already on PostgreSQL.
"""

from __future__ import annotations

from datetime import datetime

from peewee import JOIN

from desk.models import Agent, Caller, Group, Incident, Organisation
from desk.services.compiled import compiled
from desk.services.views import IncidentRow

BUCKETS = (1, 8, 32, 128, 512)
BATCH = BUCKETS[-1]


def _query(size: int):
    Assignee = Agent.alias()
    return (Incident
            .select(Incident.id, Incident.priority, Incident.status, Incident.title, Caller.name,
                    Organisation.name, Group.code, Assignee.login, Incident.tier, Incident.opened_at,
                    Incident.updated_at, Incident.due_at, Incident.resolved_at, Incident.category,
                    Incident.version, Incident.service, Incident.service_version)
            .join(Caller, JOIN.LEFT_OUTER, on=(Incident.caller == Caller.id))
            .switch(Incident).join(Organisation, JOIN.LEFT_OUTER, on=(Incident.organisation == Organisation.id))
            .switch(Incident).join(Group, JOIN.LEFT_OUTER, on=(Incident.group == Group.id))
            .switch(Incident).join(Assignee, JOIN.LEFT_OUTER, on=(Incident.assignee == Assignee.id))
            .where(Incident.id.in_([0] * size)))


def _when(value):
    if value is None or isinstance(value, datetime):
        return value
    try:
        return datetime.fromisoformat(value)
    except (TypeError, ValueError):  # whatever else a column holds: peewee's own reading of it
        return Incident.opened_at.python_value(value)


def rows(desk, id_list) -> list[IncidentRow]:
    """The rows for these ids, in the order given (ids that do not exist are skipped). `desk`:
    the handle the SQL text is kept on (None: built for this call, for one-off readers)."""
    from desk.db import database

    id_list = [int(i) for i in id_list]
    found: dict[int, IncidentRow] = {}
    db = desk.db if desk is not None else database
    for start in range(0, len(id_list), BATCH):
        chunk = id_list[start:start + BATCH]
        size = next(b for b in BUCKETS if b >= len(chunk))
        if desk is not None:
            sql = compiled(desk, ("queue_rows", size), lambda size=size: _query(size), size)
        else:
            sql = _query(size).sql()[0]
        for r in db.execute_sql(sql, chunk + [chunk[-1]] * (size - len(chunk))):
            found[r[0]] = IncidentRow(r[0], r[1], r[2], r[3], r[4] or "", r[5] or "", r[6] or "", r[7] or "",
                                      r[8], _when(r[9]), _when(r[10]), _when(r[11]), _when(r[12]), r[13], r[14],
                                      r[15], r[16])
    if desk is not None:
        from desk.services import sla_terms

        sla_terms.warm(desk)  # the SLA column's calendars, read here in the reading thread (never on the UI's)
        sla_terms.warm_versions(desk, {r.service_version_id for r in found.values()})
    return [found[i] for i in id_list if i in found]
