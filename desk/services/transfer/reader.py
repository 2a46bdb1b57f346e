"""Reading an export file: the header, the rows, the trailer that seals them. Anything wrong is an
ImportRefused naming the file (and line, column): the import it belongs to then writes nothing."""

from __future__ import annotations

import hashlib
import json
import os
from collections.abc import Iterator

from desk.domain.errors import DeskError
from desk.parse_faults import json_said, os_said
from desk.services.transfer.export import FORMAT, VERSION


class ImportRefused(DeskError):
    key = "transfer.import.not_row"


class Reader:
    def __init__(self, path: str):
        self.path = path
        try:
            self.size = os.path.getsize(path)
            self.fh = open(path, "rb")
        except OSError as exc:
            raise ImportRefused("transfer.import.unreadable", path=path, why=os_said(exc)) from None
        self.done_bytes = 0
        self.line_no = 0
        self.digest = hashlib.sha256()
        self.trailer: dict | None = None
        self.header = self._header()

    def close(self) -> None:
        self.fh.close()

    def _parse(self, raw: bytes):
        try:
            return json.loads(raw)
        except UnicodeDecodeError as exc:
            raise ImportRefused("transfer.import.not_utf8", path=self.path, line=self.line_no,
                                column=exc.start + 1) from None
        except json.JSONDecodeError as exc:
            raise ImportRefused("transfer.import.not_json", path=self.path, line=self.line_no, column=exc.colno,
                                why=json_said(exc.msg)) from None

    def _next(self) -> bytes | None:
        raw = self.fh.readline()
        if not raw:
            return None
        self.line_no += 1
        self.done_bytes += len(raw)
        if not raw.endswith(b"\n"):
            raise ImportRefused("transfer.import.truncated", path=self.path)
        return raw

    def _header(self) -> dict:
        raw = self._next()
        header = self._parse(raw) if raw else None
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise ImportRefused("transfer.import.not_export", path=self.path)
        if header.get("version") != VERSION:
            raise ImportRefused("transfer.import.version", path=self.path, version=header.get("version"),
                                known=VERSION)
        if not isinstance(header.get("tables"), dict) or not header.get("desk"):
            raise ImportRefused("transfer.import.not_export", path=self.path)
        self.digest.update(raw)
        return header

    def rows(self) -> Iterator[list]:
        """Every row line as a list [table, origin, values…]; then checks the trailer."""
        count = 0
        while True:
            raw = self._next()
            if raw is None:
                raise ImportRefused("transfer.import.truncated", path=self.path)
            if raw.startswith(b"["):
                self.digest.update(raw)
                row = self._parse(raw)
                if len(row) < 3 or not isinstance(row[0], str):
                    raise ImportRefused("transfer.import.not_row", path=self.path, line=self.line_no, column=1)
                count += 1
                yield row
                continue
            trailer = self._parse(raw)
            if not isinstance(trailer, dict) or trailer.get("end") is not True:
                raise ImportRefused("transfer.import.not_trailer", path=self.path, line=self.line_no, column=1)
            if self._next() is not None:
                raise ImportRefused("transfer.import.after_trailer", path=self.path, line=self.line_no, column=1)
            if trailer.get("rows") != count or trailer.get("sha256") != self.digest.hexdigest():
                raise ImportRefused("transfer.import.digest", path=self.path)
            self.trailer = trailer
            return
