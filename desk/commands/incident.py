"""`desk incident …`: record and drive incidents from a script or a shell."""

from __future__ import annotations

import argparse
from datetime import datetime

from desk.alert_text import severity_text
from desk.cli_format import cell_width, fit, table
from desk.commands.common import emit_json, open_for, say, say_zone, when_of
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



def cmd_show(args) -> int:
    desk = open_for(args, agent=True)
    _when = when_of(desk)  # its instants in the desk's zone
    d = incidents.get(desk, args.id)
    clock = d.sla  # the SLA engine's view: business hours, pauses (issue 15)
    from desk.services import alerts

    alert_list = alerts.for_incident(desk, d.id)
    if args.json:
        out = d.to_json()
        out["alerts"] = [a.to_json() for a in alert_list]
        out["sla"] = {**clock.to_json(), "elapsed_seconds": int(clock.spent)}
        emit_json(out)
        return 0
    lang, cfg = desk.lang, desk.config
    label = lambda key: t(f"field.{key}", lang)  # noqa: E731
    say(f"#{d.id}  {one_line(d.title)}")
    fields = [
        ("status", cfg.label("status", d.status, lang) + (f" ({t('field.confirmed', lang)})" if d.confirmed_at else "")),
        ("priority", f"{d.priority} {cfg.label('priority', d.priority, lang)}  ({label('impact')} {d.impact}, "
                     f"{label('urgency')} {d.urgency})"),
        ("sla", clock_line(clock, lang)),
        ("caller", f"{d.caller} {d.caller_phone}".strip()),
        ("organisation", d.organisation),
        ("service", cfg.label("service", d.service, lang) if d.service else ""),
        ("category", cfg.label("category", d.category, lang)),
        ("source", cfg.label("source", d.source, lang)),
        ("classification", cfg.label("classification", d.classification, lang)),
        ("group", f"{cfg.label('group', d.group, lang)} (L{d.tier})" if d.group else ""),
        ("assignee", d.assignee),
        ("owner", d.owner),
        ("opened", _when(d.opened_at)),
        ("first_response", _when(d.first_response_at)),
        ("resolved", _when(d.resolved_at)),
        ("resolved_by", d.resolved_by or "—"),
        ("closed", _when(d.closed_at)),
        ("closure_code", cfg.label("closure_code", d.closure_code, lang) if d.closure_code else ""),
        ("version", str(d.version)),
    ]
    if d.external_ref:
        fields.append(("external_ref", d.external_ref))
    fields += [("request", t(f"request.link.incident_{way}", lang, id=rid)) for rid, way in d.requests]
    if d.caused_by_change:  # the change recorded as its cause (printed with one_line below)
        fields.append(("caused_by_change", t("change.link.incident", lang, id=d.caused_by_change[0],
                                             title=d.caused_by_change[1])))
    if d.problem:  # the problem it is linked to (printed with one_line below)
        fields.append(("problem", t("problem.link.incident", lang, id=d.problem[0], title=d.problem[1],
                                    status=t(f"problem.status.{d.problem[2]}", lang))))
    width = max(cell_width(label(k)) for k, _ in fields)
    for key, value in fields:  # an empty field reads "—" (nobody, nothing yet), as in the TUI's detail
        say(f"  {fit(label(key), width)}  {one_line(value) or '—'}")
    if d.description:
        say("")
        say(neutralise(d.description))
    if d.resolution:
        say("")
        say(f"{label('resolution')}: {neutralise(d.resolution)}")
    _show_alerts(lang, alert_list, _when)
    if clock.ledger:
        say("")
        say(ledger_heading(clock, lang))
        for line in ledger_lines(clock, lang):
            say("  " + line)
    say("")
    say(t("detail.checklist", lang) + ": " + "  ".join(
        ("[x] " if done else "[ ] ") + t(f"checklist.{key}", lang) for key, done in d.checklist))
    say("")
    say(t("detail.history", lang))
    for h in d.history:
        changes = ", ".join(
            f"{field_label(k, lang)}: {value_label(cfg, k, v[0], lang)} → {value_label(cfg, k, v[1], lang)}"
            for k, v in h.changes.items())
        line = f"  {h.seq:>3}  {_when(h.at)}  {one_line(h.actor):<12} {t('action.' + h.action, lang)}"
        if changes:
            line += f"  {changes}"
        say(line)
        if h.note:
            say("       " + one_line(h.note, 200))
    say_zone(desk)
    return 0


def _show_alerts(lang: str, alert_list, _when) -> None:
    """The incident's monitoring alerts, their text literally (one_line / neutralise)."""
    if not alert_list:
        return
    say("")
    say(t("alerts.show.title", lang))
    for a in alert_list:
        say(f"  {one_line(a.source)} {one_line(a.host)} {one_line(a.service)}".rstrip() + f"  {one_line(a.summary)}")
        say("    " + t("alerts.show.line", lang, state=t(f"alert_state.{a.state}", lang), severity=severity_text(a.severity, lang),
                       occurrences=a.occurrences, first=_when(a.first_seen), last=_when(a.last_seen)))
        say(f"    {t('alerts.show.fingerprint', lang)}: {one_line(a.fingerprint)} — "
            + t("alerts.show.open" if a.open else "alerts.show.closed", lang))
        if a.details:
            say("    " + neutralise(a.details).replace("\n", "\n    "))
