"""`desk request …`: record and drive service requests from a script or a shell (seed 003)."""

from __future__ import annotations

from datetime import date, datetime

from desk.cli_format import cell_width, fit, table
from desk.commands.common import changing, emit_json, open_for, reply, say, say_zone, subcommands, when_of
from desk.domain import request_flow
from desk.domain.errors import ValidationError
from desk.history_labels import field_label
from desk.i18n import t
from desk.services import request_approval, request_kpis, request_reads, requests
from desk.timefmt import to_utc, zone

ACTIONS = ("new", "list", "show", "accept", "dispatch", "return", "escalate", "ask-approval", "approve", "reject",
           "ask-cost", "confirm-cost", "wait", "resume", "fulfil", "resolve", "callback", "close", "cancel", "to-incident", "note",
           "auto-close", "inbox", "delegate", "kpis")


def register(sub, common, lang: str) -> None:
    p = sub.add_parser("request", parents=[common], help=t("request.cli.help", lang))
    psub = p.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=type(p))

    action = subcommands(psub, common, lang, "request.cli.")

    a = action("new", cmd_new, versioned=False, with_id=False)
    a.add_argument("--title", required=True)
    for name in ("requester", "contact", "location", "description", "remarks"):
        a.add_argument(f"--{name}", default="")
    a.add_argument("--service")
    a.add_argument("--class", dest="request_class", help=t("request.cli.opt_class", lang))
    a.add_argument("--channel", help=t("request.cli.opt_channel", lang))
    a.add_argument("--priority", type=int, default=3)
    a.add_argument("--group", help=t("request.cli.opt_group", lang))
    a.add_argument("--checked", action="append", default=[], metavar="ITEM", help=t("request.cli.opt_checked", lang))
    a.add_argument("--approval", action="store_true", default=None, help=t("request.cli.opt_approval", lang))
    a.add_argument("--cost", action="store_true", default=None, help=t("request.cli.opt_cost", lang))
    a.add_argument("--attachment", action="append", default=[], metavar="FILE")
    a.add_argument("--accept", action="store_true", help=t("request.cli.opt_accept", lang))

    a = action("list", cmd_list, versioned=False, with_id=False)
    a.add_argument("--view", default="open", choices=request_reads.VIEWS)
    a.add_argument("--status", action="append", default=[])
    a.add_argument("--group")
    a.add_argument("--handler", dest="handled_by", metavar="USER|me")
    a.add_argument("--text", default="")
    a.add_argument("--limit", type=int, default=50)

    action("show", cmd_show, versioned=False)
    action("accept", _change(lambda d, a: requests.accept(d, None, a.id, expect_version=a.expect_version)))
    a = action("dispatch", _change(lambda d, a: requests.dispatch(d, None, a.id, to=a.to, group=a.group, note=a.note,
                                                                  expect_version=a.expect_version)))
    a.add_argument("--to", metavar="USER|me", help=t("cli.opt.to_user", lang))
    a.add_argument("--group")
    a.add_argument("--note", default="")
    a = action("return", _change(lambda d, a: requests.return_(d, None, a.id, reason=a.reason, suggestion=a.suggest,
                                                               expect_version=a.expect_version)))
    a.add_argument("--reason", required=True)
    a.add_argument("--suggest", required=True, help=t("request.cli.opt_suggest", lang))
    a = action("escalate", _change(lambda d, a: requests.escalate(d, None, a.id, reason=a.reason,
                                                                  expect_version=a.expect_version)))
    a.add_argument("--reason", required=True)
    a = action("ask-approval", _change(lambda d, a: request_approval.ask_approval(
        d, None, a.id, approvers=a.approver, expect_version=a.expect_version)))
    a.add_argument("--approver", action="append", default=[], metavar="LOGIN",
                   help=t("request.cli.opt_approver", lang))
    a = action("approve", _change(lambda d, a: request_approval.approve(d, None, a.id, note=a.note,
                                                                        expect_version=a.expect_version)))
    a.add_argument("--note", default="")
    a = action("reject", _change(lambda d, a: request_approval.reject(d, None, a.id, reason=a.reason, code=a.code,
                                                                      expect_version=a.expect_version)))
    a.add_argument("--reason", required=True)
    a.add_argument("--code", help=t("request.cli.opt_rejection", lang))
    action("ask-cost", _change(lambda d, a: requests.ask_cost(d, None, a.id, expect_version=a.expect_version)))
    a = action("confirm-cost", _change(lambda d, a: requests.confirm_cost(
        d, None, a.id, amount=a.amount, currency=a.currency, confirmed_with=a.confirmed_with,
        expect_version=a.expect_version)))
    a.add_argument("--amount", required=True)
    a.add_argument("--currency", default="CNY")
    a.add_argument("--with", dest="confirmed_with", required=True, metavar="PERSON",
                   help=t("request.cli.opt_with", lang))
    a = action("wait", _change(lambda d, a: requests.wait(d, None, a.id, reason=a.reason,
                                                          expect_version=a.expect_version)))
    a.add_argument("--reason", required=True)
    a = action("resume", _change(lambda d, a: requests.resume(d, None, a.id, note=a.note,
                                                              expect_version=a.expect_version)))
    a.add_argument("--note", default="")
    a = action("fulfil", _change(lambda d, a: requests.fulfil(d, None, a.id, note=a.note, knowledge_title=a.knowledge,
                                                              expect_version=a.expect_version)))
    a.add_argument("--note", help=t("request.cli.opt_done", lang))
    a.add_argument("--knowledge", metavar="TITLE", help=t("request.cli.opt_knowledge", lang))
    a = action("resolve", _change(lambda d, a: requests.resolve(d, None, a.id, note=a.note, outcome=a.outcome,
                                                                knowledge_title=a.knowledge,
                                                                expect_version=a.expect_version)))
    a.add_argument("--outcome", choices=request_flow.OUTCOMES, default=request_flow.SUCCEEDED)
    a.add_argument("--note", help=t("request.cli.opt_done", lang))
    a.add_argument("--knowledge", metavar="TITLE", help=t("request.cli.opt_knowledge", lang))
    a = action("callback", _change(lambda d, a: requests.callback(d, None, a.id, satisfaction=a.satisfaction,
                                                                  comment=a.comment, expect_version=a.expect_version)))
    a.add_argument("--satisfaction", required=True, metavar="1-5")
    a.add_argument("--comment", default="")
    a = action("close", _change(lambda d, a: requests.close(d, None, a.id, code=a.code,
                                                            expect_version=a.expect_version)))
    a.add_argument("--code", help=t("request.cli.opt_close_code", lang))
    a = action("to-incident", _change(lambda d, a: _convert().to_incident(
        d, None, a.id, reason=a.reason, impact=a.impact, urgency=a.urgency, category=a.category, group=a.group,
        expect_version=a.expect_version)))
    a.add_argument("--reason")
    a.add_argument("--impact", type=int, default=3)
    a.add_argument("--urgency", type=int, default=3)
    a.add_argument("--category")
    a.add_argument("--group")
    a = action("cancel", _change(lambda d, a: requests.cancel(d, None, a.id, reason=a.reason,
                                                              expect_version=a.expect_version)))
    a.add_argument("--reason", required=True)
    a = action("note", _change(lambda d, a: requests.note(d, None, a.id, text=a.text, expect_version=a.expect_version)))
    a.add_argument("--text", required=True)
    action("auto-close", cmd_auto_close, versioned=False, with_id=False)
    action("inbox", cmd_inbox, versioned=False, with_id=False)
    a = action("delegate", cmd_delegate, versioned=False, with_id=False)
    a.add_argument("--to", required=True, metavar="LOGIN", help=t("request.cli.opt_substitute", lang))
    a.add_argument("--from", dest="starts", required=True, metavar="YYYY-MM-DD")
    a.add_argument("--until", dest="ends", required=True, metavar="YYYY-MM-DD")
    a.add_argument("--approver", metavar="LOGIN", help=t("request.cli.opt_for_approver", lang))
    a.add_argument("--note", default="")
    a = action("kpis", cmd_kpis, versioned=False, with_id=False)
    a.add_argument("--from", dest="starts", required=True, metavar="YYYY-MM-DD")
    a.add_argument("--until", dest="ends", required=True, metavar="YYYY-MM-DD", help=t("request.cli.opt_until", lang))
    a.add_argument("--service")


