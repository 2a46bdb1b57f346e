"""`desk problem …`: record and drive problems from a script or a shell (seed 004 §5.3)."""

from __future__ import annotations

from desk.cli_format import cell_width, fit, table
from desk.commands.common import emit_json, open_for, say, say_zone, when_of
from desk.domain.text import neutralise, one_line
from desk.history_labels import capital, record_field_label, record_value
from desk.i18n import t
from desk.services import problem_candidates, problems
from desk.timefmt import zone


def register(sub, common, lang: str) -> None:
    p = sub.add_parser("problem", parents=[common], help=t("problem.cli.help", lang))
    psub = p.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=type(p))

    def action(name, handler, *, versioned=True, with_id=True):
        a = psub.add_parser(name, parents=[common], help=t(f"problem.cli.{name.replace('-', '_')}", lang))
        if with_id:
            a.add_argument("id", type=int, metavar="ID")
        if versioned:
            a.add_argument("--expect-version", type=int, metavar="N", help=t("cli.opt.expect_version", lang))
        a.add_argument("--json", action="store_true", help=t("cli.opt.json", lang))
        a.set_defaults(handler=handler)
        return a

    a = action("new", cmd_new, versioned=False, with_id=False)
    a.add_argument("--title", required=True)
    a.add_argument("--description", default="")
    a.add_argument("--category")
    a.add_argument("--service")
    a.add_argument("--impact", type=int)
    a.add_argument("--urgency", type=int)
    a.add_argument("--group")
    a.add_argument("--incident", type=int, action="append", default=[], metavar="ID",
                   help=t("problem.cli.opt_incident", lang))

    a = action("list", cmd_list, versioned=False, with_id=False)
    a.add_argument("--status", action="append", default=[])
    a.add_argument("--open", action="store_true", help=t("problem.cli.opt_open", lang))
    a.add_argument("--limit", type=int, default=50)

    action("show", cmd_show, versioned=False)

    for name, handler in (("link", cmd_link), ("unlink", cmd_unlink)):
        a = action(name, handler)
        a.add_argument("incidents", type=int, nargs="+", metavar="INCIDENT")

    a = action("investigate", cmd_investigate)
    a.add_argument("--owner", metavar="USER", help=t("cli.opt.to_user", lang))
    a.add_argument("--group")

    a = action("root-cause", cmd_root_cause)
    a.add_argument("--text", required=True)

    a = action("known-error", cmd_known_error)
    a.add_argument("--workaround", required=True)

    a = action("resolve", cmd_resolve)
    a.add_argument("--fix")
    a.add_argument("--change", type=int, metavar="CHANGE", help=t("problem.cli.opt_change", lang))
    a.add_argument("--resolve-incidents", action="store_true", help=t("problem.cli.opt_resolve_incidents", lang))
    a.add_argument("--code", default="fixed", help=t("problem.cli.opt_code", lang))
    a.add_argument("--note", help=t("problem.cli.opt_note", lang))

    action("close", cmd_close)

    a = action("note", cmd_note)
    a.add_argument("--text", required=True)

    a = action("candidates", cmd_candidates, versioned=False, with_id=False)
    a.add_argument("--days", type=int)
    a.add_argument("--min", type=int, dest="minimum")
    a.add_argument("--limit", type=int, default=50)


# --- writing ----------------------------------------------------------------------------------------

def status_label(status: str, lang: str) -> str:
    return t(f"problem.status.{status}", lang)


label = record_field_label  # a field's name on a problem or a change


def _done(desk, args, detail, key: str = "problem.cli.changed") -> int:
    if args.json:
        emit_json(detail.to_json())
    else:
        say(t(key, desk.lang, id=detail.id, status=status_label(detail.status, desk.lang), version=detail.version))
    return 0


def cmd_new(args) -> int:
    desk = open_for(args)
    detail = problems.create(desk, None, title=args.title, description=args.description, category=args.category,
                             service=args.service, impact=args.impact, urgency=args.urgency, group=args.group,
                             incidents_=args.incident)
    return _done(desk, args, detail, "problem.cli.created")


def _change(call):
    def handler(args) -> int:
        desk = open_for(args)
        return _done(desk, args, call(desk, args))

    return handler


cmd_link = _change(lambda d, a: problems.link(d, None, a.id, a.incidents, expect_version=a.expect_version))
cmd_unlink = _change(lambda d, a: problems.unlink(d, None, a.id, a.incidents, expect_version=a.expect_version))
cmd_investigate = _change(lambda d, a: problems.investigate(d, None, a.id, owner=a.owner, group=a.group,
                                                             expect_version=a.expect_version))
cmd_root_cause = _change(lambda d, a: problems.root_cause(d, None, a.id, text=a.text, expect_version=a.expect_version))
cmd_known_error = _change(lambda d, a: problems.known_error(d, None, a.id, workaround=a.workaround,
                                                             expect_version=a.expect_version))
cmd_close = _change(lambda d, a: problems.close(d, None, a.id, expect_version=a.expect_version))
cmd_note = _change(lambda d, a: problems.note(d, None, a.id, text=a.text, expect_version=a.expect_version))


