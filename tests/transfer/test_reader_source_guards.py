"""The guards of reading an export file (desk/services/transfer/reader.py) and another tool's CSV
(desk/services/transfer/source.py) that a removed or inverted line would let pass (issue 19;
tools/mutants/services_transfer_reader.toml, services_transfer_source.toml). Files are written by
hand, no database: each damage is refused with the message the user reads."""

from __future__ import annotations

import gzip
import hashlib
import json
from datetime import datetime

import pytest

from desk.services.transfer.export import FORMAT, VERSION
from desk.services.transfer.reader import ImportRefused, Reader
from desk.services.transfer.source import MigrationRefused, TicketRefused, parse_time, read_csv

HEADER = {"format": FORMAT, "version": VERSION, "desk": "jump-1", "tables": {"code": {"rows": 1}}}
ROW = ["code", "", 1, "category", "network"]


def lines(header=HEADER, rows=(ROW,), trailer=None, after=b"") -> bytes:
    """An export: the header, the rows, and a trailer sealing them (or the one given)."""
    body = [json.dumps(header).encode() + b"\n"] + [json.dumps(r).encode() + b"\n" for r in rows]
    seal = {"end": True, "rows": len(rows), "sha256": hashlib.sha256(b"".join(body)).hexdigest()}
    return b"".join(body) + json.dumps({**seal, **(trailer or {})}).encode() + b"\n" + after


def read(tmp_path, data: bytes) -> list:
    path = tmp_path / "x.jsonl"
    path.write_bytes(data)
    reader = Reader(str(path))
    try:
        return list(reader.rows())
    finally:
        reader.close()


def refused(tmp_path, data: bytes, key: str) -> ImportRefused:
    with pytest.raises(ImportRefused) as caught:
        read(tmp_path, data)
    assert caught.value.key == key, caught.value.message("en")
    assert str(tmp_path / "x.jsonl") in caught.value.message("en")
    return caught.value


def test_a_sealed_export_reads_back_its_rows(tmp_path):
    assert read(tmp_path, lines()) == [ROW]


def test_a_file_that_cannot_be_opened_is_refused_by_name(tmp_path):
    with pytest.raises(ImportRefused) as caught:
        Reader(str(tmp_path / "missing.jsonl"))
    assert caught.value.key == "transfer.import.unreadable"


@pytest.mark.parametrize("header, key", [
    ({**HEADER, "format": "other-tool"}, "transfer.import.not_export"),
    ({**HEADER, "version": VERSION + 1}, "transfer.import.version"),
    ({**HEADER, "desk": ""}, "transfer.import.not_export"),
])
def test_a_foreign_or_newer_header_is_refused(tmp_path, header, key):
    refused(tmp_path, lines(header), key)


def test_lines_that_are_not_utf8_or_json_are_refused_with_their_line(tmp_path):
    good = lines()
    header, rest = good.split(b"\n", 1)
    error = refused(tmp_path, header + b"\n" + b'["code", "\xff"]\n' + rest, "transfer.import.not_utf8")
    assert error.params["line"] == 2
    error = refused(tmp_path, header + b"\n" + b'["code", \n' + rest, "transfer.import.not_json")
    assert error.params["line"] == 2


def test_a_file_cut_short_is_refused_as_truncated(tmp_path):
    good = lines()
    refused(tmp_path, good[:-1], "transfer.import.truncated")  # the last line's end is missing
    refused(tmp_path, good[:good.rindex(b"{")], "transfer.import.truncated")  # the trailer is missing


@pytest.mark.parametrize("row, key", [
    (["code", ""], "transfer.import.not_row"),
    ([1, "", 2], "transfer.import.not_row"),
])
def test_a_row_without_its_table_origin_and_values_is_refused(tmp_path, row, key):
    refused(tmp_path, lines(rows=(row,)), key)


