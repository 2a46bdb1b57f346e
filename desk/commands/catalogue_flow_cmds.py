"""`desk catalogue slr|draft|review|publish|retire`: the catalogue's workflow from a shell (seed 001:
SLR → draft → review → publish). The parser is desk/commands/catalogue.py's; split from it by idea
(it keeps reading the catalogue: list, show, versions, diff, search, export, import)."""

from __future__ import annotations

from desk.cli_format import fit, table
from desk.commands.catalogue import _moment, diff_lines, show_entry
from desk.commands.common import emit_json, open_for, say, say_zone, when_of
from desk.domain import catalogue as rules
from desk.domain.errors import ValidationError
from desk.domain.text import neutralise, one_line
from desk.i18n import t
from desk.services import catalogue, catalogue_flow as flow
from desk.services.catalogue_views import draft_json, requirement_json


def _requirement_done(desk, args, row, key="catalogue.cli.slr_changed") -> int:
    if args.json:
        emit_json(requirement_json(row))
    else:
        say(t(key, desk.lang, id=row.id, status=t(f"requirement.status.{row.status}", desk.lang), version=row.version))
    return 0


def _draft_done(desk, args, row, key="catalogue.cli.draft_changed") -> int:
    if args.json:
        emit_json(draft_json(desk, row))
    else:
        say(t(key, desk.lang, id=row.id, code=row.code, status=t(f"catalogue_draft.status.{row.status}", desk.lang),
              version=row.version))
    return 0


def cmd_slr_new(args) -> int:
    desk = open_for(args)
    row = flow.raise_requirement(desk, None, title=args.title, need=args.need, source=args.source,
                                 service=args.service)
    return _requirement_done(desk, args, row, "catalogue.cli.slr_created")


def cmd_slr_list(args) -> int:
    desk = open_for(args, agent=True)
    _when = when_of(desk)  # its instants in the desk's zone
    rows = flow.requirements(desk, None if args.status == "all" else args.status)
    if args.json:
        emit_json({"requirements": [requirement_json(r) for r in rows]})
        return 0
    lang = desk.lang
    headers = [t(f"catalogue.col.{c}", lang) for c in ("id", "status", "title", "service", "source", "raised")]
    body = [[str(r.id), t(f"requirement.status.{r.status}", lang), r.title, r.service.code if r.service_id else "",
             r.source, _when(r.created_at)] for r in rows]
    say(table(headers, body, [5, 8, 36, 14, 18, 16]))
    say(t("catalogue.cli.total", lang, count=len(rows)))
    say_zone(desk)
    return 0


def cmd_slr_show(args) -> int:
    desk = open_for(args, agent=True)
    row = flow.requirement(desk, args.id)
    data = requirement_json(row)
    if args.json:
        emit_json(data)
        return 0
    lang = desk.lang
    say(f"SLR {row.id}  {one_line(row.title)}")
    for key in ("status", "service", "source", "raised_by", "decided_by", "reason"):
        value = data[key]
        if key == "status":
            value = t(f"requirement.status.{value}", lang)
        say(f"  {fit(t(f'catalogue.slr.{key}', lang), 14)}  {one_line(str(value or ''))}")
    if row.need:
        say("")
        say(neutralise(row.need))
    return 0


def cmd_slr_accept(args) -> int:
    desk = open_for(args)
    row, draft_id = flow.accept_requirement(desk, None, args.id, code=args.code, note=args.note,
                                            expect_version=args.expect_version)
    if args.json:
        emit_json({**requirement_json(row), "draft": draft_id})
        return 0
    _requirement_done(desk, args, row)
    say(t("catalogue.cli.draft_opened", desk.lang, id=draft_id))
    return 0


def cmd_slr_reject(args) -> int:
    desk = open_for(args)
    return _requirement_done(desk, args, flow.reject_requirement(desk, None, args.id, reason=args.reason,
                                                                 expect_version=args.expect_version))


def cmd_draft_new(args) -> int:
    desk = open_for(args)
    draft_id = flow.open_draft(desk, None, code=args.code, kind=args.kind, requirement=args.slr)
    return _draft_done(desk, args, flow.draft(desk, draft_id), "catalogue.cli.draft_created")


def cmd_retire(args) -> int:
    desk = open_for(args)
    draft_id = flow.open_draft(desk, None, code=args.code, kind="retire", requirement=args.slr)
    return _draft_done(desk, args, flow.draft(desk, draft_id), "catalogue.cli.draft_created")


