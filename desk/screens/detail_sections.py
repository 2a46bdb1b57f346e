"""The sections of the incident detail (desk/screens/detail.py), drawn from an IncidentDetail:
the fields (two pairs of columns from WIDE cells), the description and resolution, the 200.2
checklist, the SLA pause ledger, the history timeline and the linked knowledge. Untrusted text
goes in as neutralised, one-line or literal Text, never as markup."""

from __future__ import annotations

from datetime import datetime, timedelta

from rich.text import Text

from desk.domain.sla import format_duration, sla_state
from desk.domain.text import neutralise, one_line
from desk.history_labels import field_label, value_label
from desk.i18n import t
from desk.screens.checklist_line import checklist_items
from desk.services.views import IncidentDetail
from desk.timefmt import when, zone, zone_label
from desk.widgets.detail_body import Grid
from desk.widgets.packed import Packed

WIDE = 110  # from this width the fields show in two pairs of columns
SLA_STYLE = {"ok": "green", "near": "bold yellow", "breached": "bold red", "met": "green", "none": "dim",
             "running": "green", "warning": "bold yellow", "paused": "cyan"}


class DetailSections:
    """A mixin of DetailScreen: needs `lang` and `app.desk`."""

    def when(self, value: datetime | None) -> str:
        """An instant in the desk's zone (the history's heading names it)."""
        return when(value, zone(self.app.desk.config))

    def label(self, table: str, code) -> str:
        if code is None or code == "":
            return "—"
        return self.app.desk.config.label(table, code, self.lang)

    def service(self, d: IncidentDetail) -> str:
        """Its service, and the catalogue version it was raised under (whose targets it keeps)."""
        if not d.service:
            return ""
        name = self.label("service", d.service)
        if d.service_version is None:
            return name
        return t("catalogue.ticket_service", self.lang, service=name, number=d.service_version)

    def fields_table(self, d: IncidentDetail) -> Grid:
        lang, desk = self.lang, self.app.desk
        f = lambda key: Text(t(f"field.{key}", lang), style="dim")  # noqa: E731
        m = lambda key: Text(t(f"actions.detail.{key}", lang), style="dim")  # noqa: E731
        v = lambda value, style="": Text(one_line(str(value)) if value not in (None, "") else "—",  # noqa: E731
                                         style=style)
        status = self.label("status", d.status)
        if d.confirmed_at:
            status += f" ({t('field.confirmed', lang)})"
        priority = f"{d.priority} {self.label('priority', d.priority)}"
        state = sla_state(d.opened_at, desk.now(), desk.config.targets(d.priority), d.resolved_at,
                          desk.config.near_breach_fraction)
        if d.sla is not None:  # the SLA engine's clock: business hours, pauses (issue 15)
            state = state._replace(state=d.sla.state, target=d.sla.due_at, elapsed=timedelta(seconds=d.sla.spent),
                                   remaining=None if d.sla.remaining is None else timedelta(seconds=d.sla.remaining))
        # the value's parts (state, time left or over, due time) are pieces a line break never
        # splits: at 120 columns in Chinese '(到期' ended a line and its time began the next
        parts = [Text(t(f"sla.{state.state}", lang), style=SLA_STYLE.get(state.state, ""))]
        if state.remaining is not None:
            ahead = state.remaining.total_seconds() >= 0
            if d.resolved_at is not None:  # the clock stopped at the resolution
                key = "actions.detail.early" if ahead else "actions.detail.late"
            else:
                key = "actions.detail.left" if ahead else "actions.detail.over"
            parts.append(Text(t(key, lang, time=format_duration(abs(state.remaining)))))
        else:
            parts.append(Text(t("actions.detail.elapsed", lang, time=format_duration(state.elapsed))))
        if state.target:
            parts.append(Text(f"({t('field.due', lang)} {self.when(state.target)})", style="dim"))
        sla = Packed(tuple(parts))
        minutes = d.response_minutes  # its catalogue version's target (the defaults' without one)
        if minutes is None:
            targets = desk.config.targets(d.priority)
            minutes = targets.response_minutes if targets else None
        response = "—"
        if minutes is not None:
            response = t("actions.detail.response", lang, minutes=format_duration_minutes(minutes),
                         at=self.when(d.first_response_at))
        caller = " ".join(x for x in (d.caller, d.caller_phone) if x)
        rows = [
            (f("status"), v(status, "bold"), f("priority"), v(priority, "bold")),
            (f("sla"), sla, m("response_label"), v(response)),
            (m("impact"), v(f"{d.impact} {self.label('impact', d.impact)}"),
             m("urgency"), v(f"{d.urgency} {self.label('urgency', d.urgency)}")),
            (f("caller"), v(caller), f("organisation"), v(d.organisation)),
            (f("service"), v(self.service(d)),
             f("category"), v(self.label("category", d.category))),
            (f("classification"), v(self.label("classification", d.classification)),
             f("source"), v(self.label("source", d.source))),
            (f("group"), v(f"{self.label('group', d.group)} (L{d.tier})" if d.group else ""),
             f("assignee"), v(d.assignee)),
            (f("owner"), v(d.owner), m("escalations"),
             v(f"{d.escalation_level} / {t('actions.detail.reopened', lang, count=d.reopen_count)}")),
            (m("started"), v(self.when(d.started_at)), f("opened"), v(self.when(d.opened_at))),
            (f("resolved"), v(self.when(d.resolved_at)), f("closed"), v(self.when(d.closed_at))),
            (f("closure_code"), v(self.label("closure_code", d.closure_code) if d.closure_code else ""),
             f("version"), v(d.version)),
        ]
        links = []  # the records linked to it, two to a wide line
        if d.requests:  # the service requests it came from or became (desk.services.request_convert)
            links.append((f("request"), v("; ".join(t(f"request.link.incident_{way}", lang, id=rid)
                                                    for rid, way in d.requests))))
        if d.caused_by_change:  # the change recorded as its cause (desk.services.changes.link_incident)
            change_id, title = d.caused_by_change  # (the title shown literally: one_line into a Text)
            links.append((f("caused_by_change"), v(t("change.link.incident", lang, id=change_id, title=title))))
        if d.problem:  # the problem it is linked to (desk.services.problems.link), its status by its label
            problem_id, title, status = d.problem
            links.append((f("problem"), v(t("problem.link.incident", lang, id=problem_id, title=title,
                                            status=t(f"problem.status.{status}", lang)))))
        for i in range(0, len(links), 2):
            first, second = (links[i:i + 2] + [(Text(""), Text(""))])[:2]
            rows.append((*first, *second))
        return Grid(rows, wide_from=WIDE)

    def texts(self, d: IncidentDetail) -> Text:
        lang = self.lang
        out = Text()
        out.append("\n" + t("actions.detail.description", lang) + "\n", style="bold underline")
        out.append(neutralise(d.description) if d.description.strip() else "—")
        if d.resolution:
            out.append("\n\n" + t("field.resolution", lang) + "\n", style="bold underline")
            out.append(neutralise(d.resolution))
        return out

    def checklist(self, d: IncidentDetail) -> Packed:
        head = Text("\n")
        head.append(t("detail.checklist", self.lang), style="bold underline")
        head.append("  ")
        return checklist_items(head, d.checklist, self.lang, sep="   ")

    def pauses(self, d: IncidentDetail) -> list[Text]:
        """The SLA pause ledger, when the clock was ever held: 'paused 2h10 waiting for the caller, …'."""
        if d.sla is None or not d.sla.ledger:
            return []
        from desk.sla_text import ledger_heading, ledger_lines

        out = Text()
        out.append("\n" + ledger_heading(d.sla, self.lang) + "\n", style="bold underline")
        out.append("\n".join(neutralise(line) for line in ledger_lines(d.sla, self.lang)))
        return [out]

    def history(self, d: IncidentDetail) -> Text:
        lang, config = self.lang, self.app.desk.config
        out = Text()
        out.append("\n" + t("time.history", lang, zone=zone_label(zone(config))) + "\n", style="bold underline")
        if not d.history:
            out.append(t("actions.detail.no_history", lang), style="dim")
        for index, h in enumerate(d.history):
            if index:
                out.append("\n")
            out.append(self.when(h.at), style="dim")
            out.append("  ")
            out.append(one_line(h.actor or "—", 16).ljust(8), style="bold")
            out.append("  ")
            out.append(t(f"action.{h.action}", lang), style="cyan")
            for name, pair in h.changes.items():
                old, new = (pair + [None, None])[:2] if isinstance(pair, list) else (None, pair)
                out.append(f"\n      {one_line(field_label(name, lang))}: ", style="dim")
                out.append(value_label(config, name, old, lang))
                out.append(" → ", style="dim")
                out.append(value_label(config, name, new, lang))
            if h.note:
                note = neutralise(h.note).rstrip("\n")
                out.append("\n      ")
                out.append(note.replace("\n", "\n      "), style="italic")
        return out

    def knowledge(self, d: IncidentDetail) -> Text:
        lang = self.lang
        out = Text()
        out.append("\n" + t("actions.detail.knowledge", lang) + "\n", style="bold underline")
        if not d.articles:
            out.append(t("actions.detail.no_articles", lang), style="dim")
        for index, article in enumerate(d.articles):
            if index:
                out.append("\n")
            out.append(f"#{article.id}  ", style="bold")
            out.append(one_line(article.title, 200))
            if article.status != "published":
                out.append(f"  ({t('actions.knowledge.status_' + article.status, lang)})", style="italic yellow")
        return out


def format_duration_minutes(minutes: int) -> str:
    from datetime import timedelta

    return format_duration(timedelta(minutes=minutes))


def as_shown(detail):
    """A detail as the screen shows it: its SLA clock's running seconds cut to the minute it
    shows (format_duration). The read behind an open came a moment after the read ahead, so its
    seconds always differed and the whole detail was drawn and sent again (~13 KB at 120×40) with
    nothing on screen changed."""
    sla = getattr(detail, "sla", None)
    if sla is None:
        return detail

    def minute(seconds):
        return None if seconds is None else (seconds >= 0, int(abs(seconds)) // 60)

    return detail._replace(sla=sla._replace(remaining=minute(sla.remaining), spent=minute(sla.spent),
                                            paused=minute(sla.paused)))
