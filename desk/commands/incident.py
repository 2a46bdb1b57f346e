"""`desk incident …`: record and drive incidents from a script or a shell."""

from __future__ import annotations

import argparse
from datetime import datetime

from desk.alert_text import severity_text
from desk.cli_format import table
from desk.commands.common import emit_json, open_for, say
from desk.commands.record_show import Show, listed, para
from desk.record_fields import VERSION, Field, code, priority, text, when
from desk.domain.errors import ValidationError
from desk.domain.sla import format_duration
from desk.domain.text import neutralise, one_line
from desk.history_labels import field_label, value_label
from desk.i18n import t
from desk.services import incidents, queue
from desk.sla_text import clock_line, ledger_heading, ledger_lines


def register(sub, common, lang: str) -> None:
    p = sub.add_parser("incident", parents=[common], help=t("cli.incident.help", lang))
    isub = p.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=type(p))

    def action(name, handler, help_key, *, versioned=True, json_out=False):
        a = isub.add_parser(name, parents=[common], help=t(help_key, lang))
        if name not in ("new", "list"):
            a.add_argument("id", type=int, metavar="ID")
        if versioned:
            a.add_argument("--expect-version", type=int, metavar="N", help=t("cli.opt.expect_version", lang))
        if json_out or versioned:
            a.add_argument("--json", action="store_true", help=t("cli.opt.json", lang))
        a.set_defaults(handler=handler)
        return a

    def opt(parser, *names, key, **kw):
        parser.add_argument(*names, help=t(f"cli.opt.{key}", lang), **kw)

    a = action("new", cmd_new, "cli.incident.new", versioned=False, json_out=True)
    opt(a, "--title", key="title", required=True, metavar="TEXT")
    opt(a, "--caller", key="caller", metavar="NAME")
    opt(a, "--org", key="org", dest="organisation", metavar="ORG")
    opt(a, "--impact", key="impact", type=int, default=3, metavar="1-3")
    opt(a, "--urgency", key="urgency", type=int, default=3, metavar="1-3")
    opt(a, "--category", key="category", metavar="CODE")
    opt(a, "--source", key="source", metavar="CODE")
    opt(a, "--service", key="service", metavar="CODE")
    opt(a, "--description", key="description", default="", metavar="TEXT")
    opt(a, "--classification", key="classification", default="incident", metavar="CODE")
    opt(a, "--group", key="group", metavar="GROUP")

    a = action("list", cmd_list, "cli.incident.list", versioned=False, json_out=True)
    opt(a, "--view", key="view", choices=queue.VIEWS, default=None)
    opt(a, "--status", key="status", action="append", default=[], metavar="CODE")
    opt(a, "--group", key="group_filter", action="append", default=[], metavar="GROUP")
    opt(a, "--assignee", key="assignee", action="append", default=[], metavar="USER")
    opt(a, "--priority", key="priority", type=int, action="append", default=[], metavar="1-4")
    opt(a, "--category", key="category_filter", action="append", default=[], metavar="CODE")
    opt(a, "--text", key="text", default="", metavar="TEXT")
    opt(a, "--sort", key="sort", choices=queue.SORTS, default="priority")
    opt(a, "--limit", key="limit", type=int, default=50, metavar="N")

    action("show", cmd_show, "cli.incident.show", versioned=False, json_out=True)

    a = action("assign", cmd_assign, "cli.incident.assign")
    a.add_argument("--to", metavar="USER", help=t("cli.opt.to_user", lang))
    opt(a, "--group", key="group", metavar="GROUP")
    opt(a, "--note", key="note", default="", metavar="TEXT")

    action("start", cmd_start, "cli.incident.start")

    a = action("escalate", cmd_escalate, "cli.incident.escalate")
    opt(a, "--to", key="to_group", metavar="GROUP")
    opt(a, "--reason", key="reason", metavar="TEXT")
    a.add_argument("--hierarchical", action="store_true", help=t("cli.opt.hierarchical", lang))

    a = action("return", cmd_return, "cli.incident.return")
    opt(a, "--to", key="return_to", metavar="GROUP")
    opt(a, "--reason", key="reason", required=True, metavar="TEXT")

    a = action("resolve", cmd_resolve, "cli.incident.resolve")
    opt(a, "--code", key="closure_code", required=True, metavar="CODE")
    opt(a, "--note", key="resolution", required=True, metavar="TEXT")

    a = action("confirm", cmd_confirm, "cli.incident.confirm")
    opt(a, "--note", key="note", default="", metavar="TEXT")

    a = action("reopen", cmd_reopen, "cli.incident.reopen")
    opt(a, "--reason", key="reason", required=True, metavar="TEXT")

    a = action("close", cmd_close, "cli.incident.close")
    opt(a, "--code", key="close_code", metavar="CODE")

    a = action("note", cmd_note, "cli.incident.note")
    opt(a, "--text", key="note_text", required=True, metavar="TEXT")

    from desk.commands.request import add_to_request  # (200.2: it is a service request)

    add_to_request(action, lang)

    from desk.commands.incident_service import add_set_service  # (another catalogue service)

    add_set_service(action, lang)

    from desk.commands.incident_priority import add_set_priority  # (impact and urgency corrected)

    add_set_priority(action, lang)


