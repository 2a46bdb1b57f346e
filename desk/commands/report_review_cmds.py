"""`desk report submit-for-review|confirm|return|approve|submit|archive|late|feedback|export`."""

from __future__ import annotations

import os
import sys

from desk.cli_format import table
from desk.commands.common import emit_json, open_for, say, say_zone, subcommands, when_of
from desk.commands.report_cmds import done
from desk.domain.text import one_line
from desk.i18n import t
from desk.services import report_feedback, report_review, reports


def register(rsub, common, lang: str) -> None:
    def action(parent, name, handler, **kw):
        return subcommands(parent, common, lang, "report.cli.")(name, handler, **kw)

    action(rsub, "submit-for-review", _step(report_review.submit_for_review))
    action(rsub, "confirm", _step(report_review.confirm))
    a = action(rsub, "return", cmd_return)
    a.add_argument("--comments", required=True)
    action(rsub, "approve", _step(report_review.approve))
    a = action(rsub, "submit", cmd_submit)
    a.add_argument("--channel")
    a.add_argument("--recipient", action="append", dest="recipients", metavar="R",
                   help=t("report.cli.opt_recipient", lang))
    action(rsub, "archive", _step(report_review.archive))

    a = action(rsub, "late", cmd_late, versioned=False, with_id=False)
    a.add_argument("--chase", metavar="NAME", help=t("report.cli.opt_chase", lang))
    a.add_argument("--period", help=t("report.cli.opt_period", lang))
    a.add_argument("--note", default="")

    f = rsub.add_parser("feedback", parents=[common], help=t("report.cli.feedback", lang))
    fsub = f.add_subparsers(dest="feedback_action", metavar="ACTION", required=True, parser_class=type(f))
    a = action(fsub, "add", cmd_feedback_add, versioned=False, key="report.cli.feedback_add")
    a.add_argument("--source", required=True, help=t("report.cli.opt_source", lang))
    a.add_argument("--text", required=True)
    a.add_argument("--action", default="", help=t("report.cli.opt_action", lang))
    a = action(fsub, "action", cmd_feedback_action, key="report.cli.feedback_action")
    a.add_argument("--text", required=True)
    a = action(fsub, "close", cmd_feedback_close, key="report.cli.feedback_close")
    a.add_argument("--note", default="")
    a = action(fsub, "list", cmd_feedback_list, versioned=False, with_id=False, key="report.cli.feedback_list")
    a.add_argument("--report", type=int, metavar="ID")
    a.add_argument("--open", action="store_true")

    r = rsub.add_parser("review", parents=[common], help=t("report.cli.review", lang))
    r.set_defaults(handler=cmd_review)

    a = action(rsub, "export", cmd_export, versioned=False)
    a.add_argument("--format", choices=("md", "html", "csv", "xlsx"), default="md")
    a.add_argument("--out", metavar="FILE", help=t("report.cli.opt_out", lang))


def _step(call):
    def handler(args) -> int:
        desk = open_for(args)
        return done(desk, args, call(desk, None, args.id, expect_version=args.expect_version))

    return handler


def cmd_return(args) -> int:
    desk = open_for(args)
    return done(desk, args, report_review.return_(desk, None, args.id, comments=args.comments,
                                                  expect_version=args.expect_version))


def cmd_submit(args) -> int:
    desk = open_for(args)
    return done(desk, args, report_review.submit(desk, None, args.id, channel=args.channel, recipients=args.recipients,
                                                 expect_version=args.expect_version))



