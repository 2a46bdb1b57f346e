"""A report's times as people read them (issue 15): its Markdown (`desk report show`, the review
screen), the HTML and Markdown exports and the Excel summary give the period, the due time and the
generation time in the desk's zone (the `[sla] timezone`, Asia/Shanghai as shipped) and name it.
Before, they printed the stored UTC: October's report ran "2026-09-30 16:00 → 2026-10-31 16:00".
What machines read keeps UTC: `--json` ISO, and the CSV of raw figures has no instants."""

from __future__ import annotations

import json
import zipfile
from datetime import datetime
from io import BytesIO

import pytest

from desk import cli
from desk.report_export import export
from desk.report_xlsx import workbook
from desk.services import incidents, reports

# October in Shanghai is 2026-09-30 16:00 -> 2026-10-31 16:00 UTC; generated 3 November 09:00 UTC
PERIOD_LOCAL = "2026-10-01 00:00 → 2026-11-01 00:00"
PERIOD_UTC = "2026-09-30 16:00"
GENERATED_LOCAL = "2026-11-03 17:00 (Asia/Shanghai)"


@pytest.fixture
def report(desk, clock):
    clock.now = datetime(2026, 10, 12, 3, 0)
    inc = incidents.create(desk, "li", title="printer", impact=3, urgency=3)
    incidents.resolve(desk, "li", inc.id, code="fixed", note="ok")
    clock.now = datetime(2026, 11, 3, 9, 0)
    return reports.generate(desk, "repw", "customer-monthly", "2026-10")


def _due(report, fmt="%Y-%m-%d %H:%M"):
    """The report's due time as stored (UTC) and as read in Shanghai (8 hours ahead, no DST)."""
    from datetime import timedelta

    return report.due_at.strftime(fmt), (report.due_at + timedelta(hours=8)).strftime(fmt)


@pytest.mark.parametrize("fmt", ["md", "html"])
def test_an_export_gives_its_times_in_the_desks_zone(report, desk, fmt):
    text = export(report, fmt, "en", desk.config)
    due_utc, due_local = _due(report)
    assert "Period (Asia/Shanghai)" in text and PERIOD_LOCAL in text and PERIOD_UTC not in text
    assert f"{due_local} (Asia/Shanghai)" in text and due_utc not in text
    assert GENERATED_LOCAL in text and "UTC" not in text


def test_in_chinese_the_zone_is_named_too(report, desk):
    text = export(report, "md", "zh", desk.config)
    assert "周期（Asia/Shanghai 时区）" in text and PERIOD_LOCAL in text
    assert "2026-11-03 17:00（Asia/Shanghai 时区）" in text and "UTC" not in text


def test_the_workbooks_summary_gives_them_in_the_zone(report, desk):
    sheet = zipfile.ZipFile(BytesIO(workbook(report, "en", desk.config))).read("xl/worksheets/sheet1.xml").decode()
    due_utc, due_local = _due(report)
    assert "Period (Asia/Shanghai)" in sheet and PERIOD_LOCAL in sheet and PERIOD_UTC not in sheet
    assert f"{due_local} (Asia/Shanghai)" in sheet and GENERATED_LOCAL in sheet and "UTC" not in sheet


def test_desk_report_export_and_show_print_them_in_the_zone_and_json_keeps_utc(report, db_url, capsys):
    capsys.readouterr()
    assert cli.main(["--db", db_url, "report", "export", str(report.id), "--format", "md", "--lang", "en"]) == 0
    exported = capsys.readouterr().out
    assert PERIOD_LOCAL in exported and GENERATED_LOCAL in exported and "UTC" not in exported
    assert cli.main(["--db", db_url, "report", "show", str(report.id), "--lang", "en"]) == 0
    shown = capsys.readouterr().out
    assert PERIOD_LOCAL in shown and shown.rstrip("\n").endswith("Times in Asia/Shanghai.")
    assert cli.main(["--db", db_url, "report", "show", str(report.id), "--json"]) == 0
    got = json.loads(capsys.readouterr().out)
    assert got["period_start"] == "2026-09-30T16:00:00" and got["generated_at"] == "2026-11-03T09:00:00"


def test_the_csv_of_raw_figures_has_no_instant_to_move(report, desk):
    text = export(report, "csv", "en", desk.config)
    assert PERIOD_UTC not in text and PERIOD_LOCAL.split(" ")[0] not in text
    assert text.splitlines()[1].startswith("customer-monthly,2026-10,")
