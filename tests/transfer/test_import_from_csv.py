"""`desk import --from csv FILE --map MAPPING.toml` (the issue's spelling of `desk migrate`): a
mapping in a file of its own, the summary of a second run (nothing created, what was migrated before
left as it was), and the refusals of a command that names no mapping or one the file does not hold."""

from __future__ import annotations

import json

from conftest import make_desk
from desk.models import Incident
from desk.services.context import open_desk
from reliability.helpers import dump, run_cli

MAPPING = '''[migrate.glpi]
tool = "GLPI"
number = "ID"
title = "{Title}"
time_format = "%Y-%m-%d %H:%M"
[migrate.glpi.fields]
status = "Status"
opened_at = "Opening date"
[migrate.glpi.values.status]
New = "new"
Solved = "resolved"
'''

TICKETS = '''ID,Title,Status,Opening date
101,Printer jam,New,2026-01-02 10:00
102,VPN drops,Solved,2026-01-03 11:30
'''


def _files(tmp_path):
    mapping, tickets = tmp_path / "glpi.toml", tmp_path / "glpi.csv"
    mapping.write_text(MAPPING, encoding="utf-8")
    tickets.write_text(TICKETS, encoding="utf-8")
    return mapping, tickets


def test_import_from_csv_with_a_mapping_file_and_a_second_run_that_changes_nothing(db_url, clock, tmp_path):
    make_desk(db_url, clock).close()
    mapping, tickets = _files(tmp_path)
    first = run_cli("import", "--from", "csv", "--map", str(mapping), str(tickets), db=db_url)
    assert first.returncode == 0, first.stderr
    assert "2 incidents created" in first.stdout.decode() and "0 migrated before" in first.stdout.decode()
    again = run_cli("import", "--from", "csv", "--map", str(mapping), "--json", str(tickets), db=db_url)
    summary = json.loads(again.stdout)
    assert (summary["created"], summary["already"], summary["refused"]) == (0, 2, [])
    desk = open_desk(db_url, user="admin")
    try:
        found = {i.external_ref: i.status for i in Incident.select()}
        assert found == {"101": "new", "102": "resolved"}
    finally:
        desk.close()


def test_import_from_csv_refuses_without_a_mapping_and_a_mapping_file_with_two(db_url, clock, tmp_path):
    make_desk(db_url, clock).close()
    mapping, tickets = _files(tmp_path)
    desk = open_desk(db_url, user="admin")
    before = dump(desk.db)
    desk.close()
    out = run_cli("import", "--from", "csv", str(tickets), db=db_url)
    assert out.returncode == 1
    assert out.stderr.decode().strip() == "desk: --from csv needs --map: a mapping's name or its .toml file (docs/migration.md)"
    out = run_cli("import", "--map", str(mapping), str(tickets), db=db_url)  # a desk export takes no mapping
    assert out.returncode == 1 and "--map and --events are for --from csv" in out.stderr.decode()
    mapping.write_text(MAPPING + MAPPING.replace("glpi", "other"), encoding="utf-8")
    out = run_cli("import", "--from", "csv", "--map", str(mapping), str(tickets), db=db_url)
    assert out.returncode == 2 and out.stderr.decode().startswith(f"{mapping}: a mapping file holds one [migrate.NAME]")
    desk = open_desk(db_url, user="admin")
    try:
        assert dump(desk.db) == before
    finally:
        desk.close()


def test_import_of_a_desk_export_can_say_its_summary_as_json(db_url, clock, tmp_path):
    make_desk(db_url, clock).close()
    out_file = tmp_path / "desk.jsonl"
    assert run_cli("export", "--out", str(out_file), db=db_url).returncode == 0
    out = run_cli("import", "--json", str(out_file), db=db_url)  # its own export: everything already here
    summary = json.loads(out.stdout)
    assert summary["created"] == 0 and summary["updated"] == 0 and summary["unchanged"] > 0
    assert summary["conflicts"] == []
