"""The writer's reminder when a report's period closes (seed 000 step 3: "on schedule the writer
gathers the data"): a desk notification, sent by the SLA tick (desk.services.sla_tick.tick, which
every running TUI and `desk sla tick` run), once per entry and period.

Once: each entry's last reminded period is a setting (`report.reminded.<code>`), moved on with a
conditional UPDATE (… WHERE value = <the value read>) in the same transaction as the
notifications; whoever loses the UPDATE sends nothing, however many ticks run at once.

Who: the writer the entry names, else every active report writer (as a chase does). Which period:
the latest one that has closed, if it closed after the entry was put on the list and its report
has not been generated yet (a writer who already began needs no reminder). A desk that was not
ticking for several periods reminds of the latest only: older ones are late reports, for the
report manager to chase.
"""

from __future__ import annotations

import json
from datetime import datetime

from desk.db import write_transaction
from desk.domain import report_flow as flow
from desk.models import Agent, Notification, Report, ReportSpec, Setting
from desk.services import linking, report_list, reports

PREFIX = "report.reminded."
KIND = "report.period_closed"


def _recipients(entry: dict) -> list[int]:
    writer = entry.get("writer") or ""
    logins = [writer] if writer else sorted(linking.logins_of_role("report_writer"))
    if not logins:
        return []
    return [a.id for a in Agent.select(Agent.id).where(Agent.login.in_(logins) & (Agent.active == True))]  # noqa: E712


def _claim(desk, code: str, old: str | None, period: str) -> bool:
    """Move the entry's reminded period from `old` to `period`; False when another tick did."""
    key = PREFIX + code
    if old is None:
        p = desk.db.param
        cursor = desk.db.execute_sql(f"INSERT INTO setting (key, value) VALUES ({p}, {p}) ON CONFLICT (key) DO NOTHING",
                                     (key, period))
        return cursor.rowcount == 1
    return Setting.update(value=period).where((Setting.key == key) & (Setting.value == old)).execute() == 1


def remind(desk, now: datetime | None = None) -> int:
    """Send the reminders that are due; returns how many notifications were written."""
    now = now or desk.now()
    local_now = reports.local(desk, now)
    sent = 0
    reminded = {k[len(PREFIX):]: v for k, v in Setting.select(Setting.key, Setting.value)
                .where(Setting.key.startswith(PREFIX)).tuples()}
    # Read before any write: a SELECT still stepping would hold its WAL snapshot into the write
    # transaction, which SQLite then refuses at once ("database is locked") if another tick wrote.
    specs = list(ReportSpec.select().where(ReportSpec.active == True))  # noqa: E712
    for spec in specs:
        view = report_list.get(desk, spec.code)
        entry = view.content
        if not entry:
            continue
        period = flow.period_containing(entry["period"], local_now).previous()
        if reminded.get(spec.code) == period.key:
            continue
        start, end = reports.bounds(desk, period)
        if end <= spec.created_at or end > now:
            continue
        if Report.select().where((Report.spec == spec.id) & (Report.period == period.key)).exists():
            continue
        due = reports.due_at(desk, period, int(entry.get("due_days", 5)))
        with write_transaction(desk.db):
            if not _claim(desk, spec.code, reminded.get(spec.code), period.key):
                continue
            ids = _recipients(entry)
            params = json.dumps({"code": spec.code, "period": period.key,
                                 "title": f"{entry.get('en', spec.code)} {period.key}",
                                 "title_zh": f"{entry.get('zh') or entry.get('en', spec.code)} {period.key}",
                                 "due": reports.local(desk, due).isoformat(sep=" ", timespec="minutes")},
                                ensure_ascii=False)
            if ids:
                Notification.insert_many([{"agent": i, "entity": report_list.ENTITY, "entity_id": spec.id,
                                           "kind": KIND, "params": params, "at": now} for i in ids]).execute()
            sent += len(ids)
    return sent
