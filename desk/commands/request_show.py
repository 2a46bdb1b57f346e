"""`desk request show`: a request's fields, checklist, approvals, cost, callback and history, its
coded values by their labels."""

from __future__ import annotations

from desk.commands.record_show import Show, listed, para, texts
from desk.record_fields import VERSION, Field, code, priority, text, when
from desk.commands.request import incident_link, label, status_label
from desk.domain import request_flow
from desk.domain.text import one_line
from desk.history_labels import WORDED, value_label
from desk.i18n import t, tn
from desk.services import request_reads
from desk.sla_text import clock_line, ledger_lines


def _cost(v, d) -> str:
    if d.cost_confirmed:
        return f"{d.cost_amount} {d.cost_currency}  ({d.cost_confirmed_with}, {d.cost_confirmed_by}, " \
               f"{v.when(d.cost_confirmed_at)})"
    return t("request.cli.cost_needed", v.lang) if d.needs_cost else ""


def _approval(v, d) -> str:
    if not d.approval_levels:
        return ""
    return tn("request.cli.approval_state", d.approval_levels, v.lang, levels=d.approval_levels,
              state=t("request.cli.approved" if d.approved else "request.cli.not_approved", v.lang))


def _approver(v, a) -> str:
    decided = t(f"request.decision.{a.decision}", v.lang) if a.decision else t("request.decision.waiting", v.lang)
    behalf = t("request.cli.on_behalf", v.lang, who=a.decided_by, approver=a.on_behalf_of) if a.on_behalf_of else ""
    return f"  {a.level}. {one_line(a.approver):<12} {decided}  {v.when(a.decided_at)} {behalf}"


SHOW = Show(
    mark="R", read=request_reads.get, label=label, agent=True,
    fields=(
        Field("status", lambda v, d: status_label(v.cfg, d.status, v.lang)), Field("priority", priority(impact=False)),
        Field("requester", text("requester")), Field("contact", text("contact")), Field("location", text("location")),
        Field("request_class", code("request_class", "request_class")),
        Field("channel", code("request_channel", "channel")), Field("service", code("service", "service")),
        Field("created_by", text("created_by")), Field("owner", text("owner")), Field("handler", text("handler")),
        Field("group", code("group", "group")), Field("approval", _approval), Field("cost", _cost),
        Field("close_code", code("request_close_code", "close_code")),
        Field("rejection_code", code("request_rejection", "rejection_code")),
        Field("satisfaction", lambda v, d: f"{d.satisfaction}/5" if d.satisfaction else ""),
        Field("registered", when("registered_at")), Field("resolved", when("resolved_at")),
        Field("closed", lambda v, d: v.when(d.closed_at) + (f"  ({t('action.auto_close', v.lang)})"
                                                              if d.auto_closed else "")),
        Field("incident", lambda v, d: incident_link(d, v.lang)), VERSION,
        # the SLA clock (business time), its pauses below it
        Field("sla", lambda v, d: clock_line(d.sla, v.lang), shown=lambda d: d.sla is not None,
              under=lambda v, d: ledger_lines(d.sla, v.lang))),
    blocks=(
        listed(lambda v, d: d.checklist, lambda v, d: t("request.cli.checklist", v.lang),
               lambda v, item: f"  [{'x' if item.done else ' '}] {one_line(item.label)}", always=True),
        listed(lambda v, d: d.approvals, lambda v, d: t("request.cli.approvals", v.lang), _approver),
        texts("description", "completion_note", "callback_comment", "remarks"),
        para(lambda v, d: f"{v.label('attachments')}: " + ", ".join(one_line(a) for a in d.attachments)
             if d.attachments else "")),
    history_value=lambda v, field, value: _value(v.desk, field, value))
cmd_show = SHOW.command


# a request's recorded field -> the code table its values come from (history names them by code)
_CODED = {"service": "service", "group": "group", "priority": "priority", "close_code": "request_close_code",
          "rejection_code": "request_rejection", "request_class": "request_class", "channel": "request_channel"}


def _value(desk, field: str, value) -> str:
    if value is None or value == "":
        return "—"
    if field in _CODED and isinstance(value, (str, int)):
        return one_line(desk.config.label(_CODED[field], value, desk.lang), 60)
    if field in WORDED:  # (an SLA hold's reason, in words)
        return value_label(desk.config, field, value, desk.lang)
    if field == "status" and value in request_flow.STATUSES:
        return status_label(desk.config, value, desk.lang)
    if isinstance(value, dict):
        return one_line(", ".join(f"{k}={v}" for k, v in value.items()), 80)
    if isinstance(value, list):
        return one_line(", ".join(str(v) for v in value), 80)
    return one_line(str(value), 60)