def cmd_resolve(args) -> int:
    """Resolve the problem; with --resolve-incidents, then each open linked incident (its own
    transaction): those refused are listed, the others resolved. Exit 1 if any was refused."""
    desk = open_for(args)
    detail = problems.resolve(desk, None, args.id, fix=args.fix, change_id=args.change,
                              expect_version=args.expect_version)
    bulk = problems.resolve_incidents(desk, None, args.id, code=args.code, note=args.note) \
        if args.resolve_incidents else None
    if args.json:
        out = detail.to_json()
        if bulk is not None:
            out["incidents_resolved"] = bulk.to_json(desk.lang)
        emit_json(out)
    else:
        say(t("problem.cli.changed", desk.lang, id=detail.id, status=status_label(detail.status, desk.lang),
              version=detail.version))
        if bulk is not None:
            say(t("problem.cli.bulk_summary", desk.lang, done=len(bulk.done), refused=len(bulk.refused)))
            for r in bulk.results:
                say(t("problem.cli.bulk_done", desk.lang, id=r.id, version=r.version) if r.ok else
                    t("problem.cli.bulk_refused", desk.lang, id=r.id, why=one_line(r.error.message(desk.lang))))
    return 1 if bulk is not None and bulk.refused else 0


# --- reading ----------------------------------------------------------------------------------------


def cmd_list(args) -> int:
    desk = open_for(args)
    _when = when_of(desk)  # its instants in the desk's zone
    total, rows = problems.list_(desk, statuses=args.status, open_only=args.open, limit=args.limit)
    if args.json:
        emit_json({"total": total, "problems": [r.to_json() for r in rows]})
        return 0
    lang, cfg = desk.lang, desk.config
    headers = [t(f"problem.col.{c}", lang) for c in ("id", "priority", "status", "title", "service", "incidents",
                                                     "owner", "opened")]
    body = [[str(r.id), str(r.priority), capital(status_label(r.status, lang)), r.title,
             cfg.label("service", r.service, lang) if r.service else "", str(r.incidents), r.owner,
             _when(r.opened_at)] for r in rows]
    say(table(headers, body, [6, 2, 14, 40, 16, 4, 12, 16]))
    say(t("cli.list_total", lang, shown=len(rows), total=total))
    say_zone(desk)
    return 0


def cmd_show(args) -> int:
    desk = open_for(args)
    _when = when_of(desk)  # its instants in the desk's zone
    d = problems.get(desk, args.id)
    if args.json:
        emit_json(d.to_json())
        return 0
    lang, cfg = desk.lang, desk.config
    say(f"P{d.id}  {one_line(d.title)}")
    fields = [
        ("status", capital(status_label(d.status, lang))),  # a label, as the incidents' status table's
        ("priority", f"{d.priority} {cfg.label('priority', d.priority, lang)}  ({label('problem', 'impact', lang)} "
                     f"{d.impact}, {label('problem', 'urgency', lang)} {d.urgency})"),
        ("service", cfg.label("service", d.service, lang) if d.service else ""),
        ("category", cfg.label("category", d.category, lang)),
        ("owner", d.owner), ("group", cfg.label("group", d.group, lang) if d.group else ""),
        ("created_by", d.created_by), ("opened", _when(d.opened_at)), ("resolved", _when(d.resolved_at)),
        ("closed", _when(d.closed_at)), ("fix_change", f"C{d.fix_change}" if d.fix_change else ""),
        ("article", f"#{d.article}" if d.article else ""), ("version", str(d.version)),
    ]
    width = max(cell_width(label("problem", k, lang)) for k, _ in fields)
    for key, value in fields:
        say(f"  {fit(label('problem', key, lang), width)}  {one_line(value) or '—'}")  # (nothing yet: a dash)
    for key, text in (("description", d.description), ("root_cause", d.root_cause), ("workaround", d.workaround),
                      ("fix", d.fix)):
        if text:
            say("")
            say(f"{label('problem', key, lang)}:")
            say(neutralise(text))
    say("")
    say(t("problem.cli.linked", lang, count=len(d.incidents)))
    for i in d.incidents:
        say(f"  #{i.id:<7} P{i.priority}  {fit(cfg.label('status', i.status, lang), 10)}  {one_line(i.title, 60)}")
    _history(desk, "problem", d.history, lambda field, value: _value(desk, field, value))
    return 0


def _value(desk, field: str, value, kind: str = "problem") -> str:
    """A history value as the TUI's detail reads it (desk.history_labels.record_value)."""
    return record_value(desk.config, kind, field, value, desk.lang, zone(desk.config))


def _history(desk, kind: str, entries, value) -> None:
    _when = when_of(desk)
    lang = desk.lang
    say("")
    say(t("detail.history", lang))
    for h in entries:
        changes = ", ".join(f"{label(kind, k, lang)}: {value(k, v[0])} → {value(k, v[1])}" for k, v in h.changes.items())
        line = f"  {h.seq:>3}  {_when(h.at)}  {one_line(h.actor):<12} {t('action.' + h.action, lang)}"
        say(line + (f"  {changes}" if changes else ""))
        if h.note:
            say("       " + one_line(h.note, 200))
    say_zone(desk)


def cmd_candidates(args) -> int:
    desk = open_for(args)
    _when = when_of(desk)  # its instants in the desk's zone
    found = problem_candidates.candidates(desk, days=args.days, minimum=args.minimum, limit=args.limit)
    if args.json:
        emit_json({"candidates": [c.to_json() for c in found]})
        return 0
    lang, cfg = desk.lang, desk.config
    if not found:
        say(t("problem.cli.no_candidates", lang))
        return 0
    headers = [t(f"problem.col.{c}", lang) for c in ("count", "service", "category", "first", "last", "examples")]
    body = [[str(c.count), cfg.label("service", c.service, lang) if c.service else
             t("problem.cli.fingerprint", lang, fingerprint=c.fingerprint or ""),
             cfg.label("category", c.category, lang) if c.category else "", _when(c.first_at), _when(c.last_at),
             " ".join(f"#{i}" for i in c.incident_ids[:5])] for c in found]
    say(table(headers, body, [6, 22, 16, 16, 16, 40]))
    say_zone(desk)
    return 0
