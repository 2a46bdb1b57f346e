"""Export files made by hand for the import tests: a desk's export read back as [header, rows…],
and sealed again after a test damaged it (as someone who edited the file would)."""

from __future__ import annotations

import hashlib
import json

import pytest

from desk.models import History, Incident
from desk.services.transfer import export, importer
from desk.services.transfer.reader import ImportRefused


def exported_lines(desk, path) -> list:
    """[header, rows…] of `desk`'s export written to `path` (the trailer left off)."""
    with open(path, "wb") as fh:
        export.write_jsonl(desk, fh)
    return [json.loads(x) for x in open(path, encoding="utf-8").read().splitlines()][:-1]


def sealed(tmp_path, header: dict, rows: list, name: str = "x.jsonl") -> str:
    body = [json.dumps(header).encode() + b"\n"] + [json.dumps(r).encode() + b"\n" for r in rows]
    trailer = {"end": True, "rows": len(rows), "sha256": hashlib.sha256(b"".join(body)).hexdigest()}
    path = tmp_path / name
    path.write_bytes(b"".join(body) + json.dumps(trailer).encode() + b"\n")
    return str(path)


def copy(exported):
    header, *rows = json.loads(json.dumps(exported))
    return header, rows


def refused(desk, path: str, key: str) -> ImportRefused:
    with pytest.raises(ImportRefused) as caught:
        importer.import_file(desk, path)
    assert caught.value.key == key, caught.value.message("en")
    assert Incident.select().count() == 0 and History.select().count() == 0  # nothing written
    return caught.value
