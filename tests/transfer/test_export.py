"""`desk export`: every table is carried or left out on purpose, the file is whole or absent,
and a spreadsheet export cannot run a caller's text as a formula."""

from __future__ import annotations

import csv
import hashlib
import io
import json

from desk.models import Incident
from desk.services import incidents
from desk.services.transfer import export, spec
from reliability.helpers import run_cli


def _lines(raw: bytes) -> list:
    return [json.loads(line) for line in raw.decode("utf-8").splitlines()]


def test_every_table_of_a_desk_is_exported_or_excluded_with_a_reason(desk):
    """A table someone adds (a model in ALL_MODELS, or a table made some other way) must be
    carried by the export or named in spec.EXCLUDED: this fails until it is one or the other."""
    exported = {s.name for s in spec.specs()}
    tables = [t for t in desk.db.get_tables() if not spec.derived(t)]
    unaccounted = [t for t in tables if t not in exported and t not in spec.EXCLUDED]
    assert unaccounted == []
    assert all(reason.strip() for reason in spec.EXCLUDED.values())
    assert "incident" in exported and "history" in exported and "setting" not in exported


def test_every_kind_of_record_named_in_history_is_an_exported_table():
    """History and refusals name a record by its kind's ENTITY; an import maps their ids through
    that table. A kind whose ENTITY is not its table's name needs a line in spec.ENTITY_TABLES."""
    import re
    from pathlib import Path

    exported = {s.name for s in spec.specs()}
    services = Path(spec.__file__).resolve().parents[1]
    entities = {m for p in services.rglob("*.py")
                for m in re.findall(r'^ENTITY = "([a-z_]+)"', p.read_text(encoding="utf-8"), re.M)}
    assert {"incident", "problem", "change", "request"} <= entities
    assert sorted(e for e in entities if spec.entity_table(e) not in exported) == []


def test_export_has_a_header_every_row_and_a_trailer_that_seals_it(desk):
    inc = incidents.create(desk, "li", title="VPN drops", impact=2, urgency=2, caller="Zhang Wei")
    incidents.note(desk, "li", inc.id, text="called back")
    out = io.BytesIO()
    result = export.write_jsonl(desk, out)
    raw = out.getvalue()
    lines = _lines(raw)
    header, rows, trailer = lines[0], lines[1:-1], lines[-1]
    assert header["format"] == "desk-export" and header["version"] == export.VERSION
    assert list(header["tables"]) == [s.name for s in spec.specs()]
    assert trailer == {"end": True, "rows": len(rows), "sha256": hashlib.sha256(
        raw[:raw.rindex(b"\n", 0, len(raw) - 1) + 1]).hexdigest()}
    by_table: dict = {}
    for row in rows:
        by_table.setdefault(row[0], []).append(row)
    for name, info in header["tables"].items():
        assert len(by_table.get(name, [])) == info["rows"], name
        assert all(len(r) == len(info["columns"]) + 2 for r in by_table.get(name, []))
    incident = dict(zip(header["tables"]["incident"]["columns"], by_table["incident"][0][2:]))
    assert incident["title"] == "VPN drops" and incident["version"] == 2
    assert incident["opened_at"] == "2026-11-02 09:00:00"
    assert len(by_table["history"]) == 2 and result.rows == len(rows)


def test_a_role_without_export_is_refused_and_no_file_is_made(desk, tmp_path, db_url):
    target = tmp_path / "out.jsonl"
    out = run_cli("export", "--out", str(target), db=db_url, user="li")
    assert out.returncode == 1
    assert len(out.stderr.decode().strip().splitlines()) == 1
    assert not target.exists() and list(tmp_path.glob(".out.jsonl*")) == []


def test_export_to_a_file_over_the_command_line(desk, tmp_path, db_url):
    incidents.create(desk, "li", title="打印机卡纸", impact=3, urgency=3)
    target = tmp_path / "out.jsonl"
    out = run_cli("export", "--out", str(target), db=db_url)
    assert out.returncode == 0, out.stderr
    assert "exported" in out.stderr.decode()
    lines = _lines(target.read_bytes())
    assert lines[-1]["end"] is True and any(r[0] == "incident" and "打印机卡纸" in r for r in lines[1:-1])


def test_csv_guards_formulas_and_names_what_foreign_keys_point_at(desk, db_url):
    incidents.create(desk, "li", title="=HYPERLINK(\"http://evil\")", impact=2, urgency=2, caller="-Bob",
                     group="network")
    out = run_cli("export", "--format", "csv", "--what", "incidents", db=db_url)
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout.decode("utf-8"))))
    assert len(rows) == 1
    assert rows[0]["title"] == "'=HYPERLINK(\"http://evil\")"
    assert rows[0]["caller"] == "'-Bob" and rows[0]["group"] == "network" and rows[0]["owner"] == "li"
    assert Incident.select().count() == 1


def test_csv_of_a_table_this_desk_has_not_is_refused_in_one_line(desk, db_url):
    out = run_cli("export", "--format", "csv", "--what", "tickets", db=db_url)
    assert out.returncode == 1 and len(out.stderr.decode().strip().splitlines()) == 1
    out = run_cli("export", "--format", "csv", db=db_url)
    assert out.returncode == 1 and "--what" in out.stderr.decode()


def test_csv_of_requests_lists_the_service_requests(desk, db_url):
    from desk.services import requests

    requests.create(desk, "li", title="@SUM(1+1) new mailbox", requester="Wang Fang",
                    checked=("identity", "details", "type", "scope"), accept=True)
    out = run_cli("export", "--format", "csv", "--what", "requests", db=db_url)
    assert out.returncode == 0, out.stderr
    rows = list(csv.DictReader(io.StringIO(out.stdout.decode("utf-8"))))
    assert [(r["title"], r["requester"], r["owner"], r["status"]) for r in rows] == [
        ("'@SUM(1+1) new mailbox", "Wang Fang", "li", "accepted")]


def test_an_export_to_a_place_it_cannot_write_is_one_line_in_the_reader_s_language(desk, tmp_path, db_url):
    """`--out` into a folder that does not exist, or onto a folder, was an unexpected error (FileNotFoundError)
    with a crash log: it is one line saying why, exit 1, and no file is left behind."""
    missing = tmp_path / "nowhere" / "out.jsonl"
    out = run_cli("export", "--out", str(missing), db=db_url, env={"DESK_LANG": "zh"})
    assert (out.returncode, out.stderr.decode()) == (1, f"desk: {missing}：无法写入文件（没有这个文件或文件夹）；未导出任何内容\n")
    folder = tmp_path / "a folder"
    folder.mkdir()
    out = run_cli("export", "--format", "csv", "--what", "incidents", "--out", str(folder), db=db_url)
    assert (out.returncode, out.stderr.decode()) == (
        1, f"desk: {folder}: cannot write the file (it is a folder, not a file); nothing was exported\n")
    assert list(folder.iterdir()) == [] and list(tmp_path.glob(".*partial*")) == [] and not missing.parent.exists()
