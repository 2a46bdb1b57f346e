"""`desk report list|generate|show|edit …`: the reports of each period, from a script or a shell."""

from __future__ import annotations

import sys

from desk.cli_format import table
from desk.commands.common import emit_json, open_for, say, say_zone, subcommands, when_of
from desk.i18n import t
from desk.services import reports


def register(rsub, common, lang: str) -> None:
    action = subcommands(rsub, common, lang, "report.cli.")

    a = action("list", cmd_list, versioned=False, with_id=False)
    a.add_argument("--status", action="append", default=[])
    a.add_argument("--code")
    a.add_argument("--limit", type=int, default=100)

    a = action("generate", cmd_generate, with_id=False)
    a.add_argument("code", metavar="NAME")
    a.add_argument("--period", required=True, help=t("report.cli.opt_period", lang))

    action("regenerate", cmd_regenerate)

    action("show", cmd_show, versioned=False)

    a = action("edit", cmd_edit)
    group = a.add_mutually_exclusive_group(required=True)
    group.add_argument("--commentary", help=t("report.cli.opt_commentary", lang))
    group.add_argument("--commentary-file", metavar="FILE", help=t("report.cli.opt_commentary_file", lang))


def status_label(status: str, lang: str) -> str:
    return t(f"report.status.{status}", lang)


def done(desk, args, view, key: str = "report.cli.changed") -> int:
    if args.json:
        emit_json(view.to_json())
    else:
        say(t(key, desk.lang, id=view.id, code=view.code, period=view.period,
              status=status_label(view.status, desk.lang), version=view.version))
    return 0


def cmd_generate(args) -> int:
    desk = open_for(args)
    view = reports.generate(desk, None, args.code, args.period, expect_version=args.expect_version)
    return done(desk, args, view, "report.cli.generated")


def cmd_regenerate(args) -> int:
    desk = open_for(args)
    view = reports.regenerate(desk, None, args.id, expect_version=args.expect_version)
    return done(desk, args, view, "report.cli.regenerated")


def cmd_edit(args) -> int:
    desk = open_for(args)
    if args.commentary_file:
        source = sys.stdin if args.commentary_file == "-" else open(args.commentary_file, encoding="utf-8")
        with source:
            text = source.read()
    else:
        text = args.commentary
    return done(desk, args, reports.edit(desk, None, args.id, commentary=text, expect_version=args.expect_version))



def cmd_list(args) -> int:
    desk = open_for(args, agent=True)
    _when = when_of(desk)  # its instants in the desk's zone
    views = reports.list_(desk, statuses=args.status, code=args.code, limit=args.limit)
    now = desk.now()
    if args.json:
        emit_json({"reports": [{**v.to_json(), "late": v.late(now)} for v in views]})
        return 0
    lang = desk.lang
    if not views:
        say(t("report.cli.none", lang))
        return 0
    headers = [t(f"report.col.{c}", lang) for c in ("id", "code", "period", "status", "writer", "due_at", "late")]
    body = [[str(v.id), v.code, v.period, status_label(v.status, lang), v.writer or "—", _when(v.due_at),
             t("report.cli.yes", lang) if v.late(now) else ""] for v in views]
    say(table(headers, body, [6, 22, 9, 16, 12, 16, 4]))
    say_zone(desk)
    return 0


def cmd_show(args) -> int:
    from desk.report_render import markdown

    desk = open_for(args, agent=True)
    _when = when_of(desk)  # its instants in the desk's zone
    view = reports.get(desk, args.id)
    if args.json:
        emit_json({**view.to_json(), "history": [h.to_json() for h in reports.report_history(desk, args.id)]})
        return 0
    say(markdown(view, desk.lang, desk.config).rstrip("\n"))
    say("")
    say(f"## {t('report.col.history', desk.lang)}")
    for h in reports.report_history(desk, args.id):
        say(f"  {h.seq:>3}  {_when(h.at)}  {(h.actor or '—'):<12} {t('report.history.' + h.action, desk.lang)}"
            + (f"  {h.note}" if h.note else ""))
    say_zone(desk)
    return 0
