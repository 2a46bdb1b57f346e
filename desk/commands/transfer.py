"""`desk export`, `desk import` and `desk migrate`: moving a desk's data (desk/services/transfer/).

    desk export --format jsonl --out desk.jsonl     # everything, in the versioned format (docs/export-format.md)
    desk export --format csv --what incidents       # one table for a spreadsheet, on stdout
    desk import desk.jsonl                          # merge another desk's export, all or nothing
    desk migrate --from csv --mapping servicenow incidents.csv   # another tool's export (docs/migration.md)

Exit codes: 0 done; 1 refused (role, bad file, nothing written); 2 usage.
"""

from __future__ import annotations

import sys
import time

from desk.commands.common import open_for
from desk.commands.ops import _Progress, _size
from desk.i18n import t


def register(sub, common, lang: str) -> None:
    p = sub.add_parser("export", parents=[common], help=t("transfer.export.help", lang))
    p.add_argument("--format", choices=("jsonl", "csv"), default="jsonl", help=t("transfer.export.format", lang))
    where = p.add_mutually_exclusive_group()  # `desk export FILE`, as import and backup take theirs
    where.add_argument("--out", metavar="FILE|-", default=None, help=t("transfer.export.out", lang))
    where.add_argument("file", metavar="FILE", nargs="?", default=None, help=t("transfer.export.file", lang))
    p.add_argument("--what", metavar="incidents|requests|problems|changes", default=None, help=t("transfer.export.what", lang))
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("import", parents=[common], help=t("transfer.import.help", lang))
    p.add_argument("--from", dest="source", choices=("jsonl", "csv"), default="jsonl",
                   help=t("transfer.import.from", lang))
    p.add_argument("--map", "--mapping", dest="mapping", metavar="NAME|FILE.toml", help=t("transfer.import.map", lang))
    p.add_argument("--events", metavar="FILE", help=t("transfer.migrate.events", lang))
    p.add_argument("--verbose", "-v", action="store_true", help=t("transfer.migrate.verbose", lang))
    p.add_argument("--json", action="store_true", help=t("cli.opt.json", lang))
    p.add_argument("file", metavar="FILE", help=t("transfer.import.file", lang))
    p.set_defaults(handler=cmd_import)

    p = sub.add_parser("migrate", parents=[common], help=t("transfer.migrate.help", lang))
    p.add_argument("--from", dest="source", choices=("csv",), default="csv", help=t("transfer.migrate.from", lang))
    p.add_argument("--mapping", "--map", dest="mapping", required=True, metavar="NAME|FILE.toml",
                   help=t("transfer.migrate.mapping", lang))
    p.add_argument("--events", metavar="FILE", help=t("transfer.migrate.events", lang))
    p.add_argument("--verbose", "-v", action="store_true", help=t("transfer.migrate.verbose", lang))
    p.add_argument("--json", action="store_true", help=t("cli.opt.json", lang))
    p.add_argument("file", metavar="FILE", help=t("transfer.migrate.file", lang))
    p.set_defaults(handler=cmd_migrate)


def _allowed(desk, action: str) -> None:
    from desk.services import actors, records

    records.guarded(desk, None, action, "", None, lambda actor: actors.require(actor, action))


def _note(text: str) -> None:
    print(text, file=sys.stderr)


def cmd_export(args) -> int:
    from desk.domain.errors import ValidationError
    from desk.services.transfer import csv_export, export

    desk = open_for(args)
    lang = desk.lang
    started = time.monotonic()
    args.out = args.file or args.out or "-"
    try:
        _allowed(desk, "data.export")
        progress = _Progress(t("transfer.export.progress", lang))
        try:
            if args.format == "csv":
                if not args.what:
                    raise ValidationError("transfer.csv_what")
                table = csv_export.table_for(args.what).name  # an unknown name is refused before a file is made
                with export.output_file(args.out) as raw:
                    import io

                    text = io.TextIOWrapper(raw, encoding="utf-8", newline="", write_through=False)
                    rows = csv_export.write_csv(desk, args.what, text, progress)
                    text.flush()
                    text.detach()
                what = t(f"transfer.what.{table}", lang) if table in csv_export.WHAT.values() else f"`{table}`"
                _note(t("transfer.export.csv_done", lang, rows=rows, what=what, path=args.out,
                        seconds=f"{time.monotonic() - started:.1f}"))
                return 0
            if args.what:
                raise ValidationError("transfer.what_jsonl")
            with export.output_file(args.out) as raw:
                result = export.write_jsonl(desk, raw, progress)
        finally:
            progress.close()
    finally:
        desk.close()
    _note(t("transfer.export.done", lang, rows=result.rows, tables=len(result.tables), path=args.out,
            size=_size(result.bytes), seconds=f"{time.monotonic() - started:.1f}"))
    return 0


