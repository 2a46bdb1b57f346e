"""The Excel export (desk/report_xlsx.py): a valid Office Open XML package with a summary sheet and
one sheet per section, whose cells hold the report's raw figures; untrusted text stays text."""

import zipfile
from datetime import datetime
from io import BytesIO
from xml.etree import ElementTree

import pytest

from desk.report_xlsx import workbook
from desk.services import incidents, reports

NS = {"m": "http://schemas.openxmlformats.org/spreadsheetml/2006/main",
      "r": "http://schemas.openxmlformats.org/officeDocument/2006/relationships"}
HOSTILE = '=HYPERLINK("http://x")\x1b[2J <b>&</b> "quoted" \x00\ud800'


@pytest.fixture
def report(desk, clock):
    clock.now = datetime(2026, 10, 12, 3, 0)
    inc = incidents.create(desk, "li", title="printer", impact=3, urgency=3)
    incidents.resolve(desk, "li", inc.id, code="fixed", note="ok")
    incidents.create(desk, "li", title="mail", impact=2, urgency=2)
    clock.now = datetime(2026, 11, 3, 9, 0)
    view = reports.generate(desk, "repw", "customer-monthly", "2026-10")
    return reports.edit(desk, "repw", view.id, commentary=HOSTILE.replace("\x00", "").replace("\ud800", ""))


def _read(data: bytes) -> dict[str, list[list]]:
    """Sheet name -> rows of cell values (numbers as float, text as str), read with zipfile and XML."""
    z = zipfile.ZipFile(BytesIO(data))
    assert z.testzip() is None
    assert "[Content_Types].xml" in z.namelist() and "_rels/.rels" in z.namelist()
    book = ElementTree.fromstring(z.read("xl/workbook.xml"))
    rels = ElementTree.fromstring(z.read("xl/_rels/workbook.xml.rels"))
    targets = {r.get("Id"): r.get("Target") for r in rels}
    out = {}
    for sheet in book.find("m:sheets", NS):
        root = ElementTree.fromstring(z.read("xl/" + targets[sheet.get(f"{{{NS['r']}}}id")]))
        rows = []
        for row in root.find("m:sheetData", NS):
            cells: list = []
            for c in row:
                column = ord(c.get("r")[0]) - ord("A")  # A–D: the sheets are four columns wide
                cells += [None] * (column + 1 - len(cells))
                if c.get("t") == "inlineStr":
                    cells[column] = c.find("m:is/m:t", NS).text or ""
                else:
                    cells[column] = float(c.find("m:v", NS).text)
            rows.append(cells)
        out[sheet.get("name")] = rows
    return out


def test_a_sheet_per_section_with_the_raw_figures(report, desk):
    sheets = _read(workbook(report, "en", desk.config))
    names = list(sheets)
    assert names[0] == "Report" and len(names) == 1 + len(report.figures["sections"])
    assert "Resolution" in names and "SLA attainment" in names and all(len(n) <= 31 for n in names)
    resolution = {r[0]: r[2] for r in sheets["Resolution"][1:] if len(r) > 2}
    assert sheets["Resolution"][0] == ["Figure", "Key", "Value", "Label"]
    assert (resolution["opened"], resolution["resolved"], resolution["resolution_rate"]) == (2.0, 1.0, 0.5)
    sla = {r[0]: r[2] for r in sheets["SLA attainment"][1:] if len(r) > 2}
    assert sla["incidents.met"] == 1.0 and sla["incidents.attainment_rate"] == 1.0
    summary = dict((r[0], r[1]) for r in sheets["Report"] if len(r) == 2)
    assert summary["Period"] == "2026-10" and summary["Code"] == "customer-monthly"


def test_chinese_sheet_names_and_labels(report, desk):
    sheets = _read(workbook(report, "zh", desk.config))
    assert list(sheets)[0] == "报告" and "解决情况" in sheets
    assert sheets["解决情况"][0] == ["指标", "键", "数值", "标签"]


def test_untrusted_text_stays_text_and_the_xml_parses(report, desk):
    data = workbook(report, "en", desk.config)
    summary = {r[0]: r[1] for r in _read(data)["Report"] if len(r) == 2}
    commentary = summary["Commentary"]
    assert commentary.startswith('=HYPERLINK("http://x")') and "<b>&</b>" in commentary
    assert "\x1b" not in commentary and "␛[2J" in commentary  # neutralised
    sheet = zipfile.ZipFile(BytesIO(data)).read("xl/worksheets/sheet1.xml").decode()
    assert "<f>" not in sheet and "&lt;b&gt;&amp;&lt;/b&gt;" in sheet  # never a formula; escaped


def test_text_xml_cannot_carry_is_dropped():
    from desk.report_xlsx import _cell

    cell = _cell("A1", "a\x00b\ud800c\x1bd")
    ElementTree.fromstring(f'<r xmlns="{NS["m"]}">{cell}</r>')  # parses
    assert "a" in cell and "\x00" not in cell and "\ud800" not in cell