def test_a_trailer_that_does_not_end_the_file_or_seal_its_rows_is_refused(tmp_path):
    refused(tmp_path, lines(trailer={"end": False}), "transfer.import.not_trailer")
    refused(tmp_path, lines(after=b"[]\n"), "transfer.import.after_trailer")
    refused(tmp_path, lines(trailer={"rows": 2}), "transfer.import.digest")
    refused(tmp_path, lines(trailer={"sha256": "0" * 64}), "transfer.import.digest")
    sealed_without_header = hashlib.sha256(json.dumps(ROW).encode() + b"\n").hexdigest()
    refused(tmp_path, lines(trailer={"sha256": sealed_without_header}), "transfer.import.digest")


# --- another tool's CSV (desk migrate) -----------------------------------------------------------------

def csv_file(tmp_path, text: str, name: str = "tickets.csv", raw: bytes | None = None) -> str:
    path = tmp_path / name
    data = raw if raw is not None else text.encode("utf-8")
    path.write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    return str(path)


def migrate_refused(call, key: str) -> MigrationRefused:
    with pytest.raises(MigrationRefused) as caught:
        call()
    assert caught.value.key == key, caught.value.message("en")
    return caught.value


def test_a_csv_is_read_by_its_column_names_trimmed_gzipped_or_with_a_bom(tmp_path):
    text = "\ufeff Number , Title ,Other\r\n 7 , VPN down ,x\r\n\r\n8,Printer,y\r\n"
    for name in ("tickets.csv", "tickets.csv.gz"):
        col, rows = read_csv(csv_file(tmp_path, text, name), {"Number", "Title"}, "file", "m")
        assert [(line, [r[col["Number"]], r[col["Title"]]]) for line, r in rows] == [
            (2, ["7", "VPN down"]), (4, ["8", "Printer"])]


def test_a_missing_column_refuses_the_file_unless_it_is_optional(tmp_path):
    path = csv_file(tmp_path, "Number,Title\n7,VPN down\n")
    error = migrate_refused(lambda: read_csv(path, {"Number", "Status"}, "file", "m"),
                            "transfer.migrate.missing_column")
    assert error.params["column"] == "Status"
    migrate_refused(lambda: read_csv(path, {"Number", "Status"}, "events", "m"),
                    "transfer.migrate.missing_event_column")
    col, rows = read_csv(path, {"Number", "Status"}, "file", "m", optional=frozenset({"Status"}))
    assert rows[0][1][col["Status"]] == ""


def test_an_unreadable_empty_or_non_csv_file_is_refused_whole(tmp_path):
    migrate_refused(lambda: read_csv(str(tmp_path / "none.csv"), {"Number"}, "file", "m"),
                    "transfer.migrate.unreadable")
    migrate_refused(lambda: read_csv(csv_file(tmp_path, ""), {"Number"}, "file", "m"), "transfer.migrate.empty")
    migrate_refused(lambda: read_csv(csv_file(tmp_path, "", raw=b"Num\xffber\n1\n"), {"Number"}, "file", "m"),
                    "transfer.migrate.not_csv")
    late = b"Number\n" + b"1\n" * 10_000 + b"2\xff\n"  # past the first block the reader decodes
    error = migrate_refused(lambda: read_csv(csv_file(tmp_path, "", raw=late), {"Number"}, "file", "m"),
                            "transfer.migrate.not_csv")
    assert error.params["line"] > 2


FORMATS = ("%d/%m/%Y %H:%M", "%Y%m%d%H%M")


@pytest.mark.parametrize("raw", ["31/02/2026 10:00", "02/11/2026 10:00 x", "soon"])
def test_a_value_that_is_not_a_time_refuses_its_ticket_with_line_and_column(raw):
    with pytest.raises(TicketRefused) as caught:
        parse_time(FORMATS, raw, 12, "Opened")
    assert (caught.value.line, caught.value.column) == (12, "Opened")
    assert raw in caught.value.why.text("en")


def test_times_are_read_in_any_of_the_mappings_formats_and_empty_is_none():
    assert parse_time(FORMATS, "02/11/2026 10:05", 1, "Opened") == datetime(2026, 11, 2, 10, 5)
    assert parse_time(FORMATS, "202611021005", 1, "Opened") == datetime(2026, 11, 2, 10, 5)
    assert parse_time(FORMATS, "", 1, "Opened") is None
