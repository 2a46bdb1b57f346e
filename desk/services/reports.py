"""Service reports (seed 000 steps 3–7): a report of one period is generated from the data as a
draft that keeps its raw figures and the writer's commentary, signed off in two steps, submitted,
archived; feedback is tracked against it. Every change goes through desk.services.records (entity
`report`), with its history row.

Periods are the desk's local calendar periods (the [sla] time zone): October 2026 on a desk in
Asia/Shanghai is 2026-09-30 16:00 → 2026-10-31 16:00 UTC. A report is due `due_days` working days
after its period ends, on the SLA business calendar (its holidays and make-up days); Monday to
Friday where there is none.
"""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import NamedTuple

from peewee import IntegrityError

from desk.db import write_transaction
from desk.domain import report_flow as flow
from desk.domain.errors import InvalidTransition, NotAllowed, NotFound
from desk.models import Agent, Report, ReportSpec
from desk.services import actors, history, linking, records, report_days, report_figures, report_list

ENTITY = "report"
KIND = records.Kind(ENTITY, Report, ("status",), None, scope=None)
MAX_COMMENTARY = 100_000
INCIDENT_SECTIONS = ("volume", "resolution", "escalation", "times", "reopen", "backlog", "workload", "comparison")


class ReportView(NamedTuple):
    id: int
    code: str
    name_en: str
    name_zh: str
    period: str
    period_start: datetime  # UTC
    period_end: datetime
    due_at: datetime
    status: str
    spec: dict  # the report list entry as it was when generated
    figures: dict
    commentary: str
    return_note: str
    writer: str
    generated_at: datetime
    confirmed_by: str
    reviewed_by: str
    submitted_by: str
    submitted_at: datetime | None
    channel: str
    recipients: list
    archived_at: datetime | None
    version: int
    writer_name: str = ""  # the writer's name as the desk holds it now (documents name people, not logins)

    def name(self, lang: str) -> str:
        return self.name_zh if lang == "zh" and self.name_zh else self.name_en

    def late(self, now: datetime) -> bool:
        """Not submitted by its due time (submitted late: late too)."""
        if self.submitted_at is not None:
            return self.submitted_at > self.due_at
        return now > self.due_at

    def to_json(self) -> dict:
        out = {}
        for key, value in self._asdict().items():
            out[key] = value.isoformat(timespec="seconds") if isinstance(value, datetime) else value
        return out


# --- periods in the desk's time zone ----------------------------------------------------------------

def _tz(desk):
    try:
        return desk.config.sla.tz
    except Exception:  # noqa: BLE001 — a config without an [sla] section: UTC
        return timezone.utc


def _utc(desk, local: datetime) -> datetime:
    return local.replace(tzinfo=_tz(desk)).astimezone(timezone.utc).replace(tzinfo=None)


def local(desk, instant: datetime) -> datetime:
    """A UTC instant as the desk's local time (naive)."""
    return instant.replace(tzinfo=timezone.utc).astimezone(_tz(desk)).replace(tzinfo=None)


def _is_working_day(desk):
    """Working days of the SLA business calendar (holidays off, make-up days on); else Mon–Fri."""
    try:
        calendar = desk.config.sla.calendars.get("business")
    except Exception:  # noqa: BLE001
        calendar = None
    if calendar is None or calendar.always:
        return None
    return lambda day: bool(calendar.hours_on(day))


def bounds(desk, period: flow.Period) -> tuple[datetime, datetime]:
    """The period's UTC instants [start, end)."""
    return _utc(desk, period.start), _utc(desk, period.end)


def due_at(desk, period: flow.Period, due_days: int) -> datetime:
    return _utc(desk, flow.due_after(period.end, due_days, _is_working_day(desk)))


# --- the figures --------------------------------------------------------------------------------------

def _requests_section(desk, start: datetime, end: datetime) -> dict:
    try:
        from desk.services import request_kpis
    except ImportError:
        return {"available": False}
    return {"available": True, **request_kpis.kpis(desk, None, start=start, end=end).to_json()}


def _sla_section(desk, start: datetime, end: datetime, now: datetime) -> dict:
    """SLA attainment per service and priority, from the stored due and resolution times."""
    from desk.services import report_sla

    return {"available": True, **report_sla.attainment(desk, start, end, now)}


