"""A report as an Excel workbook (.xlsx, Office Open XML): a first sheet saying what the report is
(with the writer's commentary), then one sheet per section with its raw figures, one value a row
(figure, key, value, label: the same rows as the CSV export).

Written here with zipfile and XML escaping, no workbook library: a few fixed parts and one XML
part per sheet. Text goes in inline-string cells (`t="inlineStr"`), never formulas, so a title
such as `=HYPERLINK(…)` stays text; it is neutralised first (control characters made visible) and
anything XML 1.0 cannot carry is dropped. Numbers are numeric cells. Loaded only on the export path.
"""

from __future__ import annotations

import io
import math
import re
import zipfile
from xml.sax.saxutils import escape

from desk.domain.text import neutralise
from desk.i18n import t
from desk.report_export import _flatten
from desk.report_render import figure_label, report_times, writer

_NOT_XML = re.compile("[^\u0009\u000a\u000d\u0020-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_NOT_IN_SHEET_NAME = re.compile(r"[\[\]:*?/\\]")
_NS = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_CELL_MAX = 32_767  # Excel's limit on a cell's text


def _text(value) -> str:
    return escape(_NOT_XML.sub("", neutralise(str(value)))[:_CELL_MAX])


def _column(n: int) -> str:
    out = ""
    while n:
        n, r = divmod(n - 1, 26)
        out = chr(65 + r) + out
    return out


def _cell(ref: str, value) -> str:
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        value = int(value)
    if isinstance(value, (int, float)) and math.isfinite(value):
        return f'<c r="{ref}"><v>{value!r}</v></c>'
    return f'<c r="{ref}" t="inlineStr"><is><t xml:space="preserve">{_text(value)}</t></is></c>'


def _sheet(rows: list[list]) -> str:
    body = []
    for i, row in enumerate(rows, 1):
        cells = "".join(_cell(f"{_column(j)}{i}", v) for j, v in enumerate(row, 1))
        body.append(f'<row r="{i}">{cells}</row>')
    return (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<worksheet xmlns="{_NS}">'
            f'<sheetData>{"".join(body)}</sheetData></worksheet>')


def _sheet_name(title: str, taken: set[str]) -> str:
    name = _NOT_IN_SHEET_NAME.sub(" ", _NOT_XML.sub("", title)).strip("'").strip()[:31] or "Sheet"
    base, n = name, 2
    while name.lower() in taken:
        suffix = f" ({n})"
        name, n = base[:31 - len(suffix)] + suffix, n + 1
    taken.add(name.lower())
    return name


def sheets(report, lang: str, config) -> list[tuple[str, list[list]]]:
    """(sheet name, rows) of the workbook: the summary (its times in the desk's zone, as the
    Markdown's), then a sheet per section."""
    taken: set[str] = set()
    times = report_times(report, lang, config)
    summary = [
        [t("report.xlsx.report", lang), report.name(lang)],
        [t("report.xlsx.code", lang), report.code],
        [t("report.xlsx.period", lang), report.period],
        [t("report.col.status", lang), t(f"report.status.{report.status}", lang)],
        list(times["period"]),
        list(times["due"]),
        [t("report.col.writer", lang), writer(report)],
        [t("report.col.recipients", lang), ", ".join(report.recipients) or "—"],
        list(times["generated"]),
        [t("report.section.commentary", lang), report.commentary],
    ]
    out = [(_sheet_name(t("report.xlsx.report", lang), taken), summary)]
    header = [t("report.render.figure", lang), t("report.xlsx.key", lang), t("report.render.value", lang),
              t("report.xlsx.label", lang)]
    for name, data in report.figures.get("sections", {}).items():
        flat: list = []
        _flatten("", data, flat)
        rows = [header] + [[figure, key, value, figure_label(figure.split(".")[-1].split("[")[0], lang)]
                           for figure, key, value in flat]
        out.append((_sheet_name(t(f"report.section.{name}", lang), taken), rows))
    return out


def workbook(report, lang: str, config) -> bytes:
    """The .xlsx file's bytes."""
    parts = sheets(report, lang, config)
    content_types = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                     '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
                     '<Default Extension="rels" '
                     'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
                     '<Default Extension="xml" ContentType="application/xml"/>'
                     '<Override PartName="/xl/workbook.xml" '
                     'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
                     + "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                               f'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>'
                               for i in range(1, len(parts) + 1))
                     + "</Types>")
    root_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                 '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 f'<Relationship Id="rId1" Type="{_REL}/officeDocument" Target="xl/workbook.xml"/>'
                 '</Relationships>')
    book = (f'<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n<workbook xmlns="{_NS}" '
            f'xmlns:r="{_REL}"><sheets>'
            + "".join(f'<sheet name="{escape(name, {chr(34): "&quot;"})}" sheetId="{i}" r:id="rId{i}"/>'
                      for i, (name, _) in enumerate(parts, 1))
            + "</sheets></workbook>")
    book_rels = ('<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
                 '<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
                 + "".join(f'<Relationship Id="rId{i}" Type="{_REL}/worksheet" Target="worksheets/sheet{i}.xml"/>'
                           for i in range(1, len(parts) + 1))
                 + "</Relationships>")
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for path, text in (("[Content_Types].xml", content_types), ("_rels/.rels", root_rels),
                           ("xl/workbook.xml", book), ("xl/_rels/workbook.xml.rels", book_rels)):
            z.writestr(zipfile.ZipInfo(path, date_time=(1980, 1, 1, 0, 0, 0)), text.encode("utf-8"),
                       zipfile.ZIP_DEFLATED)
        for i, (_name, rows) in enumerate(parts, 1):
            z.writestr(zipfile.ZipInfo(f"xl/worksheets/sheet{i}.xml", date_time=(1980, 1, 1, 0, 0, 0)),
                       _sheet(rows).encode("utf-8"), zipfile.ZIP_DEFLATED)
    return buffer.getvalue()
