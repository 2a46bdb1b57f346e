"""`desk catalogue …`: browse the service catalogue and drive its workflow from a shell (issue 13).

Reading: list, show, versions, diff, search, export, import (here). The workflow (seed 001): slr
new|list|show|accept|reject, draft new|list|show|edit|submit|withdraw, review approve|return,
publish, retire (opens a retirement draft): desk/commands/catalogue_flow_cmds.py.
"""

from __future__ import annotations

from datetime import datetime

from desk.cli_format import cell_width, fit, table
from desk.commands.common import emit_json, open_for, say, say_zone, when_of
from desk.domain import catalogue as rules
from desk.domain.errors import ValidationError
from desk.domain.text import one_line
from desk.i18n import t
from desk.services import catalogue, catalogue_flow as flow, catalogue_io, catalogue_load
from desk.services.catalogue_views import field_value, terms_json
from desk.timefmt import parse, zone


def register(sub, common, lang: str) -> None:
    from desk.commands.catalogue_flow_cmds import (
        cmd_draft_edit,
        cmd_draft_list,
        cmd_draft_new,
        cmd_draft_show,
        cmd_draft_submit,
        cmd_draft_withdraw,
        cmd_publish,
        cmd_retire,
        cmd_review_approve,
        cmd_review_return,
        cmd_slr_accept,
        cmd_slr_list,
        cmd_slr_new,
        cmd_slr_reject,
        cmd_slr_show,
    )

    p = sub.add_parser("catalogue", parents=[common], help=t("catalogue.cli.help", lang))
    csub = p.add_subparsers(dest="action", metavar="ACTION", required=True, parser_class=type(p))

    def action(parent, name, handler, *, json=True, versioned=False, key=None):
        a = parent.add_parser(name, parents=[common], help=t(f"catalogue.cli.{key or name}", lang))
        if versioned:
            a.add_argument("--expect-version", type=int, metavar="N", help=t("cli.opt.expect_version", lang))
        if json:
            a.add_argument("--json", action="store_true", help=t("cli.opt.json", lang))
        a.set_defaults(handler=handler)
        return a

    a = action(csub, "list", cmd_list)
    a.add_argument("--category", metavar="CODE", help=t("catalogue.cli.opt_category", lang))
    a.add_argument("--retired", action="store_true", help=t("catalogue.cli.opt_retired", lang))
    a.add_argument("--at", metavar="WHEN", help=t("catalogue.cli.opt_at", lang))
    a = action(csub, "show", cmd_show)
    a.add_argument("code", metavar="SERVICE")
    a.add_argument("--version", type=int, metavar="N", dest="number", help=t("catalogue.cli.opt_version", lang))
    a = action(csub, "versions", cmd_versions)
    a.add_argument("code", metavar="SERVICE")
    a = action(csub, "diff", cmd_diff)
    a.add_argument("code", metavar="SERVICE|DRAFT")
    a.add_argument("numbers", type=int, nargs="*", metavar="N", help=t("catalogue.cli.opt_numbers", lang))
    a = action(csub, "search", cmd_search)
    a.add_argument("text")
    a.add_argument("--retired", action="store_true", help=t("catalogue.cli.opt_retired", lang))
    a = action(csub, "export", cmd_export, json=False)
    a.add_argument("--out", metavar="FILE", help=t("catalogue.cli.opt_out", lang))
    a = action(csub, "import", cmd_import)
    a.add_argument("file", metavar="FILE")
    a.add_argument("--publish", action="store_true", help=t("catalogue.cli.opt_publish", lang))

    s = csub.add_parser("slr", parents=[common], help=t("catalogue.cli.slr", lang))
    ssub = s.add_subparsers(dest="slr_action", metavar="ACTION", required=True, parser_class=type(p))
    a = action(ssub, "new", cmd_slr_new, key="slr_new")
    a.add_argument("--title", required=True)
    a.add_argument("--need", default="")
    a.add_argument("--source", default="", help=t("catalogue.cli.opt_source", lang))
    a.add_argument("--service", metavar="SERVICE", help=t("catalogue.cli.opt_service", lang))
    a = action(ssub, "list", cmd_slr_list, key="slr_list")
    a.add_argument("--status", default="open", choices=(*rules.REQUIREMENT_STATUSES, "all"))
    a = action(ssub, "show", cmd_slr_show, key="slr_show")
    a.add_argument("id", type=int, metavar="ID")
    a = action(ssub, "accept", cmd_slr_accept, versioned=True, key="slr_accept")
    a.add_argument("id", type=int, metavar="ID")
    a.add_argument("--code", help=t("catalogue.cli.opt_code", lang))
    a.add_argument("--note", default="")
    a = action(ssub, "reject", cmd_slr_reject, versioned=True, key="slr_reject")
    a.add_argument("id", type=int, metavar="ID")
    a.add_argument("--reason", required=True)

    d = csub.add_parser("draft", parents=[common], help=t("catalogue.cli.draft", lang))
    dsub = d.add_subparsers(dest="draft_action", metavar="ACTION", required=True, parser_class=type(p))
    a = action(dsub, "new", cmd_draft_new, key="draft_new")
    a.add_argument("code", metavar="SERVICE")
    a.add_argument("--kind", default="change", choices=rules.DRAFT_KINDS)
    a.add_argument("--slr", type=int, metavar="ID")
    a = action(dsub, "list", cmd_draft_list, key="draft_list")
    a.add_argument("--status", action="append", default=[], choices=rules.DRAFT_STATUSES)
    a = action(dsub, "show", cmd_draft_show, key="draft_show")
    a.add_argument("id", type=int, metavar="ID")
    a = action(dsub, "edit", cmd_draft_edit, versioned=True, key="draft_edit")
    a.add_argument("id", type=int, metavar="ID")
    a.add_argument("--set", action="append", default=[], metavar="FIELD=VALUE", help=t("catalogue.cli.opt_set", lang))
    a.add_argument("--target", action="append", default=[], metavar="P=RESPONSE/RESOLVE",
                   help=t("catalogue.cli.opt_target", lang))
    a.add_argument("--checklist", action="append", metavar="EN|ZH", help=t("catalogue.cli.opt_checklist", lang))
    a = action(dsub, "submit", cmd_draft_submit, versioned=True, key="draft_submit")
    a.add_argument("id", type=int, metavar="ID")
    a.add_argument("--note", default="")
    a = action(dsub, "withdraw", cmd_draft_withdraw, versioned=True, key="draft_withdraw")
    a.add_argument("id", type=int, metavar="ID")
    a.add_argument("--reason", required=True)

    r = csub.add_parser("review", parents=[common], help=t("catalogue.cli.review", lang))
    rsub = r.add_subparsers(dest="review_action", metavar="ACTION", required=True, parser_class=type(p))
    a = action(rsub, "approve", cmd_review_approve, versioned=True, key="review_approve")
    a.add_argument("id", type=int, metavar="ID")
    a.add_argument("--note", default="")
    a = action(rsub, "return", cmd_review_return, versioned=True, key="review_return")
    a.add_argument("id", type=int, metavar="ID")
    a.add_argument("--comments", required=True)

    a = action(csub, "publish", cmd_publish, versioned=True)
    a.add_argument("id", type=int, metavar="DRAFT")
    a.add_argument("--effective", metavar="WHEN", help=t("catalogue.cli.opt_effective", lang))
    a.add_argument("--change", type=int, metavar="ID", help=t("catalogue.cli.opt_change", lang))
    a.add_argument("--note", default="")
    action(csub, "browse", cmd_browse, json=False)
    a = action(csub, "retire", cmd_retire)
    a.add_argument("code", metavar="SERVICE")
    a.add_argument("--slr", type=int, metavar="ID")


