"""A report's way from draft to archive (seed 000 steps 4–6, §6): submitted for review by its
writer, its content confirmed (the entry's confirmer, when it names one), reviewed (the reviewer:
approve, or return to the writer with comments), submitted to its recipients by the agreed channel,
archived by the report manager. Only the person the entry names acts on each sign-off step (anyone
whose role allows it, if it names nobody), never the report's writer. Each step is one
records.transition: the permission, the rule (desk.domain.report_flow), the version check and the
history row in one transaction. Submitted and archived reports never change again.

Late reports (step 6): for each active entry, every period since the entry was put on the list
whose due time has passed without a submitted report, and the reports submitted after their due
time. The report manager chases the writers of those not yet submitted: a history row on the entry
(`chase`, with the period and the writer) and a notification to the writer (`desk notifications`, the desk's one notification list).
"""

from __future__ import annotations

import json
from datetime import datetime
from typing import NamedTuple

from desk.domain import report_flow as flow
from desk.domain.errors import InvalidTransition, NotAllowed, ValidationError
from desk.domain.roles import ADMIN
from desk.models import Agent, Report, ReportSpec
from desk.services import linking, records, report_list, reports
from desk.services.reports import KIND, get

LOOKBACK = 12  # periods of each entry a late-report check looks back over


def _state(row: Report) -> flow.ReportState:
    spec = json.loads(row.spec_content or "{}")
    return flow.ReportState(row.status, row.writer_id, spec.get("confirmer") or "", spec.get("reviewer") or "")


def _step(desk, login, report_id: int, action: str, permission: str, expect_version, plan):
    records.transition(desk, KIND, login, report_id, action, permission, expect_version,
                       lambda actor, row, now: plan(actor, _state(row), now, row), scoped=False)
    return get(desk, report_id)


def _admin(actor) -> bool:
    return ADMIN in actor.roles


def submit_for_review(desk, login, report_id: int, *, expect_version: int | None = None):
    """The writer hands the draft (or the revised returned report) to its first sign-off step."""
    def plan(actor, state, now, row):
        named = json.loads(row.spec_content or "{}").get("writer") or ""
        if named and actor.login != named:
            raise NotAllowed("report.error.not_named", step="submit_for_review", named=named)
        return flow.plan_submit_for_review(state)

    return _step(desk, login, report_id, "submit_for_review", "report.write", expect_version, plan)


def confirm(desk, login, report_id: int, *, expect_version: int | None = None):
    """The confirmer (department or process manager) confirms the content (seed 000 §6)."""
    return _step(desk, login, report_id, "confirm", "report.review", expect_version,
                 lambda actor, state, now, row: flow.plan_confirm(state, actor.login, actor.id, _admin(actor)))


def approve(desk, login, report_id: int, *, expect_version: int | None = None):
    """The reviewer (operations-centre lead, ITSM representative) approves it for submission."""
    return _step(desk, login, report_id, "approve", "report.review", expect_version,
                 lambda actor, state, now, row: flow.plan_approve(state, actor.login, actor.id, _admin(actor)))


def return_(desk, login, report_id: int, *, comments: str | None, expect_version: int | None = None):
    """Either sign-off step sends it back to the writer with comments (it can be edited again)."""
    records.text(comments, "comments", 20_000)
    return _step(desk, login, report_id, "return", "report.review", expect_version,
                 lambda actor, state, now, row: flow.plan_return(state, actor.login, actor.id, _admin(actor), comments))


def submit(desk, login, report_id: int, *, channel: str | None = None, recipients: list[str] | None = None,
           expect_version: int | None = None):
    """The reviewer submits the approved report to its recipients by its channel (the entry's,
    unless given): both are recorded. From now on the report never changes."""
    if channel is not None:
        records.text(channel, "channel", 300, required=True)
    for r in recipients or []:
        records.text(r, "recipients", 300, required=True)

    def plan(actor, state, now, row):
        changes = flow.plan_submit(state, actor.login, actor.id, _admin(actor), now)
        sent_to = list(recipients) if recipients else json.loads(row.recipients or "[]")
        via = channel if channel is not None else row.channel
        changes.update({"channel": via, "recipients": json.dumps(sent_to, ensure_ascii=False),
                        "_recorded": {"channel": [None, via], "recipients": [None, sent_to]}})
        return changes

    return _step(desk, login, report_id, "submit", "report.submit", expect_version, plan)


def archive(desk, login, report_id: int, *, expect_version: int | None = None):
    """The report manager archives a submitted report (seed 000 step 6)."""
    return _step(desk, login, report_id, "archive", "report.archive", expect_version,
                 lambda actor, state, now, row: flow.plan_archive(state, now))


# --- late reports ------------------------------------------------------------------------------------

