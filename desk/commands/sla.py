"""`desk sla …`: hold and resume a ticket's SLA clock, show its clock and pause ledger (issue 15).

A ticket is named as desk shows it: an incident by its number (`12`), a request by `R` and its
number (`R12`, as `desk request show` and the wallboard write it)."""

from __future__ import annotations

import argparse
import re

from desk.commands.common import emit_json, open_for, say, say_zone, when_of
from desk.i18n import t
from desk.services import sla_hold, sla_tick, sla_views
from desk.sla_text import clock_line, ledger_lines, zone_name
from desk.timefmt import when, zone


def register(sub, common, lang: str) -> None:
    p = sub.add_parser("sla", parents=[common], help=t("sla.cli.help", lang))
    psub = p.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=type(p))

    ticket = _ticket_type(lang)
    a = psub.add_parser("hold", parents=[common], help=t("sla.cli.hold", lang))
    a.add_argument("id", type=ticket, metavar="ID", help=t("sla.cli.opt_ticket", lang))
    a.add_argument("--reason", required=True, help=t("sla.cli.opt_reason", lang))
    a.add_argument("--note", default="", help=t("cli.opt.sla_note", lang))
    a.add_argument("--expect-version", type=int, metavar="N", help=t("cli.opt.expect_version", lang))
    a.add_argument("--json", action="store_true", help=t("cli.opt.json", lang))
    a.set_defaults(handler=cmd_hold)

    a = psub.add_parser("resume", parents=[common], help=t("sla.cli.resume", lang))
    a.add_argument("id", type=ticket, metavar="ID", help=t("sla.cli.opt_ticket", lang))
    a.add_argument("--note", default="", help=t("cli.opt.sla_note", lang))
    a.add_argument("--expect-version", type=int, metavar="N", help=t("cli.opt.expect_version", lang))
    a.add_argument("--json", action="store_true", help=t("cli.opt.json", lang))
    a.set_defaults(handler=cmd_resume)

    a = psub.add_parser("show", parents=[common], help=t("sla.cli.show", lang))
    a.add_argument("id", type=ticket, metavar="ID", help=t("sla.cli.opt_ticket", lang))
    a.add_argument("--json", action="store_true", help=t("cli.opt.json", lang))
    a.set_defaults(handler=cmd_show)

    a = psub.add_parser("tick", parents=[common], help=t("sla.cli.tick", lang))
    a.add_argument("--json", action="store_true", help=t("cli.opt.json", lang))
    a.set_defaults(handler=cmd_tick)

    w = sub.add_parser("wallboard", parents=[common], help=t("sla.cli.board.help", lang))
    w.set_defaults(handler=cmd_wallboard)

    n = sub.add_parser("notifications", parents=[common], help=t("sla.cli.notifications", lang))
    n.add_argument("--unread", action="store_true", help=t("sla.cli.opt_unread", lang))
    n.add_argument("--read", action="store_true", help=t("sla.cli.opt_read", lang))
    n.add_argument("--limit", type=int, default=50, help=t("cli.opt.sla_limit", lang))
    n.add_argument("--json", action="store_true", help=t("cli.opt.json", lang))
    n.set_defaults(handler=cmd_notifications)
    nsub = n.add_subparsers(dest="notes_action", metavar="ACTION", required=False, parser_class=type(p))
    r = nsub.add_parser("read", parents=[common], help=t("sla.cli.notes_read", lang))
    r.add_argument("ids", type=int, nargs="*", metavar="ID", help=t("sla.cli.opt_note_ids", lang))
    r.add_argument("--all", action="store_true", help=t("sla.cli.opt_all_read", lang))
    r.add_argument("--json", action="store_true", help=t("cli.opt.json", lang))
    r.set_defaults(handler=cmd_notifications_read)


def _ticket_type(lang: str):
    """argparse's type of a ticket's ID: `12` an incident, `R12` a request -> (entity, number)."""
    def ticket(text: str) -> tuple[str, int]:
        match = re.fullmatch(r"\s*([rR]?)(\d+)\s*", text)
        if match is None:
            raise argparse.ArgumentTypeError(t("sla.cli.bad_ticket", lang, value=text))
        return ("request" if match.group(1) else "incident"), int(match.group(2))

    return ticket


def _named(entity: str, number: int) -> str:
    return f"R{number}" if entity == "request" else f"#{number}"