def cmd_draft_list(args) -> int:
    desk = open_for(args, agent=True)
    _when = when_of(desk)  # its instants in the desk's zone
    rows = flow.drafts(desk, tuple(args.status) or ("editing", "in_review", "returned", "approved"))
    if args.json:
        emit_json({"drafts": [draft_json(desk, r) for r in rows]})
        return 0
    lang = desk.lang
    headers = [t(f"catalogue.col.{c}", lang) for c in ("id", "code", "kind", "status", "base", "updated")]
    body = [[str(r.id), r.code, t(f"catalogue_draft.kind.{r.kind}", lang),
             t(f"catalogue_draft.status.{r.status}", lang), str(r.base or "—"), _when(r.updated_at)] for r in rows]
    say(table(headers, body, [5, 18, 10, 14, 4, 16]))
    say(t("catalogue.cli.total", lang, count=len(rows)))
    say_zone(desk)
    return 0


def cmd_draft_show(args) -> int:
    desk = open_for(args, agent=True)
    row = flow.draft(desk, args.id)
    if args.json:
        emit_json(draft_json(desk, row))
        return 0
    lang = desk.lang
    entry = flow.entry_of(row)
    say(t("catalogue.cli.draft_title", lang, id=row.id, code=row.code, kind=t(f"catalogue_draft.kind.{row.kind}", lang),
          status=t(f"catalogue_draft.status.{row.status}", lang), version=row.version))
    for line in show_entry(desk, entry):
        say(line)
    problems = flow.draft_problems(desk, entry) if row.kind != "retire" else []
    if problems:
        say("")
        say(t("catalogue.cli.problems", lang, count=len(problems)))
        for problem in problems:
            say("  " + rules.describe(problem, lang))
    base = catalogue.version(desk, row.code, row.base) if row.base else None
    changes = rules.diff(base.entry if base else None, entry)
    if changes and base:
        say("")
        say(t("catalogue.cli.diff_title", lang, code=row.code, old=row.base, new=t("catalogue.cli.this_draft", lang)))
        for line in diff_lines(desk, changes):
            say(line)
    return 0


def parse_edits(desk, sets: list[str], targets: list[str], checklist: list[str] | None) -> dict:
    """--set FIELD=VALUE, --target P=RESPONSE/RESOLVE, --checklist "EN|ZH" → the changes for edit_draft."""
    changes: dict = {}
    for item in sets:
        name, sep, value = item.partition("=")
        name = name.strip()
        if not sep:
            raise ValidationError("catalogue.cli.bad_set", value=item)
        if name in ("needs_approval", "needs_cost_confirmation"):
            lowered = value.strip().lower()
            changes[name] = True if lowered in ("true", "yes", "1") else False if lowered in ("false", "no", "0") \
                else value
        elif name == "approval_levels":
            changes[name] = int(value) if value.strip().isdigit() else value
        else:
            changes[name] = value
    if targets:
        pairs = {}
        for item in targets:
            priority, sep, rest = item.partition("=")
            response, slash, resolve = rest.partition("/")
            if not sep or not slash:
                raise ValidationError("catalogue.cli.bad_target", value=item)
            pairs[priority.strip()] = {"response": _int(response), "resolve": _int(resolve)}
        changes["targets"] = pairs
    if checklist is not None:
        items = []
        for item in checklist:
            en, sep, zh = item.partition("|")
            if not item.strip():
                continue
            items.append({"en": en.strip(), "zh": zh.strip()} if sep else {"en": en.strip()})
        changes["checklist"] = items
    if not changes:
        raise ValidationError("catalogue.cli.nothing_to_edit")
    return changes


def _int(text: str):
    text = text.strip()
    try:
        return int(text)
    except ValueError:
        return text


def cmd_draft_edit(args) -> int:
    desk = open_for(args)
    changes = parse_edits(desk, args.set, args.target, args.checklist)
    return _draft_done(desk, args, flow.edit_draft(desk, None, args.id, changes, expect_version=args.expect_version))


def _draft_step(call):
    def handler(args) -> int:
        desk = open_for(args)
        return _draft_done(desk, args, call(desk, args))

    return handler


cmd_draft_submit = _draft_step(lambda d, a: flow.submit(d, None, a.id, note=a.note, expect_version=a.expect_version))
cmd_draft_withdraw = _draft_step(lambda d, a: flow.withdraw(d, None, a.id, reason=a.reason,
                                                            expect_version=a.expect_version))
cmd_review_approve = _draft_step(lambda d, a: flow.approve(d, None, a.id, note=a.note,
                                                           expect_version=a.expect_version))
cmd_review_return = _draft_step(lambda d, a: flow.return_draft(d, None, a.id, comments=a.comments,
                                                               expect_version=a.expect_version))
cmd_publish = _draft_step(lambda d, a: flow.publish(d, None, a.id, effective_at=_moment(d, a.effective, "--effective"),
                                                    change=a.change, note=a.note, expect_version=a.expect_version))