# --- helpers --------------------------------------------------------------------------------------


def _moment(desk, text: str | None, field: str) -> datetime | None:
    """A time as typed: the desk's wall clock (or with its own offset), as stored (UTC)."""
    if not text:
        return None
    try:
        return parse(text, zone(desk.config))
    except ValueError:
        raise ValidationError("catalogue.cli.bad_time", field=field, value=text) from None


def _service_status(terms, lang: str) -> str:
    return t(f"catalogue.status.{terms.status}", lang)


def _category_names(desk) -> dict[str, str]:
    return {c.code: c.name(desk.lang) for c in catalogue.categories(desk)}


def _print_services(desk, found) -> None:
    lang = desk.lang
    cats = _category_names(desk)
    headers = [t(f"catalogue.col.{c}", lang) for c in ("code", "name", "category", "hours", "version", "status")]
    body = [[s.code, s.name(lang), cats.get(s.category, s.category), s.hours, str(s.number), _service_status(s, lang)]
            for s in found]
    say(table(headers, body, [18, 26, 16, 9, 4, 9]))
    say(t("catalogue.cli.total", lang, count=len(found)))


# --- reading --------------------------------------------------------------------------------------

def cmd_list(args) -> int:
    desk = open_for(args, agent=True)
    found = catalogue.published_services(desk, at=_moment(desk, args.at, "--at"), category=args.category,
                                         retired=args.retired)
    if args.json:
        emit_json({"services": [terms_json(s) for s in found],
                   "categories": [{"code": c.code, "parent": c.parent or None, "en": c.name_en, "zh": c.name_zh}
                                  for c in catalogue.categories(desk)]})
        return 0
    _print_services(desk, found)
    return 0