class Late(NamedTuple):
    code: str
    name_en: str
    name_zh: str
    period: str
    due_at: datetime
    writer: str  # the report's writer, else the one the entry names ("" : anyone)
    report_id: int | None  # None: not even generated
    status: str  # the report's status, or "missing"
    submitted_at: datetime | None  # set: submitted, but after its due time
    chased: int  # how many times the manager chased it
    writer_name: str = ""  # the writer's name as the desk holds it now (their login if none; "" : anyone)

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" and self.name_zh else self.name_en

    def to_json(self) -> dict:
        return {k: (v.isoformat(timespec="seconds") if isinstance(v, datetime) else v)
                for k, v in self._asdict().items()}


def _periods(kind: str, first: datetime, last: datetime) -> list[flow.Period]:
    out = []
    period = flow.period_containing(kind, last)
    while len(out) < LOOKBACK and period.end > first:
        out.append(period)
        period = period.previous()
    return out


def _chases(desk, spec_id: int) -> dict[str, int]:
    counts: dict[str, int] = {}
    for h in linking.history_entries(desk, report_list.ENTITY, spec_id):
        if h.action == "chase":
            period = (h.changes.get("chased") or [None, ""])[1]
            counts[period] = counts.get(period, 0) + 1
    return counts


def late(desk, *, include_submitted: bool = True) -> list[Late]:
    """Reports not submitted by their due time (and, with `include_submitted`, those submitted
    after it), oldest due first: each period of each active entry that ended after the entry was
    put on the list (at most LOOKBACK periods back)."""
    now = desk.now()
    local_now = reports.local(desk, now)
    out: list[Late] = []
    for spec in report_list.entries(desk, active_only=True):
        entry = spec.content
        created = ReportSpec.get_by_id(spec.id).created_at
        chased = _chases(desk, spec.id)
        periods = {p.key: p for p in _periods(entry["period"], reports.local(desk, created), local_now)}
        for (key,) in Report.select(Report.period).where(Report.spec == spec.id).tuples():
            if key not in periods:  # generated before the entry was listed (or under another period kind)
                try:
                    periods[key] = flow.parse_period(entry["period"], key)
                except ValidationError:
                    continue
        for period in periods.values():
            report = reports.find(desk, spec.code, period.key)
            due = report.due_at if report else reports.due_at(desk, period, int(entry.get("due_days", 5)))
            if due >= now:
                continue
            if report is not None and report.submitted_at is not None:
                if not include_submitted or report.submitted_at <= due:
                    continue
            out.append(Late(spec.code, entry.get("en", spec.code), entry.get("zh", ""), period.key, due,
                            (report.writer if report else "") or entry.get("writer", ""),
                            report.id if report else None, report.status if report else "missing",
                            report.submitted_at if report else None, chased.get(period.key, 0)))
    # people read names, not logins (names change, so read now): one query for every writer
    logins = {x.writer for x in out if x.writer}
    names = dict(Agent.select(Agent.login, Agent.name).where(Agent.login.in_(logins)).tuples()) if logins else {}
    out = [x._replace(writer_name=names.get(x.writer) or x.writer) for x in out]
    return sorted(out, key=lambda x: (x.due_at, x.code))


def chase(desk, login, code: str, period: str, *, note: str = "") -> report_list.SpecView:
    """The report manager chases the writer of a late report: a history row on the entry."""
    note = records.text(note, "note", 2000)
    found = [x for x in late(desk, include_submitted=False) if x.code == code and x.period == period]
    spec = report_list.get(desk, code)

    def plan(actor, row, now):
        if not found:
            raise InvalidTransition("report.error.not_late", code=code, period=period)
        writer = found[0].writer or "—"
        return {"_recorded": {"chased": [None, period], "writer": [None, writer]}, "_note": note}

    def notify(actor, row, changes, now):
        """The writer's notification (desk notifications; every report writer when none is named)."""
        from desk.models import Agent, Notification

        writer = found[0].writer
        logins = [writer] if writer else sorted(linking.logins_of_role("report_writer"))
        ids = [a.id for a in Agent.select(Agent.id).where(Agent.login.in_(logins))] if logins else []
        params = json.dumps({"id": row.id, "title": found[0].name_en, "title_zh": found[0].name_zh,
                             "due": found[0].due_at.isoformat(timespec="minutes"), "period": period},
                            ensure_ascii=False)
        if ids:
            Notification.insert_many([{"agent": i, "entity": report_list.ENTITY, "entity_id": row.id,
                                       "kind": "report.chase", "params": params, "at": now} for i in ids]).execute()

    records.transition(desk, report_list.KIND, login, spec.id, "chase", "report.archive", None, plan, after=notify)
    return report_list.get(desk, code)
