"""`desk problem …`: record and drive problems from a script or a shell (seed 004 §5.3)."""

from __future__ import annotations

from desk.cli_format import fit, table
from desk.commands.common import changing, emit_json, open_for, reply, say, say_zone, subcommands, when_of
from desk.commands.record_show import Show, listed, texts
from desk.record_fields import PROBLEM, VERSION, problem_label, words
from desk.domain.text import one_line
from desk.history_labels import capital
from desk.i18n import t
from desk.services import problem_candidates, problems


def register(sub, common, lang: str) -> None:
    p = sub.add_parser("problem", parents=[common], help=t("problem.cli.help", lang))
    psub = p.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=type(p))

    action = subcommands(psub, common, lang, "problem.cli.")

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


def _done(desk, args, detail, key: str = "problem.cli.changed") -> int:
    return reply(desk, args, detail, key, status_label)


def cmd_new(args) -> int:
    desk = open_for(args)
    detail = problems.create(desk, None, title=args.title, description=args.description, category=args.category,
                             service=args.service, impact=args.impact, urgency=args.urgency, group=args.group,
                             incidents_=args.incident)
    return _done(desk, args, detail, "problem.cli.created")


_change = changing("problem.cli.changed", status_label)


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


_word = words("problem")

SHOW = Show(
    mark="P", read=problems.get, label=problem_label,
    fields=(*PROBLEM, VERSION),
    blocks=(
        texts("description", "root_cause", "workaround", "fix"),
        listed(lambda v, d: d.incidents, lambda v, d: t("problem.cli.linked", v.lang, count=len(d.incidents)),
               lambda v, i: f"  #{i.id:<7} P{i.priority}  {fit(v.cfg.label('status', i.status, v.lang), 10)}  "
                            f"{one_line(i.title, 60)}", always=True)),
    history_value=_word)
cmd_show = SHOW.command


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