def cmd_search(args) -> int:
    desk = open_for(args, agent=True)
    found = catalogue.search(desk, args.text, retired=args.retired)
    if args.json:
        emit_json({"services": [terms_json(s) for s in found]})
        return 0
    if not found:
        say(t("catalogue.cli.no_match", desk.lang, text=one_line(args.text, 80)))
        return 0
    _print_services(desk, found)
    return 0


def _terms(desk, code: str, number: int | None):
    from desk.domain.errors import NotFound

    terms = catalogue.version(desk, code, number) if number else catalogue.service_version(desk, code)
    if terms is None:
        raise NotFound(kind="catalogue", id=f"{code} v{number}" if number else code)
    return terms


def show_entry(desk, entry: dict) -> list[str]:
    """An entry's fields as aligned lines in the user's language (texts on one line each)."""
    lang = desk.lang
    labels = [(name, rules.field_label(name, lang)) for name in rules.FIELDS if name != "targets"]
    width = max(cell_width(label) for _, label in labels)
    lines = []
    for name, label in labels:
        lines.append(f"  {fit(label, width)}  {one_line(field_value(desk, name, entry.get(name)))}")
    lines.append(f"  {rules.field_label('targets', lang)}:")
    for priority in desk.config.codes("priority"):
        pair = entry.get("targets", {}).get(priority)
        lines.append("    " + t("catalogue.cli.target_line", lang, priority=priority,
                                   label=desk.config.label("priority", priority, lang),
                                   response=pair["response"] if pair else "—", resolve=pair["resolve"] if pair else "—"))
    return lines


def cmd_show(args) -> int:
    desk = open_for(args, agent=True)
    _when = when_of(desk)  # its instants in the desk's zone
    terms = _terms(desk, args.code, args.number)
    if args.json:
        emit_json(terms_json(terms))
        return 0
    lang = desk.lang
    say(f"{terms.code}  {one_line(terms.name(lang))}")
    say("  " + t("catalogue.cli.version_line", lang, number=terms.number, status=_service_status(terms, lang),
                 effective=_when(terms.effective_at), published=_when(terms.published_at)))
    for line in show_entry(desk, terms.entry):
        say(line)
    say_zone(desk)
    return 0