def summary_span(desk, period: flow.Period, now: datetime) -> report_days.Span | None:
    """The period as the per-day summary reads it, if it has ended (report_days)."""
    return report_days.span(_tz(desk), period.start, period.end, bounds(desk, period)[1], now)


def compute(desk, entry: dict, period: flow.Period) -> dict:
    """Every section the entry names, for the period: the draft's raw figures. The incident
    figures of a period that has ended are read from the per-day summary (the same figures)."""
    start, end = bounds(desk, period)
    now = desk.now()
    sections = entry.get("sections", [])
    out: dict = {"definitions": report_figures.DEFINITIONS_VERSION, "period": period.key,
                 "start": start.isoformat(), "end": end.isoformat(), "computed_at": now.isoformat(timespec="seconds"),
                 "sections": {}}
    if any(s in INCIDENT_SECTIONS for s in sections):
        f = report_figures.headline(desk, start, end, now, days=summary_span(desk, period, now))
        picks = {
            "volume": ("opened", "by"),
            "resolution": ("opened", "resolved", "resolution_rate", "first_call_resolved", "first_call_resolution_rate",
                           "not_resolved_in_time", "resolved_by_priority"),
            "escalation": ("escalations_functional", "escalations_hierarchical", "escalations_returned",
                           "incidents_escalated"),
            "times": ("mean_response_minutes", "p90_response_minutes", "mean_resolve_minutes", "p90_resolve_minutes"),
            "reopen": ("reopenings", "resolutions", "reopen_rate"),
            "backlog": ("backlog", "backlog_by_priority", "backlog_by_age"),
            "workload": ("workload",),
        }
        for name, keys in picks.items():
            if name in sections:
                out["sections"][name] = {k: f[k] for k in keys}
        if "comparison" in sections:
            previous = period.previous()
            p_start, p_end = bounds(desk, previous)
            before = report_figures.headline(desk, p_start, p_end, now, detail=False,
                                             days=summary_span(desk, previous, now))
            out["sections"]["comparison"] = {"previous_period": previous.key,
                                             "figures": report_figures.comparison(f, before)}
    if "requests" in sections:
        out["sections"]["requests"] = _requests_section(desk, start, end)
    if "sla" in sections:
        out["sections"]["sla"] = _sla_section(desk, start, end, now)
    return out


# --- reading ------------------------------------------------------------------------------------------

def _login(desk, agent_id) -> str:
    return (linking.agent_login(desk, agent_id) or "") if agent_id else ""


def _name(desk, agent_id) -> str:
    """An agent's name (names change, so never cached); "" for nobody."""
    if not agent_id:
        return ""
    agent = Agent.select(Agent.name).where(Agent.id == agent_id).first()
    return agent.name if agent else ""


def _view(desk, row: Report, code: str | None = None) -> ReportView:
    spec = json.loads(row.spec_content or "{}")
    if code is None:
        code = ReportSpec.get_by_id(row.spec_id).code
    return ReportView(row.id, code, spec.get("en", code), spec.get("zh", ""), row.period, row.period_start,
                      row.period_end, row.due_at, row.status, spec, json.loads(row.figures or "{}"), row.commentary,
                      row.return_note, _login(desk, row.writer_id), row.generated_at, _login(desk, row.confirmed_by_id),
                      _login(desk, row.reviewed_by_id), _login(desk, row.submitted_by_id), row.submitted_at,
                      row.channel, json.loads(row.recipients or "[]"), row.archived_at, row.version,
                      _name(desk, row.writer_id))


def get(desk, report_id: int) -> ReportView:
    row = Report.get_or_none(Report.id == report_id)
    if row is None:
        raise NotFound(kind=ENTITY, id=report_id)
    return _view(desk, row)


def find(desk, code: str, period: str) -> ReportView | None:
    row = (Report.select(Report).join(ReportSpec).where((ReportSpec.code == code) & (Report.period == period))
           .first())
    return _view(desk, row, code) if row else None


def list_(desk, *, statuses=(), code: str | None = None, limit: int = 200) -> list[ReportView]:
    query = Report.select(Report, ReportSpec.code).join(ReportSpec)
    if statuses:
        query = query.where(Report.status.in_(list(statuses)))
    if code:
        query = query.where(ReportSpec.code == code)
    query = query.order_by(Report.period_end.desc(), ReportSpec.code).limit(limit)
    return [_view(desk, row, row.spec.code) for row in query]