# --- writing -----------------------------------------------------------------------------------

def _done(desk, args, detail, key: str) -> int:
    if getattr(args, "json", False):
        emit_json(detail.to_json())
    else:
        say(t(key, desk.lang, id=detail.id, status=desk.config.label("status", detail.status, desk.lang),
              version=detail.version))
    return 0


def cmd_new(args) -> int:
    desk = open_for(args)
    detail = incidents.create(
        desk, None, title=args.title, caller=args.caller, organisation=args.organisation, impact=args.impact,
        urgency=args.urgency, category=args.category, source=args.source, service=args.service,
        description=args.description, classification=args.classification, group=args.group)
    return _done(desk, args, detail, "cli.created")


def cmd_assign(args) -> int:
    desk = open_for(args)
    if not args.to and not args.group:
        raise ValidationError("error.assign_target")
    detail = incidents.assign(desk, None, args.id, to=args.to, group=args.group, note=args.note,
                              expect_version=args.expect_version)
    return _done(desk, args, detail, "cli.changed")


def _change(call):
    """A subcommand that changes one incident: `call(desk, args)` runs the service."""

    def handler(args) -> int:
        desk = open_for(args)
        return _done(desk, args, call(desk, args), "cli.changed")

    return handler


cmd_start = _change(lambda d, a: incidents.start(d, None, a.id, expect_version=a.expect_version))
cmd_escalate = _change(lambda d, a: incidents.escalate(d, None, a.id, to=a.to, reason=a.reason,
                                                        hierarchical=a.hierarchical, expect_version=a.expect_version))
cmd_return = _change(lambda d, a: incidents.return_(d, None, a.id, to=a.to, reason=a.reason,
                                                     expect_version=a.expect_version))
cmd_resolve = _change(lambda d, a: incidents.resolve(d, None, a.id, code=a.code, note=a.note,
                                                      expect_version=a.expect_version))
cmd_confirm = _change(lambda d, a: incidents.confirm(d, None, a.id, note=a.note, expect_version=a.expect_version))
cmd_reopen = _change(lambda d, a: incidents.reopen(d, None, a.id, reason=a.reason, expect_version=a.expect_version))
cmd_close = _change(lambda d, a: incidents.close(d, None, a.id, code=a.code, expect_version=a.expect_version))
cmd_note = _change(lambda d, a: incidents.note(d, None, a.id, text=a.text, expect_version=a.expect_version))


# --- reading -----------------------------------------------------------------------------------

def _age(now: datetime, then: datetime) -> str:
    return format_duration(now - then)


def _sla_cell(desk, row, now) -> str:
    """As the queue's SLA column has it (the engine's clock: business time, holds, the targets of
    the incident's catalogue version), with the state in words."""
    from desk.lists.incident_cells import row_clock, sla_text
    from desk.lists.spec import CellEnv

    got = row_clock(CellEnv(desk.config, desk.lang), row, now)
    return " ".join(part for part in (sla_text(got), t(f"sla.{got.state}", desk.lang)) if part)


def _queue_table(desk, rows, now) -> str:
    lang = desk.lang
    headers = [t(f"col.{c}", lang) for c in ("id", "priority", "status", "sla", "title", "caller", "group",
                                               "assignee", "age")]
    body = [[str(r.id), str(r.priority), desk.config.label("status", r.status, lang), _sla_cell(desk, r, now),
             r.title, " / ".join(part for part in (r.caller, r.organisation) if part),
             desk.config.label("group", r.group, lang) if r.group else "—", r.assignee or "—",
             _age(now, r.opened_at)] for r in rows]
    return table(headers, body, [7, 2, 8, 14, 40, 24, 10, 12, 6])


def _one_of(field: str, values, valid) -> None:
    """Each value must be one of `valid`: else one line naming it and the valid ones (exit 1)."""
    valid = [str(v) for v in valid]
    for value in values:
        if str(value) not in valid:
            raise ValidationError("error.not_one_of", field=field, got=str(value), valid=", ".join(valid))


def _check_list_filters(desk, args) -> None:
    from desk.services import lookup

    config = desk.config
    _one_of("status", args.status, config.codes("status"))
    _one_of("priority", args.priority, config.codes("priority"))
    _one_of("category", args.category, config.codes("category"))
    if args.group:
        _one_of("group", args.group, [g.code for g in lookup.groups(desk)])
    if args.assignee:
        _one_of("assignee", args.assignee, ["me", *(a.login for a in lookup.agents(desk, active_only=False))])
    if args.limit < 0:
        raise ValidationError("error.at_least", field="limit", low=0, got=args.limit)


