"""`desk request show`: a request's fields, checklist, approvals, cost, callback and history, its
coded values by their labels."""

from __future__ import annotations

from desk.cli_format import cell_width, fit
from desk.commands.common import emit_json, open_for, say, say_zone, when_of
from desk.commands.request import incident_link, label, status_label
from desk.domain import request_flow
from desk.domain.text import neutralise, one_line
from desk.history_labels import WORDED, sentence, value_label
from desk.i18n import t, tn
from desk.services import request_reads


def cmd_show(args) -> int:
    desk = open_for(args, agent=True)
    _when = when_of(desk)  # its instants in the desk's zone
    d = request_reads.get(desk, args.id)
    if args.json:
        emit_json(d.to_json())
        return 0
    lang, cfg = desk.lang, desk.config
    say(f"R{d.id}  {one_line(d.title)}")
    cost = f"{d.cost_amount} {d.cost_currency}  ({d.cost_confirmed_with}, {d.cost_confirmed_by}, " \
           f"{_when(d.cost_confirmed_at)})" if d.cost_confirmed else (t("request.cli.cost_needed", lang)
                                                                     if d.needs_cost else "")
    fields = [
        ("status", status_label(desk.config, d.status, lang)),
        ("priority", f"{d.priority} {cfg.label('priority', d.priority, lang)}"),
        ("requester", d.requester), ("contact", d.contact), ("location", d.location),
        ("request_class", cfg.label("request_class", d.request_class, lang)),
        ("channel", cfg.label("request_channel", d.channel, lang)),
        ("service", cfg.label("service", d.service, lang) if d.service else ""),
        ("created_by", d.created_by), ("owner", d.owner), ("handler", d.handler),
        ("group", cfg.label("group", d.group, lang) if d.group else ""),
        ("approval", tn("request.cli.approval_state", d.approval_levels, lang, levels=d.approval_levels,
                       state=t("request.cli.approved" if d.approved else "request.cli.not_approved", lang))
         if d.approval_levels else ""),
        ("cost", cost),
        ("close_code", cfg.label("request_close_code", d.close_code, lang) if d.close_code else ""),
        ("rejection_code", cfg.label("request_rejection", d.rejection_code, lang) if d.rejection_code else ""),
        ("satisfaction", f"{d.satisfaction}/5" if d.satisfaction else ""),
        ("registered", _when(d.registered_at)), ("resolved", _when(d.resolved_at)),
        ("closed", _when(d.closed_at) + (f"  ({t('action.auto_close', lang)})" if d.auto_closed else "")),
        ("incident", incident_link(d, lang)), ("version", str(d.version)),
    ]
    width = max(cell_width(label(k, lang)) for k, _ in fields)
    for key, value in fields:  # (nothing yet: a dash, as `desk incident show` prints it)
        say(f"  {fit(label(key, lang), width)}  {one_line(value) or '—'}")
    if d.sla is not None:  # the SLA clock (business time) and its pause ledger
        from desk.sla_text import clock_line, ledger_lines

        say(f"  {fit(t('field.sla', lang), width)}  {clock_line(d.sla, lang)}")
        for line in ledger_lines(d.sla, lang):
            say(f"  {' ' * width}  {line}")
    say("")
    say(t("request.cli.checklist", lang))
    for item in d.checklist:
        say(f"  [{'x' if item.done else ' '}] {one_line(item.label)}")
    if d.approvals:
        say("")
        say(t("request.cli.approvals", lang))
        for a in d.approvals:
            decided = t(f"request.decision.{a.decision}", lang) if a.decision else t("request.decision.waiting", lang)
            behalf = t("request.cli.on_behalf", lang, who=a.decided_by, approver=a.on_behalf_of) \
                if a.on_behalf_of else ""
            say(f"  {a.level}. {one_line(a.approver):<12} {decided}  {_when(a.decided_at)} {behalf}")
    for key, text in (("description", d.description), ("completion_note", d.completion_note),
                      ("callback_comment", d.callback_comment), ("remarks", d.remarks)):
        if text:
            say("")
            say(f"{label(key, lang)}:")
            say(neutralise(text))
    if d.attachments:
        say("")
        say(f"{label('attachments', lang)}: " + ", ".join(one_line(a) for a in d.attachments))
    say("")
    say(t("detail.history", lang))
    for h in d.history:
        line = f"  {h.seq:>3}  {_when(h.at)}  {one_line(h.actor):<12} "
        said = sentence(h.action, h.actor, h.changes, h.note, lang)  # (a substitute named: one sentence, its note in it)
        if said:
            say(line + said)
            continue
        changes = ", ".join(f"{label(k, lang)}: {_value(desk, k, v[0])} → {_value(desk, k, v[1])}"
                            for k, v in h.changes.items())
        say(line + t('action.' + h.action, lang) + (f"  {changes}" if changes else ""))
        if h.note:
            say("       " + one_line(h.note, 200))
    say_zone(desk)
    return 0


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