def cmd_late(args) -> int:
    desk = open_for(args, agent=True)
    _when = when_of(desk)  # its instants in the desk's zone
    lang = desk.lang
    if args.chase:
        if not args.period:
            say(t("report.cli.chase_needs_period", lang))
            return 2
        report_review.chase(desk, None, args.chase, args.period, note=args.note)
        if not args.json:
            say(t("report.cli.chased", lang, code=args.chase, period=args.period))
    rows = report_review.late(desk)
    if args.json:  # the codes (code, writer, status) and the words beside them
        emit_json({"late": [{**r.to_json(), "status_label": _status_label(r, lang)} for r in rows]})
        return 0
    if not rows:
        say(t("report.cli.none_late", lang))
        return 0
    # by title and the writer's name, as people say them; the code last, for `--chase CODE`
    headers = [t(f"report.col.{c}", lang) for c in ("name", "period", "due_at", "writer", "status", "chased", "code")]
    body = [[r.name(lang), r.period, _when(r.due_at), r.writer_name or "—", _late_status(r, lang, _when), str(r.chased),
             r.code] for r in rows]
    say(table(headers, body, [36, 9, 16, 16, 30, None, None]))
    say_zone(desk)
    return 0


def _late_status(row, lang: str, _when) -> str:
    if row.submitted_at is not None:
        return t("report.cli.submitted_late", lang, at=_when(row.submitted_at))
    return _status_label(row, lang)


def _status_label(row, lang: str) -> str:
    return t("report.cli.missing", lang) if row.status == "missing" else t(f"report.status.{row.status}", lang)


def _feedback_done(desk, args, view) -> int:
    if args.json:
        emit_json(view.to_json())
    else:
        say(t("report.cli.feedback_changed", desk.lang, id=view.id, report=view.report_id,
              status=t(f"report.feedback_status.{view.status}", desk.lang), version=view.version))
    return 0


def cmd_feedback_add(args) -> int:
    desk = open_for(args)
    return _feedback_done(desk, args, report_feedback.record(desk, None, args.id, source=args.source, text=args.text,
                                                             action=args.action))


def cmd_feedback_action(args) -> int:
    desk = open_for(args)
    return _feedback_done(desk, args, report_feedback.set_action(desk, None, args.id, action=args.text,
                                                                 expect_version=args.expect_version))


def cmd_feedback_close(args) -> int:
    desk = open_for(args)
    return _feedback_done(desk, args, report_feedback.close(desk, None, args.id, note=args.note,
                                                            expect_version=args.expect_version))


def cmd_feedback_list(args) -> int:
    desk = open_for(args, agent=True)
    rows = report_feedback.list_(desk, report_id=args.report, open_only=args.open)
    if args.json:
        emit_json({"feedback": [r.to_json() for r in rows]})
        return 0
    lang = desk.lang
    headers = [t(f"report.col.{c}", lang) for c in ("id", "report", "source", "status", "text", "action")]
    body = [[str(r.id), str(r.report_id), r.source, t(f"report.feedback_status.{r.status}", lang),
             one_line(r.text, 40), one_line(r.action, 40)] for r in rows]
    say(table(headers, body, [5, 6, 16, 8, 40, 40]))
    return 0


def cmd_review(args) -> int:
    """The report review screen, on its own (the TUI's F5 screen once it has its tab)."""
    from desk.services.agents import whoami

    desk = open_for(args, agent=True)
    agent = whoami(desk)
    from desk.screens.report_review import ReportsApp

    app = ReportsApp(desk, agent.login, agent.roles)
    try:
        app.run()
    finally:
        desk.close()
    return app.return_code or 0


def cmd_export(args) -> int:
    desk = open_for(args, agent=True)
    view = reports.get(desk, args.id)
    if args.format == "xlsx":
        from desk.report_xlsx import workbook

        data = workbook(view, desk.lang, desk.config)
    else:
        from desk.report_export import export

        data = export(view, args.format, desk.lang, desk.config).encode("utf-8")
    if not args.out or args.out == "-":
        sys.stdout.flush()
        sys.stdout.buffer.write(data)
        sys.stdout.buffer.flush()
        return 0
    tmp = f"{args.out}.tmp{os.getpid()}"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, args.out)
    if args.json:
        emit_json({"id": view.id, "format": args.format, "out": args.out, "bytes": len(data)})
    else:
        say(t("report.cli.exported", desk.lang, id=view.id, out=args.out))
    return 0
