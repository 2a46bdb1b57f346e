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
from desk.services.compiled import fetch_fixed

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


def _entries(desk) -> list[tuple[int, str, dict, datetime]]:
    """(id, code, entry in force, listed at) of each active entry: one query whose SQL is built
    once per handle; an entry's JSON is parsed again only when its version moves."""
    rows = fetch_fixed(desk, "report_remind.entries", lambda: ReportSpec.select(
        ReportSpec.id, ReportSpec.code, ReportSpec.version, ReportSpec.created_at, ReportSpec.content)
        .where(ReportSpec.active == True))  # noqa: E712
    parsed = desk.cache.setdefault("report_remind.parsed", {})
    out = []
    for spec_id, code, version, created_at, content in rows:
        hit = parsed.get(spec_id)
        if hit is None or hit[0] != version:
            hit = parsed[spec_id] = (version, json.loads(content) if content else {},
                                     ReportSpec.created_at.python_value(created_at))
        out.append((spec_id, code, hit[1], hit[2]))
    return out


def remind(desk, now: datetime | None = None) -> int:
    """Send the reminders that are due; returns how many notifications were written.

    Every running TUI ticks every 15 s, so the usual case (each entry's latest closed period
    already reminded, or its report generated) costs one query: what this handle has seen done
    for an (entry, period) is kept (`report_remind.done`: a reminder is never taken back and a
    report never deleted) and not read again."""
    now = now or desk.now()
    local_now = reports.local(desk, now)
    done = desk.cache.setdefault("report_remind.done", set())
    due = []
    for spec_id, code, entry, created_at in _entries(desk):
        if not entry:
            continue
        period = flow.period_containing(entry["period"], local_now).previous()
        if (code, period.key) in done:
            continue
        end = reports.bounds(desk, period)[1]
        if end <= created_at or end > now:
            continue
        due.append((spec_id, code, entry, period))
    if not due:
        return 0
    sent = 0
    # Read before any write: a SELECT still stepping would hold its WAL snapshot into the write
    # transaction, which SQLite then refuses at once ("database is locked") if another tick wrote.
    reminded = {k[len(PREFIX):]: v for k, v in Setting.select(Setting.key, Setting.value)
                .where(Setting.key.startswith(PREFIX)).tuples()}
    for spec_id, code, entry, period in due:
        if reminded.get(code) == period.key or Report.select().where(
                (Report.spec == spec_id) & (Report.period == period.key)).exists():
            done.add((code, period.key))
            continue
        due_at = reports.due_at(desk, period, int(entry.get("due_days", 5)))
        with write_transaction(desk.db):
            if not _claim(desk, code, reminded.get(code), period.key):
                continue
            ids = _recipients(entry)
            params = json.dumps({"code": code, "period": period.key,
                                 "title": f"{entry.get('en', code)} {period.key}",
                                 "title_zh": f"{entry.get('zh') or entry.get('en', code)} {period.key}",
                                 "due": reports.local(desk, due_at).isoformat(sep=" ", timespec="minutes")},
                                ensure_ascii=False)
            if ids:
                Notification.insert_many([{"agent": i, "entity": report_list.ENTITY, "entity_id": spec_id,
                                           "kind": KIND, "params": params, "at": now} for i in ids]).execute()
            sent += len(ids)
        done.add((code, period.key))
    return sent
