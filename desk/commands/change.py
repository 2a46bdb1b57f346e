"""`desk change …`: record and drive changes (RFCs) from a script or a shell (seed 004 §4.1)."""

from __future__ import annotations

import sys
from datetime import datetime

from desk.cli_format import fit, table
from desk.commands.common import changing, emit_json, open_for, reply, say, say_zone, subcommands, when_of
from desk.commands.record_show import Show, listed, para, texts
from desk.record_fields import CHANGE, VERSION, View, change_label, service_names, words
from desk.domain import change_flow
from desk.domain.errors import ValidationError
from desk.domain.text import neutralise, one_line
from desk.history_labels import record_value
from desk.i18n import t
from desk.services import change_calendar, changes
from desk.timefmt import parse, short, zone


def register(sub, common, lang: str) -> None:
    p = sub.add_parser("change", parents=[common], help=t("change.cli.help", lang))
    csub = p.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=type(p))

    action = subcommands(csub, common, lang, "change.cli.")

    a = action("new", cmd_new, versioned=False, with_id=False)
    a.add_argument("--title", default="")
    a.add_argument("--type", choices=change_flow.TYPES, default=change_flow.NORMAL)
    a.add_argument("--template", default="", help=t("change.cli.opt_template", lang))
    a.add_argument("--description", default="")
    a.add_argument("--reason", default="")
    a.add_argument("--services", default="", help=t("change.cli.opt_services", lang))
    a.add_argument("--items", default="", help=t("change.cli.opt_items", lang))
    _plans(a, lang)
    _window(a, lang)

    a = action("list", cmd_list, versioned=False, with_id=False)
    a.add_argument("--status", action="append", default=[])
    a.add_argument("--type", action="append", default=[], dest="types")
    a.add_argument("--limit", type=int, default=50)

    action("show", cmd_show, versioned=False)
    action("submit", cmd_submit)
    _plans(action("assess", cmd_assess), lang)
    for name, handler in (("approve", cmd_approve), ("reject", cmd_reject)):
        action(name, handler).add_argument("--note", default="")
    _window(action("schedule", cmd_schedule), lang)
    action("start", cmd_start)
    a = action("review", cmd_review)
    a.add_argument("--outcome", choices=change_flow.OUTCOMES)
    a.add_argument("--note", default="")
    action("close", cmd_close).add_argument("--review")
    a = action("calendar", cmd_calendar, versioned=False, with_id=False)
    a.add_argument("--week", metavar="YYYY-Www", help=t("change.cli.opt_week", lang))
    action("link-incident", cmd_link_incident).add_argument("incidents", type=int, nargs="+", metavar="INCIDENT")
    action("unlink-incident", cmd_unlink_incident).add_argument("incidents", type=int, nargs="+",
                                                                metavar="INCIDENT")


def _plans(a, lang: str) -> None:
    a.add_argument("--risk", choices=change_flow.RISKS)
    for name in ("impact", "implementation", "backout", "test"):
        a.add_argument(f"--{name}", help=t(f"change.cli.opt_{name}", lang))


def _window(a, lang: str) -> None:
    a.add_argument("--start", metavar="YYYY-MM-DDTHH:MM", help=t("change.cli.opt_start", lang))
    a.add_argument("--end", metavar="YYYY-MM-DDTHH:MM", help=t("change.cli.opt_end", lang))


def _time(desk, value: str | None, field: str) -> datetime | None:
    """A planned time as typed: the desk's wall clock (or with its own offset), stored as UTC."""
    if not value:
        return None
    try:
        return parse(value, zone(desk.config))
    except ValueError:
        raise ValidationError("change.error.bad_time", field=field, value=value) from None


# --- writing ----------------------------------------------------------------------------------------

def status_label(status: str, lang: str) -> str:
    return t(f"change.status.{status}", lang)


def _done(desk, args, detail, key: str = "change.cli.changed") -> int:
    return reply(desk, args, detail, key, status_label)


def cmd_new(args) -> int:
    desk = open_for(args)
    detail = changes.create(
        desk, None, title=args.title, type=args.type, template=args.template, description=args.description,
        reason=args.reason, services=args.services, items=args.items, risk=args.risk or "", impact=args.impact or "",
        implementation_plan=args.implementation or "", backout_plan=args.backout or "", test_plan=args.test or "",
        planned_start=_time(desk, args.start, "start"), planned_end=_time(desk, args.end, "end"))
    return _done(desk, args, detail, "change.cli.created")


_change = changing("change.cli.changed", status_label)


cmd_submit = _change(lambda d, a: changes.submit(d, None, a.id, expect_version=a.expect_version))
cmd_assess = _change(lambda d, a: changes.assess(d, None, a.id, risk=a.risk, impact=a.impact,
                                                  implementation_plan=a.implementation, backout_plan=a.backout,
                                                  test_plan=a.test, expect_version=a.expect_version))
