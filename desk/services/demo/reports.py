"""Demo service reports (stage `reports`, after `sla`): a couple of reports in the review workflow,
so the report review screen (F5) has something to show on a demo desk — last month's incident KPI
report generated and handed to its sign-off, and last week's request report left as a draft.

Written through desk.services.reports and report_review on the story's clock (the demo's now), by
the writer the report list names, or else the first agent who may write reports. A period that
already has its report (a demo added to a desk in use) is left as it is."""

from __future__ import annotations

from desk.domain import report_flow as flow
from desk.domain.errors import DeskError
from desk.models import Agent
from desk.services import report_list, report_review, reports
from desk.services.demo.base import Build
from desk.services.demo.clock import storied

# (report list entry, hand it to its sign-off?)
STORY = (("incident-kpi-monthly", True), ("requests-weekly", False))


def adds(build: Build) -> dict:
    return {"reports": len(STORY)}


def _writer(entry: dict) -> str | None:
    if entry.get("writer"):
        return entry["writer"]
    for agent in Agent.select().where(Agent.active == True).order_by(Agent.login):  # noqa: E712
        if "report_writer" in agent.role_set:
            return agent.login
    return None


def stage(build: Build) -> list[int]:
    desk, _ = storied(build.desk, build.now, build.now)
    made: list[int] = []
    for done, (code, hand_on) in enumerate(STORY):
        build.report("reports", done, len(STORY))
        try:
            spec = report_list.get(desk, code)
        except DeskError:
            continue  # the desk's list has no such report
        entry = spec.content
        writer = _writer(entry)
        if not spec.active or not entry or writer is None:
            continue
        period = flow.period_containing(entry["period"], reports.local(desk, build.now)).previous()
        if reports.find(desk, code, period.key) is not None:
            continue
        try:
            view = reports.generate(desk, writer, code, period.key)
            if hand_on:
                view = report_review.submit_for_review(desk, writer, view.id)
        except DeskError:
            continue  # the list names someone who may not write it: no demo report of it
        made.append(view.id)
    build.report("reports", len(STORY), len(STORY))
    return made