def cmd_versions(args) -> int:
    desk = open_for(args, agent=True)
    _when = when_of(desk)  # its instants in the desk's zone
    found = catalogue.versions(desk, args.code)
    if not found:
        from desk.domain.errors import NotFound

        raise NotFound(kind="catalogue", id=args.code)
    if args.json:
        emit_json({"code": found[0].code, "versions": [terms_json(v) for v in found]})
        return 0
    lang = desk.lang
    headers = [t(f"catalogue.col.{c}", lang) for c in ("version", "status", "effective", "published", "note")]
    body = [[str(v.number), _service_status(v, lang), _when(v.effective_at), _when(v.published_at),
             catalogue_load.note_text(v.note, lang)] for v in found]
    say(table(headers, body, [4, 9, 16, 16, None]))
    say_zone(desk)
    return 0


def diff_lines(desk, changes) -> list[str]:
    """A field-by-field diff a reviewer reads at 80 columns: the field, then − old and + new."""
    lines = []
    for change in changes:
        lines.append(rules.field_label(change.field, desk.lang) + ":")
        name = change.field.split(".")[0]
        lines.append("  - " + one_line(field_value(desk, name, change.old)))
        lines.append("  + " + one_line(field_value(desk, name, change.new)))
    return lines


def cmd_diff(args) -> int:
    """SERVICE [A [B]]: version A against B (default: the one before the newest, and the newest);
    a draft's id: the draft against the version it started from."""
    desk = open_for(args, agent=True)
    if args.code.isdigit() and not args.numbers and catalogue.service_id(desk, args.code) is None:
        draft = flow.draft(desk, int(args.code))
        base = catalogue.version(desk, draft.code, draft.base) if draft.base else None
        old, new, title = base.entry if base else None, flow.entry_of(draft), (draft.code, draft.base, "draft")
    else:
        found = catalogue.versions(desk, args.code)
        if not found:
            from desk.domain.errors import NotFound

            raise NotFound(kind="catalogue", id=args.code)
        numbers = args.numbers or [max(found[-1].number - 1, 1), found[-1].number]
        if len(numbers) == 1:
            numbers = [numbers[0], found[-1].number]
        a, b = (_terms(desk, args.code, n) for n in numbers[:2])
        old, new, title = a.entry, b.entry, (a.code, a.number, b.number)
    changes = rules.diff(old, new)
    if args.json:
        emit_json({"from": title[1], "to": title[2], "code": title[0],
                   "changes": [{"field": c.field, "old": c.old, "new": c.new} for c in changes]})
        return 0
    say(t("catalogue.cli.diff_title", desk.lang, code=title[0], old=title[1], new=title[2]))
    for line in diff_lines(desk, changes) or [t("catalogue.cli.no_difference", desk.lang)]:
        say(line)
    return 0


def cmd_export(args) -> int:
    desk = open_for(args, agent=True)
    text = catalogue_io.export_text(desk)
    if args.out:
        with open(args.out, "w", encoding="utf-8") as out:
            out.write(text)
        say(t("catalogue.cli.exported", desk.lang, path=args.out,
              count=len(catalogue_io.export_document(desk)["service"])))
    else:
        print(text, end="")
    return 0


def cmd_import(args) -> int:
    desk = open_for(args)
    result = catalogue_io.import_file(desk, None, args.file, publish=args.publish)
    if args.json:
        emit_json({"categories": result.categories, "drafts": [{"code": c, "draft": i} for c, i in result.drafts],
                   "published": [{"code": c, "version": n} for c, n in result.published],
                   "unchanged": result.unchanged})
        return 0
    lang = desk.lang
    for code, draft_id in result.drafts:
        say(t("catalogue.cli.import_draft", lang, code=code, id=draft_id))
    for code, number in result.published:
        say(t("catalogue.cli.import_published", lang, code=code, number=number))
    say(t("catalogue.cli.import_summary", lang, drafts=len(result.drafts), published=len(result.published),
          unchanged=len(result.unchanged)))
    return 0


# --- the workflow ---------------------------------------------------------------------------------

def cmd_browse(args) -> int:
    """The catalogue screen on its own (in `desk`, its F4 screen)."""
    desk = open_for(args, agent=True)
    from desk.app import operator_for
    from desk.screens.catalogue_browse import catalogue_app_class

    app = catalogue_app_class()(desk, operator_for(desk))
    try:
        app.run()
    finally:
        desk.close()
    return app.return_code or 0