def cmd_import(args) -> int:
    from desk.domain.errors import ValidationError
    from desk.domain.text import one_line
    from desk.services.transfer import importer

    if args.source == "csv":  # another tool's export: what `desk migrate` does
        if not args.mapping:
            raise ValidationError("transfer.import.map_needed")
        return cmd_migrate(args)
    if args.mapping or args.events:
        raise ValidationError("transfer.import.map_jsonl")
    desk = open_for(args)
    lang = desk.lang
    try:
        _allowed(desk, "data.import")
        progress = _Progress(t("transfer.import.progress", lang))
        try:
            result = importer.import_file(desk, args.file, progress)
        finally:
            progress.close()
    finally:
        desk.close()
    for table, local_id, origin in result.conflicts:
        _note(one_line(t("transfer.import.conflict", lang, table=table, id=local_id, origin=origin)))
    if args.json:
        from desk.commands.common import emit_json

        emit_json({"created": result.total("created"), "updated": result.total("updated"),
                   "unchanged": result.total("unchanged"), "seconds": round(result.seconds, 2),
                   "conflicts": [{"table": tb, "id": i, "origin": o} for tb, i, o in result.conflicts]})
        return 0
    print(t("transfer.import.done", lang, path=args.file, created=result.total("created"),
            updated=result.total("updated"), unchanged=result.total("unchanged"),
            conflicts=result.total("conflicts"), seconds=f"{result.seconds:.1f}"))
    return 0


SHOWN_CODES = 5  # new codes named in the one line before "and N more"


def _codes_saved(result, lang: str, verbose: bool) -> None:
    """The codes a migration made, in one line (a mapping may make hundreds: BPIC 2014's ~194 work
    groups): how many, the file, each table's count, the first few; `--verbose` lists each first."""
    from collections import Counter

    from desk.domain.text import one_line

    counts = Counter(table for table, _ in result.new_codes)
    order = {table: i for i, (table, _) in enumerate(counts.most_common())}  # the biggest table first
    made = sorted(result.new_codes, key=lambda te: order[te[0]])
    if verbose:
        for table, entry in made:
            _note(one_line(t("transfer.migrate.new_code", lang, table=t(f"transfer.table.{table}", lang),
                             code=entry["code"], value=entry["en"])))
    tables = t("transfer.migrate.list_sep", lang).join(
        t("transfer.migrate.table_count", lang, table=t(f"transfer.table.{table}", lang), count=n)
        for table, n in counts.most_common())
    shown = t("transfer.migrate.list_sep", lang).join(
        t("transfer.migrate.code_named", lang, code=entry["code"], value=one_line(entry["en"], 60))
        for _, entry in made[:SHOWN_CODES])
    more = len(made) - SHOWN_CODES
    if more > 0:
        shown = t("transfer.migrate.more_listed" if verbose else "transfer.migrate.more", lang, shown=shown, count=more)
    _note(one_line(t("transfer.migrate.codes_saved", lang, path=result.config_path, count=len(made), tables=tables,
                     codes=shown)))


def cmd_migrate(args) -> int:
    from desk.commands.common import emit_json
    from desk.domain.errors import ConfigError
    from desk.domain.text import one_line
    from desk.services.transfer import mapping as mappings
    from desk.services.transfer import migrate

    desk = open_for(args)
    lang = desk.lang
    try:
        _allowed(desk, "data.import")
        try:
            chosen = (mappings.load_file(desk.config, args.mapping) if args.mapping.endswith(".toml")
                      else mappings.load(desk.config, args.mapping))
        except ConfigError as err:  # said in the desk's language (its config's too, not only --lang)
            print(one_line(err.message(lang)), file=sys.stderr)
            return 2
        progress = _Progress(t("transfer.migrate.progress", lang))
        try:
            result = migrate.migrate_csv(desk, chosen, args.file, args.events, progress=progress)
        finally:
            progress.close()
    finally:
        desk.close()
    for path, line, column, number, why in result.refused:
        _note(one_line(t("transfer.migrate.refused", lang, path=path, line=line, column=column, number=number,
                         why=why.text(lang))))
    for path, line, column, number, why in result.skipped:
        _note(one_line(t("transfer.migrate.event_skipped", lang, path=path, line=line, column=column, number=number,
                         why=why.text(lang))))
    for (name, value), rows in sorted(result.unknown.items(), key=lambda kv: (kv[0][0], -kv[1], kv[0][1])):
        if name == "agent":
            _note(one_line(t("transfer.migrate.unknown_agent", lang, value=value, rows=rows)))
        else:
            _note(one_line(t("transfer.migrate.unknown", lang, field=name, value=value, rows=rows)))
    if result.new_codes:
        _codes_saved(result, lang, args.verbose)
    if args.json:
        emit_json({"rows": result.rows, "tickets": result.tickets, "created": result.created,
                   "already": result.already, "history": result.history, "seconds": round(result.seconds, 2),
                   "refused": [{"file": p, "line": ln, "column": c, "number": n, "why": w.text(lang), "reason": w.key}
                               for p, ln, c, n, w in result.refused],
                   "skipped_events": [{"file": p, "line": ln, "column": c, "number": n, "why": w.text(lang),
                                       "reason": w.key} for p, ln, c, n, w in result.skipped],
                   "unknown": [{"field": f, "value": v, "rows": n} for (f, v), n in sorted(result.unknown.items())],
                   "new_codes": [{"table": tb, **e} for tb, e in result.new_codes], "config": result.config_path or None,
                   "by_status": dict(result.by_status), "by_priority": {str(k): v for k, v in result.by_priority.items()}})
    else:
        print(t("transfer.migrate.done", lang, path=args.file, rows=result.rows, created=result.created,
                already=result.already, refused=len(result.refused), history=result.history,
                seconds=f"{result.seconds:.1f}"))
    return 1 if result.refused or result.skipped else 0