# --- writing ----------------------------------------------------------------------------------------

def status_label(config, status: str, lang: str) -> str:
    """A status as a value (a column, a field): the code table's label."""
    return config.label("request_status", status, lang)


def status_words(status: str, lang: str) -> str:
    """A status inside a sentence: the messages' words ("R12 is now awaiting approval")."""
    return t(f"request.status.{status}", lang)


def label(name: str, lang: str) -> str:
    key = f"request.field.{name}"
    found = t(key, lang)
    return field_label(name, lang) if found == key else found


def incident_link(d, lang: str) -> str:
    """The request's incident and which way: '#12 (turned into this incident)' / '(opened from …)'."""
    if not d.incident:
        return ""
    from desk.domain.request_convert import direction

    return t(f"request.link.{direction(d.close_code)}", lang, id=d.incident)


def _done(desk, args, detail, key: str = "request.cli.changed") -> int:
    return reply(desk, args, detail, key, status_words)


_change = changing("request.cli.changed", status_words)


def _convert():
    from desk.services import request_convert

    return request_convert


def add_to_request(action, lang: str) -> None:
    """`desk incident to-request ID`: close the incident as a service request and open the request
    (registered under `desk incident`, whose `action` makes the subcommand)."""
    a = action("to-request", cmd_to_request, "request.cli.to_request")
    a.add_argument("--reason", metavar="TEXT", help=t("cli.opt.reason", lang))
    a.add_argument("--checked", action="append", default=[], metavar="ITEM", help=t("request.cli.opt_checked", lang))
    a.add_argument("--service", metavar="CODE", help=t("request.cli.opt_to_request_service", lang))
    a.add_argument("--class", dest="request_class", metavar="CODE", help=t("request.cli.opt_class", lang))