def report_history(desk, report_id: int):
    get(desk, report_id)
    return linking.history_entries(desk, ENTITY, report_id)


# --- writing: generate, edit ------------------------------------------------------------------------------

def _writer_may(actor: actors.Actor, entry: dict) -> None:
    named = entry.get("writer") or ""
    if named and actor.login != named:
        raise NotAllowed("report.error.not_named", step="generate", named=named)


def _create(desk, login, spec, entry: dict, code: str, when: flow.Period) -> ReportView:
    def work(actor: actors.Actor):
        actors.require(actor, "report.write")
        _writer_may(actor, entry)
        figures = compute(desk, entry, when)
        start, end = bounds(desk, when)
        with write_transaction(desk.db):
            now = desk.now()
            row = Report.create(spec=spec.id, period=when.key, period_start=start, period_end=end,
                                due_at=due_at(desk, when, int(entry.get("due_days", 5))),
                                spec_content=json.dumps(entry, ensure_ascii=False), status=flow.DRAFT,
                                figures=json.dumps(figures, ensure_ascii=False), writer=actor.id, generated_at=now,
                                channel=entry.get("channel", ""),
                                recipients=json.dumps(entry.get("recipients", []), ensure_ascii=False),
                                updated_at=now, version=1)
            history.append(ENTITY, row.id, actor.id, "generate", {"status": [None, flow.DRAFT]},
                           f"{code} {when.key}", now, desk=desk)
        return get(desk, row.id)

    return records.guarded(desk, login, "report.generate", ENTITY, None, work)


def generate(desk, login: str | None, code: str, period: str, *, expect_version: int | None = None) -> ReportView:
    """The draft of `code` for `period` from the data (a new draft, or the figures of a draft or a
    returned report computed again; the commentary stays). Only the entry's writer (anyone who may
    write reports, if it names none)."""
    spec = report_list.get(desk, code)
    if not spec.active:
        raise InvalidTransition("report.error.spec_retired", code=code)
    entry = spec.content
    when = flow.parse_period(entry["period"], period)
    existing = find(desk, code, when.key)
    if existing is None:
        try:
            return _create(desk, login, spec, entry, code, when)
        except IntegrityError:  # someone generated it meanwhile (the unique spec × period): compute again
            existing = find(desk, code, when.key)
    return regenerate(desk, login, existing.id, expect_version=expect_version)


def regenerate(desk, login: str | None, report_id: int, *, expect_version: int | None = None) -> ReportView:
    """The figures of a draft or returned report computed again from the data, for its period and
    the report list entry it was generated from (the writer revises after a return). The commentary
    and the return note stay; the history records it as `regenerate` ("regenerated"), with the new
    time of computation. Refused on a report in sign-off, approved, submitted or archived; only the
    entry's writer."""

    def plan(actor, row, now):
        flow.require_from("generate", row.status)
        entry = json.loads(row.spec_content)
        _writer_may(actor, entry)
        figures = compute(desk, entry, flow.parse_period(entry["period"], row.period))
        return {"figures": json.dumps(figures, ensure_ascii=False), "generated_at": now, "writer_id": actor.id,
                "_recorded": {"generated_at": [row.generated_at.isoformat(timespec="seconds"),
                                               now.isoformat(timespec="seconds")]}}

    # its own action in history ("regenerated"), apart from the draft's first generation
    records.transition(desk, KIND, login, report_id, "regenerate", "report.write", expect_version, plan)
    return get(desk, report_id)


def edit(desk, login: str | None, report_id: int, *, commentary: str | None,
         expect_version: int | None = None) -> ReportView:
    """The writer's commentary (draft or returned reports only)."""
    text = records.text(commentary, "commentary", MAX_COMMENTARY)

    def plan(actor, row, now):
        flow.require_from("edit", row.status)
        _writer_may(actor, json.loads(row.spec_content))
        return {"commentary": text, "_recorded": {"commentary": [len(row.commentary), len(text)]}}

    records.transition(desk, KIND, login, report_id, "edit", "report.write", expect_version, plan)
    return get(desk, report_id)
