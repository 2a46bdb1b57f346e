"""`desk export`, `desk import` and `desk migrate`: moving a desk's data (desk/services/transfer/).

    desk export --format jsonl --out desk.jsonl     # everything, in the versioned format (docs/export-format.md)
    desk export --format csv --what incidents       # one table for a spreadsheet, on stdout
    desk import desk.jsonl                          # merge another desk's export, all or nothing

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
    p.add_argument("--out", metavar="FILE|-", default="-", help=t("transfer.export.out", lang))
    p.add_argument("--what", metavar="incidents|requests", default=None, help=t("transfer.export.what", lang))
    p.set_defaults(handler=cmd_export)

    p = sub.add_parser("import", parents=[common], help=t("transfer.import.help", lang))
    p.add_argument("file", metavar="FILE", help=t("transfer.import.file", lang))
    p.set_defaults(handler=cmd_import)


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
    try:
        _allowed(desk, "data.export")
        progress = _Progress(t("transfer.export.progress", lang))
        try:
            if args.format == "csv":
                if not args.what:
                    raise ValidationError("transfer.csv_what")
                csv_export.table_for(args.what)  # an unknown name is refused before a file is made
                with export.output_file(args.out) as raw:
                    import io

                    text = io.TextIOWrapper(raw, encoding="utf-8", newline="", write_through=False)
                    rows = csv_export.write_csv(desk, args.what, text, progress)
                    text.flush()
                    text.detach()
                _note(t("transfer.export.csv_done", lang, rows=rows, what=args.what, path=args.out,
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
    from desk.domain.text import one_line
    from desk.services.transfer import importer

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
    print(t("transfer.import.done", lang, path=args.file, created=result.total("created"),
            updated=result.total("updated"), unchanged=result.total("unchanged"),
            conflicts=result.total("conflicts"), seconds=f"{result.seconds:.1f}"))
    return 0
