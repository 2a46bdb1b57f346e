"""The report actions for test_roles: each set up by others (a report written by `li`, an entry
change drafted by `repm`), so that only the permission table decides who may take the step."""

from __future__ import annotations

from itertools import count

from desk.models import Report, ReportSpec
from desk.services import report_feedback, report_list, report_review, reports

_PERIODS = count(1)
SPEC_CODES: dict[int, str] = {}  # entry id -> its code (a confirmation case's own entry)


def _report(desk, state: str) -> int:
    """A customer report of a period of its own, written by li, brought to `state`."""
    n = next(_PERIODS)
    view = reports.generate(desk, "li", "customer-monthly", f"{2000 + n // 12}-{n % 12 + 1:02d}")
    steps = ("draft", "reviewing", "approved", "submitted")
    if steps.index(state) >= 1:
        report_review.submit_for_review(desk, "li", view.id)
    if steps.index(state) >= 2:
        report_review.approve(desk, "repr", view.id)
    if steps.index(state) >= 3:
        report_review.submit(desk, "repr", view.id)
    return view.id


def _pending_entry(desk, login) -> int:
    code = f"role-{login}-{next(_PERIODS)}"
    view = report_list.propose(desk, "repm", code, {"en": "R", "zh": "报", "audience": "internal", "basis": "ola",
                                                   "period": "weekly", "sections": ["volume"]})
    SPEC_CODES[view.id] = code
    return view.id


def cases(Case) -> dict:
    return {
        "report.list_edit": Case(_pending_entry, lambda d, who, i: report_list.propose(d, who, SPEC_CODES[i],
                                                                                      {"due_days": 4}),
                                 lambda i: ["report", "spec", "edit", SPEC_CODES[i], "--due-days", "4"],
                                 "report_spec.propose", ReportSpec),
        "report.list_confirm": Case(_pending_entry, lambda d, who, i: report_list.confirm(d, who, SPEC_CODES[i]),
                                    lambda i: ["report", "spec", "confirm", SPEC_CODES[i]], "report_spec.confirm",
                                    ReportSpec),
        "report.write": Case(lambda d, who: None,
                             lambda d, who, i: reports.generate(d, who, "customer-monthly", "2026-10"),
                             lambda i: ["report", "generate", "customer-monthly", "--period", "2026-10"],
                             # (refused before anyone generated it: its creation; after: its regeneration)
                             ("report.generate", "report.regenerate"), Report),
        "report.review": Case(lambda d, who: _report(d, "reviewing"), lambda d, who, i: report_review.approve(d, who, i),
                              lambda i: ["report", "approve", str(i)], "report.approve", Report),
        "report.submit": Case(lambda d, who: _report(d, "approved"), lambda d, who, i: report_review.submit(d, who, i),
                              lambda i: ["report", "submit", str(i)], "report.submit", Report),
        "report.archive": Case(lambda d, who: _report(d, "submitted"),
                               lambda d, who, i: report_review.archive(d, who, i),
                               lambda i: ["report", "archive", str(i)], "report.archive", Report),
        "report.feedback": Case(lambda d, who: _report(d, "submitted"),
                                lambda d, who, i: report_feedback.record(d, who, i, source="CIO", text="more"),
                                lambda i: ["report", "feedback", "add", str(i), "--source", "CIO", "--text", "more"],
                                "report.feedback", Report),
    }
