"""A report as Markdown, in the reader's language: the same text for `desk report show`, the
export (Markdown, and HTML made from it) and the review screen. Built from the report's stored raw
figures only, so a report renders the same whenever it is rendered. Untrusted text (the
commentary, names) is neutralised; the commentary is the writer's Markdown. Its times (period, due,
generated) are read by people: in the desk's zone (desk.timefmt), named beside them.
"""

from __future__ import annotations

from desk.domain.text import neutralise, one_line
from desk.i18n import t
from desk.timefmt import when, zone, zone_label

RATES = {"resolution_rate", "first_call_resolution_rate", "reopen_rate", "closed_rate", "auto_closed_rate",
         "succeeded_rate", "attainment_rate"}
MINUTES = {"mean_response_minutes", "p90_response_minutes", "mean_resolve_minutes", "p90_resolve_minutes",
           "mean_handling_minutes", "oldest_minutes"}
# The headline figures of each section, in the order a reader meets them.
SECTION_FIGURES = {
    "volume": ("opened",),
    "resolution": ("opened", "resolved", "resolution_rate", "first_call_resolved", "first_call_resolution_rate",
                   "not_resolved_in_time"),
    "escalation": ("escalations_functional", "escalations_hierarchical", "escalations_returned", "incidents_escalated"),
    "times": ("mean_response_minutes", "p90_response_minutes", "mean_resolve_minutes", "p90_resolve_minutes"),
    "reopen": ("reopenings", "resolutions", "reopen_rate"),
    "backlog": ("backlog",),
    "sla": (),
    "requests": ("total", "closed", "closed_rate", "auto_closed", "auto_closed_rate", "succeeded", "succeeded_rate",
                 "mean_response_minutes", "mean_handling_minutes", "mean_satisfaction", "overdue"),
}
DEFINED = ("opened", "resolution_rate", "first_call_resolution_rate", "not_resolved_in_time", "escalations_functional",
           "escalations_hierarchical", "escalations_returned", "mean_response_minutes", "p90_resolve_minutes",
           "reopen_rate", "backlog", "workload", "comparison", "requests", "sla")