def cmd_to_request(args) -> int:
    desk = open_for(args)
    detail = _convert().to_request(desk, None, args.id, reason=args.reason, service=args.service,
                                   checked=[c for v in args.checked for c in v.split(",") if c],
                                   request_class=args.request_class, expect_version=args.expect_version)
    if args.json:
        emit_json(detail.to_json())
    else:
        say(t("request.cli.to_request_done", desk.lang, incident=args.id, id=detail.id,
              status=status_words(detail.status, desk.lang), version=detail.version))
    return 0


def cmd_new(args) -> int:
    desk = open_for(args)
    detail = requests.create(desk, None, title=args.title, requester=args.requester, contact=args.contact,
                             location=args.location, description=args.description, remarks=args.remarks,
                             service=args.service, request_class=args.request_class, channel=args.channel,
                             priority=args.priority, checked=[c for v in args.checked for c in v.split(",") if c],
                             add_approval=args.approval, add_cost=args.cost, attachments=args.attachment,
                             accept=args.accept, group=args.group)
    return _done(desk, args, detail, "request.cli.created")


def cmd_auto_close(args) -> int:
    desk = open_for(args)
    closed = requests.auto_close(desk, None)
    if args.json:
        emit_json({"closed": closed})
    else:
        say(t("request.cli.auto_closed", desk.lang, count=len(closed),
              ids=", ".join(str(i) for i in closed) or "—"))
    return 0


def _day(value: str, field: str) -> date:
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise ValidationError("request.error.date", field=field, value=value) from None


def cmd_delegate(args) -> int:
    desk = open_for(args)
    row = request_approval.delegate(desk, None, substitute=args.to, starts=_day(args.starts, "from"),
                                    ends=_day(args.ends, "until"), note=args.note, approver=args.approver)
    if args.json:
        emit_json(row.to_json())
    else:
        say(t("request.cli.delegated", desk.lang, approver=row.approver, substitute=row.substitute,
              starts=row.starts.isoformat(), ends=row.ends.isoformat()))
    return 0


# --- reading ----------------------------------------------------------------------------------------


def cmd_list(args) -> int:
    desk = open_for(args, agent=True)
    _when = when_of(desk)  # its instants in the desk's zone
    total, rows = request_reads.list_(desk, None, view=args.view, statuses=args.status, group=args.group,
                                      handler=args.handled_by, text=args.text, limit=args.limit)
    if args.json:
        emit_json({"total": total, "requests": [r.to_json() for r in rows]})
        return 0
    lang, cfg = desk.lang, desk.config
    headers = [t(f"request.col.{c}", lang) for c in ("id", "priority", "status", "title", "requester", "service",
                                                     "owner", "handler", "registered")]
    body = [[str(r.id), str(r.priority), status_label(desk.config, r.status, lang), r.title, r.requester,
             cfg.label("service", r.service, lang) if r.service else "", r.owner or "—", r.handler or "—",
             _when(r.registered_at)]
            for r in rows]
    say(table(headers, body, [6, 2, 14, 34, 12, 16, 10, 10, 16]))
    say(t("cli.list_total", lang, shown=len(rows), total=total))
    say_zone(desk)
    return 0


def cmd_inbox(args) -> int:
    desk = open_for(args, agent=True)
    _when = when_of(desk)  # its instants in the desk's zone
    rows = request_approval.inbox(desk, None)
    if args.json:
        emit_json({"requests": [r.to_json() for r in rows]})
        return 0
    lang = desk.lang
    if not rows:
        say(t("request.cli.inbox_empty", lang))
        return 0
    headers = [t(f"request.col.{c}", lang) for c in ("id", "title", "requester", "level", "approver", "asked")]
    body = [[str(r.id) + (" !" if r.overdue else ""), r.title, r.requester, str(r.level), r.approver,
             _when(r.asked_at)] for r in rows]
    say(table(headers, body, [8, 36, 14, 5, 12, 16]))
    say_zone(desk)
    return 0


def cmd_kpis(args) -> int:
    desk = open_for(args, agent=True)
    start, end = _day(args.starts, "from"), _day(args.ends, "until")
    tz = zone(desk.config)  # the days typed are the desk's days: from its midnight to its midnight
    k = request_kpis.kpis(desk, None, start=to_utc(datetime.combine(start, datetime.min.time()), tz),
                          end=to_utc(datetime.combine(end, datetime.min.time()), tz), service=args.service)
    if args.json:
        emit_json(k.to_json())
        return 0
    lang = desk.lang
    width = max(cell_width(t(f"request.kpi.{name}", lang)) for name in k._fields)
    for name, value in k._asdict().items():
        shown = "—" if value is None else (f"{value:.1%}" if name.endswith("_rate") else str(value))
        say(f"  {fit(t(f'request.kpi.{name}', lang), width)}  {shown}")
    return 0


def cmd_show(args) -> int:
    from desk.commands.request_show import cmd_show as show  # (the detail and its history: a module of its own)

    return show(args)