def _view(desk, entity: str, number: int):
    from desk.services import incidents, requests

    return sla_views.view(desk, requests.KIND if entity == "request" else incidents.KIND, number)


def _done(desk, args, detail) -> int:
    entity = args.id[0]
    got = _view(desk, entity, detail.id)
    if args.json:
        emit_json({"id": detail.id, "entity": entity, "version": detail.version, "sla": got.to_json()})
    else:
        say(t("sla.cli.changed", desk.lang, kind=t(f"entity.{entity}", desk.lang), id=_named(entity, detail.id),
              state=t(f"sla.{got.state}", desk.lang), version=detail.version))
    return 0


def cmd_hold(args) -> int:
    desk = open_for(args)
    entity, number = args.id
    hold = sla_hold.hold_request if entity == "request" else sla_hold.hold_incident
    detail = hold(desk, None, number, reason=args.reason, note=args.note, expect_version=args.expect_version)
    return _done(desk, args, detail)


def cmd_resume(args) -> int:
    desk = open_for(args)
    entity, number = args.id
    resume = sla_hold.resume_request if entity == "request" else sla_hold.resume_incident
    detail = resume(desk, None, number, note=args.note, expect_version=args.expect_version)
    return _done(desk, args, detail)


def cmd_show(args) -> int:
    desk = open_for(args, agent=True)
    entity, number = args.id
    got = _view(desk, entity, number)
    if args.json:
        emit_json({"id": number, "entity": entity, "sla": got.to_json()})
        return 0
    lang = desk.lang
    say(f"{_named(entity, number)}  {t('sla.cli.resolution', lang)}: {clock_line(got, lang)}")
    say(f"  {t('sla.cli.response', lang)}: {t('sla.' + got.response_state, lang)}"
        f" ({t('sla.cli.due', lang, at=when(got.response_due_at, got.tz))})")
    label = desk.config.sla.calendar_label(got.calendar, lang)
    say(f"  {t('sla.cli.calendar', lang, name=f'{label} ({got.calendar})' if label else got.calendar)}")
    lines = ledger_lines(got, lang)
    say(f"  {t('sla.cli.ledger', lang, count=len(lines), zone=zone_name(got))}")
    for line in lines:
        say(f"    {line}")
    return 0


def cmd_tick(args) -> int:
    desk = open_for(args)
    got = sla_tick.tick(desk)
    if args.json:
        emit_json(got._asdict())
    else:
        say(t("sla.cli.ticked", desk.lang, escalations=got.escalations, notifications=got.notifications))
    return 0


def cmd_notifications(args) -> int:
    """The caller's own notifications, newest first; --read marks the unread ones read."""
    desk = open_for(args, agent=True)
    _when = when_of(desk)  # its instants in the desk's zone
    rows = sla_tick.for_agent(desk, unread=args.unread, limit=max(args.limit, 0))
    if args.read:
        sla_tick.mark_read(desk, ids=[n.id for n in rows if not n.read])
    if args.json:
        emit_json({"unread": sla_tick.unread_count(desk), "notifications": [n.to_json(desk.lang) for n in rows]})
        return 0
    for n in rows:
        mark = " " if n.read else "*"
        say(f"{mark} {n.id:>5}  {_when(n.at)}  {sla_tick.text(n, desk.lang, zone(desk.config))}")
    say(t("sla.cli.unread", desk.lang, count=sla_tick.unread_count(desk), shown=len(rows)))
    say_zone(desk)
    return 0


def cmd_notifications_read(args) -> int:
    """`desk notifications read ID…` / `--all`: the caller's own notifications marked read."""
    from desk.domain.errors import ValidationError

    desk = open_for(args, agent=True)
    if bool(args.ids) == bool(args.all):
        raise ValidationError("sla.error.read_what")
    marked = sla_tick.mark_read(desk, ids=None if args.all else list(args.ids), strict=True)
    unread = sla_tick.unread_count(desk)
    if args.json:
        emit_json({"marked": marked, "unread": unread})
    else:
        say(t("sla.cli.marked", desk.lang, marked=marked, unread=unread))
    return 0


def cmd_wallboard(args) -> int:
    desk = open_for(args, agent=True)
    from desk.screens.board import run_wallboard

    return run_wallboard(desk)