def value(name: str, raw, lang: str) -> str:
    """A figure as a reader reads it: rates as percentages, durations in hours and minutes."""
    if raw is None:
        return "—"
    if name in RATES:
        return f"{raw * 100:.1f}%"
    if name in MINUTES:
        minutes = float(raw)
        if minutes < 60:
            return t("report.render.minutes", lang, m=f"{minutes:.1f}")
        return t("report.render.hours", lang, h=int(minutes // 60), m=int(round(minutes % 60)))
    if isinstance(raw, float):
        return f"{raw:.2f}"
    return str(raw)


def figure_label(name: str, lang: str) -> str:
    key = f"report.figure.{name}"
    label = t(key, lang)
    return name if label == key else label


def _cell(text) -> str:
    return one_line(neutralise(str(text)), 120).replace("|", "\\|")


def _table(headers: list[str], rows: list[list]) -> list[str]:
    out = ["| " + " | ".join(_cell(h) for h in headers) + " |", "|" + "---|" * len(headers)]
    out += ["| " + " | ".join(_cell(c) for c in row) + " |" for row in rows]
    return out


def _coded(config, table: str, code, lang: str) -> str:
    if code in ("", None):
        return t("report.render.none", lang)
    try:
        return config.label(table, code, lang)
    except Exception:  # noqa: BLE001 — a code no longer in the tables: itself
        return str(code)


def section_lines(name: str, data: dict, lang: str, config) -> list[str]:
    """One section's Markdown (without its heading)."""
    if data.get("available") is False:
        return [t("report.render.not_available", lang, section=t(f"report.section.{name}", lang))]
    lines: list[str] = []
    figures = SECTION_FIGURES.get(name, ())
    if figures:
        lines += _table([t("report.render.figure", lang), t("report.render.value", lang)],
                        [[figure_label(f, lang), value(f, data.get(f), lang)] for f in figures if f in data])
    if name == "volume":
        for dim, table in (("priority", "priority"), ("category", "category"), ("source", "source"),
                           ("group", "group")):
            rows = data.get("by", {}).get(dim, [])
            if rows:
                lines += ["", f"**{t('report.render.by_' + dim, lang)}**", ""]
                lines += _table([t(f"report.render.by_{dim}", lang), t("report.render.count", lang)],
                                [[_coded(config, table, k, lang), v] for k, v in rows])
    elif name == "backlog":
        rows = data.get("backlog_by_priority", [])
        if rows:
            ages = ["lt_1d", "1_3d", "3_7d", "7_30d", "ge_30d"]
            lines += [""] + _table(
                [t("report.render.by_priority", lang), t("report.render.count", lang)]
                + [t(f"report.age.{a}", lang) for a in ages] + [figure_label("oldest_minutes", lang)],
                [[_coded(config, "priority", r["priority"], lang), r["count"], *[r[a] for a in ages],
                  value("oldest_minutes", r["oldest_minutes"], lang)] for r in rows])
    elif name == "workload":
        w = data.get("workload", {})
        for key, table in (("resolved_by_group", "group"), ("opened_by_group", "group"), ("resolved_by_agent", None)):
            rows = w.get(key, [])
            if rows:
                lines += ["", f"**{t('report.render.' + key, lang)}**", ""]
                lines += _table([t("report.render.who", lang), t("report.render.count", lang)],
                                [[_coded(config, table, k, lang) if table else (k or "—"), v] for k, v in rows])
    elif name == "sla":
        lines += _sla_lines(data, lang, config)
    elif name == "comparison":
        lines += [t("report.render.previous", lang, period=data.get("previous_period", "")), ""]
        lines += _table([t("report.render.figure", lang), t("report.render.current", lang),
                         t("report.render.previous_col", lang), t("report.render.change", lang)],
                        [[figure_label(r["figure"], lang), value(r["figure"], r["current"], lang),
                          value(r["figure"], r["previous"], lang), _change(r, lang)] for r in data.get("figures", [])])
    return lines


SLA_COUNTS = ("met", "breached", "attainment_rate", "no_target", "open_past_due")


def _service(row: dict, lang: str) -> str:
    if not row.get("service"):
        return t("report.render.none", lang)
    name = row.get("name_zh") if lang == "zh" and row.get("name_zh") else row.get("name_en")
    return name or row["service"]


def _sla_block(found: dict, heading: str, lang: str, config) -> list[str]:
    lines = [f"**{heading}**", ""]
    lines += _table([t("report.render.figure", lang), t("report.render.value", lang)],
                    [[figure_label(f, lang), value(f, found.get(f), lang)] for f in SLA_COUNTS if f in found])
    rows = found.get("rows", [])
    if rows:
        headers = [t("report.render.service", lang), t("report.render.priority", lang)]
        lines += [""] + _table(headers + [figure_label(f, lang) for f in SLA_COUNTS],
                               [[_service(r, lang), _coded(config, "priority", r["priority"], lang)]
                                + [value(f, r.get(f), lang) for f in SLA_COUNTS] for r in rows])
    return lines


def _sla_lines(data: dict, lang: str, config) -> list[str]:
    """SLA attainment: the incidents' totals and a row per service and priority; the requests' too."""
    lines = _sla_block(data.get("incidents", {}), t("report.render.sla_incidents", lang), lang, config)
    requests = data.get("requests", {})
    if requests.get("available") is False:
        lines += ["", t("report.render.sla_requests_not_available", lang)]
    else:
        lines += [""] + _sla_block(requests, t("report.render.sla_requests", lang), lang, config)
    return lines


def _change(row: dict, lang: str) -> str:
    change = row.get("change")
    if change is None:
        return "—"
    sign = "+" if change > 0 else ""
    if row["figure"] in RATES:
        return f"{sign}{change * 100:.1f} pp"
    if row["figure"] in MINUTES:
        return f"{sign}{change:.1f} min"
    return f"{sign}{change}"


def report_times(report, lang: str, config) -> dict[str, tuple[str, str]]:
    """(label, value) of the report's period, due time and generation time, as a person reads them:
    in the desk's zone, which each names. Stored UTC, they read 16:00 for a Shanghai midnight (a
    month's report "from 2026-09-30 16:00"); the CSV export has no instants, `--json` keeps UTC ISO."""
    tz = zone(config)
    name = zone_label(tz)

    def at(value) -> str:
        return t("report.render.time_in", lang, time=when(value, tz), zone=name)

    return {
        "period": (t("report.render.period_in", lang, zone=name),
                   f"{when(report.period_start, tz)} → {when(report.period_end, tz)}"),
        "due": (t("report.render.due", lang), at(report.due_at)),
        "generated": (t("report.render.generated", lang), at(report.generated_at)),
    }


def writer(report) -> str:
    """Who wrote it, as a reader knows them: the agent's name (their login if the desk has none)."""
    return report.writer_name or report.writer or "—"


def markdown(report, lang: str, config) -> str:
    """The whole report: title, what it is, each section, the commentary, the definitions."""
    spec = report.spec
    times = report_times(report, lang, config)
    lines = [f"# {_cell(report.name(lang))} — {report.period}", ""]
    meta = [
        (t("report.col.status", lang), t(f"report.status.{report.status}", lang)),
        (t("report.col.audience", lang), t(f"report.audience.{spec.get('audience', 'internal')}", lang)),
        times["period"],
        times["due"],
        (t("report.col.writer", lang), writer(report)),
        (t("report.col.recipients", lang), ", ".join(report.recipients) or "—"),
        times["generated"],
    ]
    lines += [f"- **{k}**: {_cell(v)}" for k, v in meta]
    if report.return_note:
        lines += ["", f"> **{t('report.render.returned', lang)}**: {_cell(report.return_note)}"]
    sections = report.figures.get("sections", {})
    for name in spec.get("sections", []):
        if name not in sections:
            continue
        lines += ["", f"## {t(f'report.section.{name}', lang)}", ""]
        lines += section_lines(name, sections[name], lang, config)
    lines += ["", f"## {t('report.section.commentary', lang)}", ""]
    lines += [neutralise(report.commentary) if report.commentary.strip() else t("report.render.no_commentary", lang)]
    lines += ["", f"## {t('report.section.definitions', lang)}", ""]
    lines += [f"- **{figure_label(d, lang)}**: {t(f'report.definition.{d}', lang)}" for d in DEFINED]
    return "\n".join(lines) + "\n"