def cmd_list(args) -> int:
    desk = open_for(args, agent=True)
    filt = queue.QueueFilter(
        view=args.view or ("all" if args.status else "open"),
        text=args.text,
        priorities=frozenset(args.priority),
        statuses=frozenset(args.status),
        groups=frozenset(args.group),
        assignees=frozenset(args.assignee),
        categories=frozenset(args.category),
    )
    _check_list_filters(desk, args)
    ctx = queue.context(desk)
    total = queue.count(filt, ctx)
    rows = queue.rows(queue.window(filt, ctx, args.sort, 0, max(args.limit, 0)), desk)
    if args.json:
        emit_json({"total": total, "incidents": [r.to_json() for r in rows]})
        return 0
    say(_queue_table(desk, rows, desk.now()))
    say(t("cli.list_total", desk.lang, shown=len(rows), total=total))
    return 0



def _alerts(desk, d):
    from desk.services import alerts  # (monitoring alerts: read when an incident is shown)

    return alerts.for_incident(desk, d.id)


def _json(v, d) -> dict:
    out = d.to_json()
    out["alerts"] = [a.to_json() for a in v.extra]
    out["sla"] = {**d.sla.to_json(), "elapsed_seconds": int(d.sla.spent)}
    return out


def _alert(v, a) -> str:
    """A monitoring alert of the incident, its text literally (one_line / neutralise)."""
    lines = [f"  {one_line(a.source)} {one_line(a.host)} {one_line(a.service)}".rstrip() + f"  {one_line(a.summary)}",
             "    " + t("alerts.show.line", v.lang, state=t(f"alert_state.{a.state}", v.lang),
                        severity=severity_text(a.severity, v.lang), occurrences=a.occurrences,
                        first=v.when(a.first_seen), last=v.when(a.last_seen)),
             f"    {t('alerts.show.fingerprint', v.lang)}: {one_line(a.fingerprint)} — "
             + t("alerts.show.open" if a.open else "alerts.show.closed", v.lang)]
    if a.details:
        lines.append("    " + neutralise(a.details).replace("\n", "\n    "))
    return "\n".join(lines)


SHOW = Show(
    mark="#", read=incidents.get, label=field_label, agent=True, extra=_alerts, to_json=_json,
    fields=(
        Field("status", lambda v, d: v.cfg.label("status", d.status, v.lang)
              + (f" ({t('field.confirmed', v.lang)})" if d.confirmed_at else "")),
        Field("priority", priority(impact=True)),
        Field("sla", lambda v, d: clock_line(d.sla, v.lang)),  # the SLA engine's view: business hours, pauses
        Field("caller", lambda v, d: f"{d.caller} {d.caller_phone}".strip()),
        Field("organisation", text("organisation")), Field("service", code("service", "service")),
        Field("category", code("category", "category")), Field("source", code("source", "source")),
        Field("classification", code("classification", "classification")),
        Field("group", lambda v, d: f"{v.cfg.label('group', d.group, v.lang)} (L{d.tier})" if d.group else ""),
        Field("assignee", text("assignee")), Field("owner", text("owner")), Field("opened", when("opened_at")),
        Field("first_response", when("first_response_at")), Field("resolved", when("resolved_at")),
        Field("resolved_by", text("resolved_by")), Field("closed", when("closed_at")),
        Field("closure_code", code("closure_code", "closure_code")), VERSION,
        Field("external_ref", text("external_ref"), shown=lambda d: bool(d.external_ref)),
        Field("request", lambda v, d: [t(f"request.link.incident_{way}", v.lang, id=rid) for rid, way in d.requests],
              each=True),
        Field("caused_by_change", lambda v, d: t("change.link.incident", v.lang, id=d.caused_by_change[0],
                                                 title=d.caused_by_change[1]), shown=lambda d: bool(d.caused_by_change)),
        Field("problem", lambda v, d: t("problem.link.incident", v.lang, id=d.problem[0], title=d.problem[1],
                                        status=t(f"problem.status.{d.problem[2]}", v.lang)),
              shown=lambda d: bool(d.problem))),
    blocks=(
        para(lambda v, d: neutralise(d.description)),
        para(lambda v, d: f"{v.label('resolution')}: {neutralise(d.resolution)}" if d.resolution else ""),
        listed(lambda v, d: v.extra, lambda v, d: t("alerts.show.title", v.lang), _alert),
        listed(lambda v, d: ledger_lines(d.sla, v.lang) if d.sla.ledger else [],
               lambda v, d: ledger_heading(d.sla, v.lang), lambda v, line: "  " + line),
        para(lambda v, d: t("detail.checklist", v.lang) + ": " + "  ".join(
            ("[x] " if done else "[ ] ") + t(f"checklist.{key}", v.lang) for key, done in d.checklist))),
    history_value=lambda v, field, value: value_label(v.cfg, field, value, v.lang))
cmd_show = SHOW.command
