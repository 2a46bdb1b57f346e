"""How a report reads to people: its document names the writer by name (not login), F5 names a
report by its title after a step, and a step the report's status refuses reads as a sentence
with the status in words ("This service report is a draft, so you cannot confirm its content.")."""

from __future__ import annotations

from datetime import datetime

import pytest

from desk.domain.errors import InvalidTransition
from desk.report_render import markdown
from desk.services import agents, report_review, reports


@pytest.fixture
def draft(desk, clock):
    clock.now = datetime(2026, 11, 3, 9, 0)
    agents.save_agent(desk, "admin", agent_login="repw", name="Wu Fang", roles=["report_writer"])
    return reports.generate(desk, "repw", "customer-monthly", "2026-10")


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_document_names_its_writer_by_name(desk, draft, lang):
    text = markdown(reports.get(desk, draft.id), lang, desk.config)
    writer = [line for line in text.splitlines() if line.startswith("- **") and "Wu Fang" in line]
    assert len(writer) == 1 and "repw" not in text


def test_the_excel_export_names_its_writer_by_name(desk, draft):
    from desk.report_xlsx import sheets

    cells = [str(c) for _, rows in sheets(reports.get(desk, draft.id), "en", desk.config) for row in rows for c in row]
    assert "Wu Fang" in cells and "repw" not in cells


def test_a_renamed_writer_reads_by_the_new_name(desk, draft):
    agents.save_agent(desk, "admin", agent_login="repw", name="Wu Fang-Li", roles=["report_writer"])
    assert "Wu Fang-Li" in markdown(reports.get(desk, draft.id), "en", desk.config)


def test_a_refused_step_says_the_status_in_a_sentence(desk, draft):
    with pytest.raises(InvalidTransition) as err:
        report_review.confirm(desk, "repr", draft.id)
    assert err.value.message("en") == "This service report is a draft, so you cannot confirm its content."
    assert err.value.message("zh") == "该服务报告当前为“草稿”，无法确认内容。"


def test_each_status_reads_after_is(desk):
    """Every report status has its words after "This service report is …"."""
    from desk.i18n import catalogue

    for lang in ("en", "zh"):
        words = catalogue(lang)
        statuses = [k.split(".")[-1] for k in words if k.startswith("report.status.")]
        assert statuses and all(f"report.state.{s}" in words for s in statuses)
