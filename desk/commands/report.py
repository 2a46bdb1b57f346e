"""`desk report …`: the report list and service reports from a script or a shell (seed 000)."""

from __future__ import annotations

from desk.cli_format import cell_width, fit, table
from desk.commands.common import emit_json, open_for, say, say_zone, when_of
from desk.domain.text import one_line
from desk.i18n import t
from desk.services import report_list

SPEC_OPTIONS = ("en", "zh", "audience", "basis", "period", "due_days", "writer", "confirmer", "reviewer", "channel")


def register(sub, common, lang: str) -> None:
    p = sub.add_parser("report", parents=[common], help=t("report.cli.help", lang))
    rsub = p.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=type(p))
    register_spec(rsub, common, lang)
    from desk.commands import report_cmds, report_review_cmds

    report_cmds.register(rsub, common, lang)
    report_review_cmds.register(rsub, common, lang)


def register_spec(rsub, common, lang: str) -> None:
    s = rsub.add_parser("spec", parents=[common], help=t("report.cli.spec_help", lang))
    ssub = s.add_subparsers(dest="spec_action", metavar="ACTION", required=True, parser_class=type(s))

    def action(name, handler, *, versioned=True, with_code=True):
        a = ssub.add_parser(name, parents=[common], help=t(f"report.cli.spec_{name}", lang))
        if with_code:
            a.add_argument("code", metavar="CODE")
        if versioned:
            a.add_argument("--expect-version", type=int, metavar="N", help=t("cli.opt.expect_version", lang))
        a.add_argument("--json", action="store_true", help=t("cli.opt.json", lang))
        a.set_defaults(handler=handler)
        return a

    action("list", cmd_spec_list, versioned=False, with_code=False)
    action("show", cmd_spec_show, versioned=False)
    a = action("edit", cmd_spec_edit)
    for name in SPEC_OPTIONS:
        a.add_argument("--" + name.replace("_", "-"), dest=name, type=int if name == "due_days" else str)
    a.add_argument("--recipient", action="append", dest="recipients", metavar="R",
                   help=t("report.cli.opt_recipient", lang))
    a.add_argument("--section", action="append", dest="sections", metavar="S", help=t("report.cli.opt_section", lang))
    a.add_argument("--retire", action="store_true", help=t("report.cli.opt_retire", lang))
    action("confirm", cmd_spec_confirm)
    a = action("reject", cmd_spec_reject)
    a.add_argument("--reason")


def _spec_done(desk, args, view) -> int:
    if args.json:
        emit_json(view.to_json())
    else:
        say(t("report.cli.spec_changed", desk.lang, code=view.code, version=view.version,
              status=t(f"report_spec.status.{view.status}", desk.lang)))
        if view.pending is not None:
            say(t("report.cli.spec_pending", desk.lang, by=view.pending_by,
                  action=t(f"report.spec_action.{view.pending_action}", desk.lang)))
    return 0


def cmd_spec_edit(args) -> int:
    desk = open_for(args)
    changes = {name: getattr(args, name) for name in SPEC_OPTIONS + ("recipients", "sections")
               if getattr(args, name) is not None}
    view = report_list.propose(desk, None, args.code, changes, retire=args.retire, expect_version=args.expect_version)
    return _spec_done(desk, args, view)


def cmd_spec_confirm(args) -> int:
    desk = open_for(args)
    return _spec_done(desk, args, report_list.confirm(desk, None, args.code, expect_version=args.expect_version))


def cmd_spec_reject(args) -> int:
    desk = open_for(args)
    return _spec_done(desk, args, report_list.reject(desk, None, args.code, reason=args.reason,
                                                     expect_version=args.expect_version))


def _who(login: str, lang: str) -> str:
    return login or t("report.col.anyone", lang)


def cmd_spec_list(args) -> int:
    desk = open_for(args, agent=True)
    views = report_list.entries(desk)
    if args.json:
        emit_json({"entries": [v.to_json() for v in views]})
        return 0
    lang = desk.lang
    if not views:
        say(t("report.cli.spec_none", lang))
        return 0
    headers = [t(f"report.col.{c}", lang) for c in ("code", "name", "period", "due", "writer", "reviewer", "status",
                                                     "pending")]
    body = []
    for v in views:
        entry = v.content or v.pending or {}
        body.append([v.code, v.name(lang), t(f"report.period.{entry.get('period', 'monthly')}", lang),
                     str(entry.get("due_days", "")), _who(entry.get("writer", ""), lang),
                     _who(entry.get("reviewer", ""), lang), t(f"report_spec.status.{v.status}", lang),
                     t(f"report.spec_action.{v.pending_action}", lang) + f" ({v.pending_by})" if v.pending else ""])
    say(table(headers, body, [22, 30, 8, 6, 12, 12, 12, 24]))
    return 0


def _entry_lines(entry: dict, lang: str) -> list[tuple[str, str]]:
    return [
        ("name", f"{entry.get('en', '')} / {entry.get('zh', '')}"),
        ("audience", t(f"report.audience.{entry.get('audience')}", lang)),
        ("basis", str(entry.get("basis", "")).upper()),
        ("period", t(f"report.period.{entry.get('period')}", lang)),
        ("due", str(entry.get("due_days", ""))),
        ("writer", _who(entry.get("writer", ""), lang)),
        ("confirmer", entry.get("confirmer") or "—"),
        ("reviewer", _who(entry.get("reviewer", ""), lang)),
        ("recipients", ", ".join(entry.get("recipients", []))),
        ("channel", entry.get("channel", "")),
        ("sections", ", ".join(entry.get("sections", []))),
    ]



def cmd_spec_show(args) -> int:
    desk = open_for(args, agent=True)
    _when = when_of(desk)  # its instants in the desk's zone
    view = report_list.get(desk, args.code)
    entries = report_list.spec_history(desk, args.code)
    if args.json:
        emit_json({**view.to_json(), "history": [h.to_json() for h in entries]})
        return 0
    lang = desk.lang
    say(f"{view.code}  {one_line(view.name(lang))}  ({t(f'report_spec.status.{view.status}', lang)}, "
        f"{t('field.version', lang)} {view.version})")
    for title, entry in ((None, view.content), (t("report.col.pending", lang), view.pending)):
        if not entry:
            continue
        if title:
            say("")
            say(t("report.cli.spec_pending", lang, by=view.pending_by,
                  action=t(f"report.spec_action.{view.pending_action}", lang)))
        lines = _entry_lines(entry, lang)
        width = max(cell_width(t(f"report.col.{k}", lang)) for k, _ in lines)
        for key, value in lines:
            say(f"  {fit(t(f'report.col.{key}', lang), width)}  {one_line(value, 200)}")
    say("")
    say(t("report.col.history", lang))
    for h in entries:
        changes = ", ".join(f"{k}: {one_line(str(v[0]), 40)} → {one_line(str(v[1]), 60)}" for k, v in h.changes.items()
                            if k != "pending")
        say(f"  {h.seq:>3}  {_when(h.at)}  {one_line(h.actor or '—'):<12} {t('report.action.' + h.action, lang)}"
            + (f"  {changes}" if changes else ""))
        if h.note:
            say("       " + one_line(h.note, 200))
    say_zone(desk)
    return 0