cmd_approve = _change(lambda d, a: changes.approve(d, None, a.id, note=a.note, expect_version=a.expect_version))
cmd_reject = _change(lambda d, a: changes.reject(d, None, a.id, note=a.note, expect_version=a.expect_version))
cmd_start = _change(lambda d, a: changes.start(d, None, a.id, expect_version=a.expect_version))
cmd_review = _change(lambda d, a: changes.review(d, None, a.id, outcome=a.outcome, note=a.note,
                                                  expect_version=a.expect_version))
cmd_close = _change(lambda d, a: changes.close(d, None, a.id, review=a.review, expect_version=a.expect_version))
cmd_link_incident = _change(lambda d, a: changes.link_incident(d, None, a.id, a.incidents,
                                                                expect_version=a.expect_version))
cmd_unlink_incident = _change(lambda d, a: changes.unlink_incident(d, None, a.id, a.incidents,
                                                                    expect_version=a.expect_version))


def cmd_schedule(args) -> int:
    """Schedule it; conflicts with other planned changes on the same service are warned about
    (on stderr; the calendar marks them) but do not refuse it."""
    desk = open_for(args)
    detail = changes.schedule(desk, None, args.id, start=_time(desk, args.start, "start"), end=_time(desk, args.end, "end"),
                              expect_version=args.expect_version)
    found = change_calendar.conflicts_of(desk, detail.id)
    if args.json:
        out = detail.to_json()
        out["conflicts"] = [{"id": other, "service": service} for other, service in found]
        emit_json(out)
    else:
        say(t("change.cli.changed", desk.lang, id=detail.id, status=status_label(detail.status, desk.lang),
              version=detail.version))
    for other, service in found:
        print(t("change.cli.conflict", desk.lang, id=other, service=one_line(service)), file=sys.stderr)
    return 0


# --- reading ----------------------------------------------------------------------------------------

def cmd_list(args) -> int:
    desk = open_for(args)
    _when = when_of(desk)  # its instants in the desk's zone
    total, rows = changes.list_(desk, statuses=args.status, types=args.types, limit=args.limit)
    if args.json:
        emit_json({"total": total, "changes": [r.to_json() for r in rows]})
        return 0
    lang = desk.lang
    headers = [t(f"change.col.{c}", lang) for c in ("id", "type", "status", "title", "services", "start", "requester")]
    body = [[str(r.id), _value(desk, "type", r.type), _value(desk, "status", r.status), r.title,
             services_named(desk, r.services),
             _when(r.planned_start), r.requester] for r in rows]
    say(table(headers, body, [6, 10, 14, 40, 20, 16, 12]))
    say(t("cli.list_total", lang, shown=len(rows), total=total))
    say_zone(desk)
    return 0


_word = words("change")


def _value(desk, field: str, value) -> str:
    return record_value(desk.config, "change", field, value, desk.lang, zone(desk.config))


def services_named(desk, services: str) -> str:
    """'core-banking, database' by the catalogue's names, as the TUI's change list shows them."""
    return service_names(View(desk, desk.lang, desk.config, None, None), services)


SHOW = Show(
    mark="C", read=changes.get, label=change_label,
    fields=(*CHANGE, VERSION),
    blocks=(
        texts("description", "reason", "impact", "implementation_plan", "backout_plan", "test_plan", "review"),
        listed(lambda v, d: d.decisions, lambda v, d: t("change.cli.decisions", v.lang),
               lambda v, x: f"  {v.when(x.at)}  {one_line(x.agent):<12} {_word(v, 'decision', x.decision)}  "
                            f"{one_line(x.note, 80)}"),
        listed(lambda v, d: d.incidents, lambda v, d: t("change.cli.caused", v.lang, count=len(d.incidents)),
               lambda v, i: f"  #{i.id:<7} {one_line(i.title, 60)}"),
        para(lambda v, d: t("change.cli.fixes", v.lang, problems=", ".join(f"P{p}" for p in d.problems))
             if d.problems else "")),
    history_value=_word)
cmd_show = SHOW.command


def cmd_calendar(args) -> int:
    desk = open_for(args)
    cal = change_calendar.calendar(desk, args.week)
    if args.json:
        emit_json(cal.to_json())
        return 0
    lang, tz = desk.lang, zone(desk.config)
    say(t("change.cli.calendar_title", lang, week=cal.week, start=cal.start.strftime("%Y-%m-%d")))
    for day in cal.days:
        say("")
        frozen = f"  {t('change.calendar.frozen', lang, freeze=neutralise(day.freeze.label(lang)))}" if day.freeze else ""
        say(f"{day.day.isoformat()} {t(f'change.weekday.{day.day.weekday()}', lang)}{frozen}")
        if not day.entries:
            say("  " + t("change.cli.calendar_none", lang))
        for entry in day.entries:
            c = entry.change
            mark = "!" if entry.conflicts else " "
            say(f" {mark}C{c.id:<5} {short(c.planned_start, tz)}–{short(c.planned_end, tz)}  "
                f"{fit(_value(desk, 'status', c.status), 12)}  {fit(one_line(services_named(desk, c.services)), 20)}  "
                f"{one_line(c.title, 50)}")
            for other, service in entry.conflicts:
                say("         " + t("change.cli.conflict", lang, id=other, service=one_line(service)))
    say_zone(desk)
    return 0
