"""A report exported as a file: Markdown (the report's text), one self-contained HTML page (that
text, styled for screen and print, with small inline SVG charts; no script, no external reference:
it opens offline on a jump host), or CSV of the raw figures (section, figure, key, value).

Loaded only on the export path: markdown-it-py (already installed with rich) turns the Markdown
into HTML, with raw HTML in the commentary escaped, never passed through.
"""

from __future__ import annotations

import csv
import io
from html import escape

from desk.i18n import t
from desk.report_render import figure_label, markdown

FORMATS = ("md", "html", "csv")

_STYLE = """
body{font-family:system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC","Microsoft YaHei",sans-serif;
max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b;line-height:1.45}
h1{font-size:1.6rem;border-bottom:2px solid #345;padding-bottom:.3rem}h2{font-size:1.2rem;margin-top:2rem;color:#234}
table{border-collapse:collapse;margin:.5rem 0}td,th{border:1px solid #bbb;padding:.2rem .6rem;text-align:left}
th{background:#eef2f6}figure{margin:1rem 0}figcaption{font-size:.9rem;color:#444}
@media print{body{margin:0;max-width:none}h2{page-break-after:avoid}table,figure{page-break-inside:avoid}}
"""


def _bars(title: str, rows: list[tuple[str, float]]) -> str:
    """A horizontal bar chart as inline SVG."""
    rows = [(label, float(v or 0)) for label, v in rows][:12]
    if not rows:
        return ""
    top = max(v for _, v in rows) or 1.0
    height = 22 * len(rows) + 8
    parts = [f'<figure><svg role="img" width="520" height="{height}" '
             f'viewBox="0 0 520 {height}"><title>{escape(title)}</title>']
    for i, (label, v) in enumerate(rows):
        y = 4 + 22 * i
        width = 300 * v / top
        parts.append(f'<text x="150" y="{y + 14}" text-anchor="end" font-size="12">{escape(label[:24])}</text>'
                     f'<rect x="156" y="{y + 2}" width="{width:.1f}" height="16" fill="#4a78a8"/>'
                     f'<text x="{160 + width:.1f}" y="{y + 14}" font-size="12">{v:g}</text>')
    parts.append(f"</svg><figcaption>{escape(title)}</figcaption></figure>")
    return "".join(parts)


def _charts(report, lang: str, config) -> dict[str, str]:
    """Section name -> the chart shown under its heading."""
    sections = report.figures.get("sections", {})
    out = {}
    volume = sections.get("volume", {}).get("by", {})
    if volume.get("priority"):
        out["volume"] = _bars(t("report.render.by_priority", lang),
                              [(config.label("priority", k, lang), v) for k, v in volume["priority"]])
    backlog = sections.get("backlog", {}).get("backlog_by_age")
    if backlog:
        out["backlog"] = _bars(t("report.section.backlog", lang),
                               [(t(f"report.age.{k}", lang), v) for k, v in backlog.items()])
    workload = sections.get("workload", {}).get("workload", {}).get("resolved_by_group")
    if workload:
        out["workload"] = _bars(t("report.render.resolved_by_group", lang),
                                [(config.label("group", k, lang) if k else "—", v) for k, v in workload])
    return out


def html(report, lang: str, config) -> str:
    from markdown_it import MarkdownIt

    body = MarkdownIt("commonmark", {"html": False}).enable("table").render(markdown(report, lang, config))
    for name, chart in _charts(report, lang, config).items():
        heading = f"<h2>{escape(t(f'report.section.{name}', lang), quote=False)}</h2>"
        body = body.replace(heading, heading + chart, 1)
    title = escape(f"{report.name(lang)} — {report.period}")
    return (f'<!DOCTYPE html>\n<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">'
            f"<title>{title}</title><style>{_STYLE}</style></head><body>\n{body}</body></html>\n")


def _flatten(prefix: str, value, out: list) -> None:
    if isinstance(value, dict):
        for k, v in value.items():
            _flatten(f"{prefix}.{k}" if prefix else str(k), v, out)
    elif isinstance(value, list) and value and all(isinstance(x, list) and len(x) == 2 for x in value):
        for k, v in value:
            out.append((prefix, str(k), v))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _flatten(f"{prefix}[{i}]", v, out)
    else:
        out.append((prefix, "", value))


def csv_text(report, lang: str) -> str:
    """The raw figures, one value a line: section, figure, key (a priority, a group…), value, label."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["report", "period", "section", "figure", "key", "value", "label"])
    for name, data in report.figures.get("sections", {}).items():
        rows: list = []
        _flatten("", data, rows)
        for figure, key, value in rows:
            label = figure_label(figure.split(".")[-1].split("[")[0], lang)
            writer.writerow([report.code, report.period, name, figure, key, "" if value is None else value, label])
    return buffer.getvalue()


def export(report, fmt: str, lang: str, config) -> str:
    if fmt == "md":
        return markdown(report, lang, config)
    if fmt == "html":
        return html(report, lang, config)
    return csv_text(report, lang)
