"""A report's text (show, export, the review screen): every section the entry names, in the
reader's language, the commentary shown as text, the definitions appendix; a section whose figures
this desk cannot give yet says so instead of showing numbers."""

from datetime import datetime

import pytest

from desk.report_render import markdown
from desk.services import incidents, report_list, reports


@pytest.fixture
def customer_report(desk, clock):
    clock.now = datetime(2026, 10, 12, 3, 0)
    inc = incidents.create(desk, "li", title="打印机 | 卡纸", impact=3, urgency=3)
    incidents.resolve(desk, "li", inc.id, code="fixed", note="ok")
    clock.now = datetime(2026, 11, 3, 9, 0)
    view = reports.generate(desk, "repw", "customer-monthly", "2026-10")
    return reports.edit(desk, "repw", view.id, commentary="All **good**.\x1b[2J <script>alert(1)</script>")


def test_the_customer_report_has_every_section_in_both_languages(customer_report, desk):
    en = markdown(customer_report, "en", desk.config)
    zh = markdown(customer_report, "zh", desk.config)
    for heading in ("Incidents by priority, category, source and group", "Resolution", "Response and resolution times",
                    "Service requests", "SLA attainment", "Backlog at the end of the period",
                    "Comparison with the previous period", "Commentary", "Appendix: definitions"):
        assert f"## {heading}" in en
    for heading in ("解决情况", "服务请求", "SLA达成情况", "评述", "附录：指标定义"):
        assert f"## {heading}" in zh
    assert "| Resolution rate | 100.0% |" in en and "| 解决率 | 100.0% |" in zh
    assert "\x1b" not in en and "␛[2J" in en  # the commentary's escape sequence is inert


def test_the_sla_section_has_incidents_and_requests(customer_report, desk):
    sla = customer_report.figures["sections"]["sla"]
    assert sla["available"] is True and sla["requests"]["met"] == 0
    assert sla["incidents"]["met"] == 1  # the printer, resolved at once
    en = markdown(customer_report, "en", desk.config)
    assert "**Incidents**" in en and "**Service requests**" in en
    assert "not yet available" not in en


def test_the_request_section_carries_the_request_kpis(customer_report):
    requests = customer_report.figures["sections"]["requests"]
    assert requests["available"] is True and requests["total"] == 0 and requests["closed_rate"] is None


def test_only_the_named_writer_generates(desk):
    from desk.domain.errors import NotAllowed

    report_list.propose(desk, "repm", "incident-kpi-monthly", {"writer": "repw"})
    report_list.confirm(desk, "repr", "incident-kpi-monthly")
    with pytest.raises(NotAllowed):
        reports.generate(desk, "li", "incident-kpi-monthly", "2026-10")
    with pytest.raises(NotAllowed):
        reports.generate(desk, "repr", "customer-monthly", "2026-10")  # no writer named: the role decides
    assert reports.list_(desk) == []
