"""Reading another tool's CSV export for `desk migrate`: the columns a mapping names (a file that
lacks one is refused whole, before anything is written) and its times, in the mapping's formats
(a value that is not a time refuses its ticket alone, with its line and column)."""

from __future__ import annotations

import csv
import gzip
import io
import re
from dataclasses import dataclass
from datetime import datetime

from desk.domain.errors import DeskError
from desk.parse_faults import csv_said, os_said


class MigrationRefused(DeskError):
    key = "transfer.migrate.missing_column"


@dataclass(frozen=True)
class Reason:
    """Why a ticket was refused: a message of transfer.migrate.why and its values, said in the
    language of whoever reads the summary."""

    key: str
    params: tuple = ()

    def text(self, lang: str) -> str:
        from desk.i18n import t

        params = {name: t("transfer.migrate.sep", lang).join(f"`{v}`" for v in value) if isinstance(value, tuple)
                  else value for name, value in self.params}
        return t(f"transfer.migrate.why.{self.key}", lang, **params)


class TicketRefused(Exception):
    def __init__(self, line: int, column: str, key: str, **params):
        self.why = Reason(key, tuple(sorted(params.items())))
        super().__init__(key)
        self.line, self.column = line, column
        self.file: str | None = None  # another file than the one being migrated (an --events file)


def _open(path: str):
    try:
        raw = open(path, "rb")
    except OSError as exc:
        raise MigrationRefused("transfer.migrate.unreadable", path=path, why=os_said(exc)) from None
    if path.endswith(".gz"):
        raw = gzip.open(raw)
    return io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")


def read_csv(path: str, wanted: set[str], what: str, mapping: str, optional: frozenset = frozenset()):
    """(index of each wanted column, rows as lists of the wanted columns with their line numbers)."""
    fh = _open(path)
    try:
        reader = csv.reader(fh)
        try:
            header = next(reader)
        except StopIteration:
            raise MigrationRefused("transfer.migrate.empty", path=path) from None
        except (csv.Error, UnicodeDecodeError, OSError, EOFError) as exc:  # (OSError, EOFError: a bad .gz)
            raise MigrationRefused("transfer.migrate.not_csv", path=path, line=1, why=csv_said(exc)) from None
        header = [h.strip() for h in header]
        missing = sorted(c for c in wanted if c not in header and c not in optional)
        if missing:
            key = "transfer.migrate.missing_column" if what == "file" else "transfer.migrate.missing_event_column"
            raise MigrationRefused(key, path=path, mapping=mapping, column=missing[0],
                                   columns=", ".join(header[:12]) + (" …" if len(header) > 12 else ""))
        names = sorted(wanted)
        width = len(header)
        at = [header.index(c) if c in header else width for c in names]  # width: a missing optional column
        rows = []
        try:
            for row in reader:
                if not row:
                    continue
                row = row[:width] + [""] * (width + 1 - min(len(row), width))
                rows.append((reader.line_num, [row[i].strip() for i in at]))
        except (csv.Error, UnicodeDecodeError, OSError, EOFError) as exc:
            raise MigrationRefused("transfer.migrate.not_csv", path=path, line=reader.line_num + 1,
                                   why=csv_said(exc)) from None
        return {c: i for i, c in enumerate(names)}, rows
    finally:
        fh.close()


ISO = ("%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M:%S.%f")
_FAST = {"%Y": r"(?P<Y>\d{4})", "%m": r"(?P<m>\d{1,2})", "%d": r"(?P<d>\d{1,2})", "%H": r"(?P<H>\d{1,2})",
         "%M": r"(?P<M>\d{1,2})", "%S": r"(?P<S>\d{1,2})"}
_COMPILED: dict = {}
_SEEN: dict = {}


def _compiled(fmt: str):
    """A regular expression for a format made only of %Y %m %d %H %M %S and literal text (strptime
    was half a migration's time), or None for any other format (strptime reads those)."""
    if fmt not in _COMPILED:
        parts = re.split(r"(%.)", fmt)
        ok = all(p in _FAST or not p.startswith("%") for p in parts)
        _COMPILED[fmt] = re.compile("".join(_FAST.get(p, re.escape(p)) for p in parts) + r"\Z") if ok else None
    return _COMPILED[fmt]


def _parse(formats, raw: str):
    if formats[0] in ISO:
        try:
            return datetime.fromisoformat(raw)
        except ValueError:
            pass
    for fmt in formats:
        pattern = _compiled(fmt)
        if pattern is not None:
            found = pattern.match(raw)
            if found:
                g = found.groupdict()
                try:
                    return datetime(int(g["Y"]), int(g["m"]), int(g["d"]), int(g.get("H") or 0),
                                    int(g.get("M") or 0), int(g.get("S") or 0))
                except ValueError:
                    continue
            continue
        try:
            return datetime.strptime(raw, fmt)
        except ValueError:
            continue
    return None


def parse_time(formats, raw: str, line: int, column: str):
    """The time in `raw` (None when empty); a value in none of the formats refuses its ticket.
    Exports repeat their times (a ticket's opening time is on each of its rows): each text is read once."""
    if not raw:
        return None
    key = (formats, raw)
    value = _SEEN.get(key)
    if value is None:
        if len(_SEEN) > 200_000:
            _SEEN.clear()
        value = _SEEN[key] = _parse(formats, raw) or False
    if value is False:
        raise TicketRefused(line, column, "not_time", value=raw, formats=tuple(formats))
    return value
