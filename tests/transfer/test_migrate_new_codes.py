"""`unknown = "create"` in a migration mapping: a value with no mapping becomes a new code of its
table (category, classification, source, closure code, work group), added to the user's config
file and to the database, instead of the mapping's default or a refusal."""

from __future__ import annotations

import json
import tomllib

import pytest

from conftest import make_desk
from desk.config import load_config
from desk.models import Code, Group, Incident
from desk.services import check
from desk.services.context import open_desk
from desk.services.transfer import mapping as mappings
from desk.services.transfer import migrate
from desk.services.transfer.ticket import code_for
from reliability.helpers import run_cli

EXPORT = '''number,state,title,category,team,opened
T-1,Closed,VPN drops,Network Ops,Core Network,2016-02-29 01:16
T-2,Closed,Printer jam,Printers,Core Network,2016-02-29 04:40
T-3,Closed,Mail slow,network,Mail Team,2016-03-01 09:00
T-4,Pending vendor,Disk full,???,Mail Team,2016-03-01 10:00
'''

MAPPING = '''# my own desk settings: this comment stays
[migrate.mine]
number = "number"
title = "{title}"
unknown = "UNKNOWN"

[migrate.mine.fields]
status = "state"
category = "category"
group = "team"
opened_at = "opened"

[migrate.mine.values.status]
Closed = "closed"

[migrate.mine.defaults]
category = "other"
status = "in_progress"
'''


def _config(tmp_path, unknown="create", extra=""):
    path = tmp_path / "config.toml"
    path.write_text(MAPPING.replace("UNKNOWN", unknown) + extra, encoding="utf-8")
    return path


def _run(db_url, clock, config_path, csv_path):
    desk = open_desk(db_url, load_config(str(config_path)), clock=clock, user="admin", lang="en")
    try:
        return migrate.migrate_csv(desk, mappings.load(desk.config, "mine"), str(csv_path))
    finally:
        desk.close()


@pytest.fixture
def export(tmp_path):
    path = tmp_path / "export.csv"
    path.write_text(EXPORT, encoding="utf-8")
    return path


def test_code_for_makes_a_code_a_user_can_type():
    assert code_for("Network Ops") == "network_ops"
    assert code_for("  Core-Network / EU ") == "core_network_eu"
    assert code_for("网络 设备") == "网络_设备"
    assert code_for("???") == ""
    assert code_for("x" * 50 + " y") == "x" * 40


def test_unknown_values_become_codes_in_the_config_file_and_the_database(db_url, clock, tmp_path, export):
    make_desk(db_url, clock).close()
    config_path = _config(tmp_path)
    shipped = load_config(str(config_path))
    result = _run(db_url, clock, config_path, export)
    assert (result.created, result.refused) == (4, [])
    made = {(table, entry["code"]): entry for table, entry in result.new_codes}
    assert set(made) == {("category", "network_ops"), ("category", "printers"),
                         ("group", "core_network"), ("group", "mail_team")}
    assert made[("group", "core_network")] == {"code": "core_network", "en": "Core Network", "zh": "Core Network",
                                               "tier": 2, "kind": "l2"}
    # a value that differs from a desk code only in case is that code; one that makes no code, and a
    # status (never made up), take the default and are reported
    assert result.unknown == {("category", "???"): 1, ("status", "Pending vendor"): 1}
    assert result.config_path == str(config_path)

    text = config_path.read_text(encoding="utf-8")
    assert text.startswith(MAPPING.replace("UNKNOWN", "create"))  # appended: comments and order kept
    written = tomllib.loads(text)
    before = [e["code"] for e in shipped.entries("category")]
    assert [e["code"] for e in written["category"]] == before + ["network_ops", "printers"]
    reloaded = load_config(str(config_path))  # and it passes the config's own checks
    assert reloaded.label("category", "network_ops") == "Network Ops"
    assert reloaded.codes("group")[-2:] == ["core_network", "mail_team"]

    desk = open_desk(db_url, reloaded, user="admin")
    try:
        by_ref = {i.external_ref: i for i in Incident.select()}
        assert by_ref["T-1"].category == "network_ops" and by_ref["T-2"].category == "printers"
        assert by_ref["T-3"].category == "network" and by_ref["T-4"].category == "other"
        team = Group.get(Group.code == "core_network")
        assert (team.name_en, team.tier, team.kind) == ("Core Network", 2, "l2")
        assert by_ref["T-1"].group_id == team.id and by_ref["T-1"].tier == 2
        assert by_ref["T-4"].status == "in_progress"  # statuses are never made up: the default
        rows = {(c.table, c.code): c for c in Code.select().where(Code.code.in_(["network_ops", "printers"]))}
        assert set(rows) == {("category", "network_ops"), ("category", "printers")}
        assert rows[("category", "printers")].position == rows[("category", "network_ops")].position + 1
        report = check.run_check(desk)
        assert report.ok, [p.message("en") for p in report.problems]
    finally:
        desk.close()

    again = _run(db_url, clock, config_path, export)  # the same file again: nothing new, no code twice
    assert (again.created, again.already, again.new_codes) == (0, 4, [])
    assert config_path.read_text(encoding="utf-8") == text


def test_the_default_mode_makes_no_code_and_leaves_the_config_file_alone(db_url, clock, tmp_path, export):
    make_desk(db_url, clock).close()
    config_path = _config(tmp_path, unknown="default")
    text = config_path.read_text(encoding="utf-8")
    result = _run(db_url, clock, config_path, export)
    assert (result.created, result.new_codes, result.config_path) == (4, [], "")
    assert result.unknown[("category", "Network Ops")] == 1 and result.unknown[("group", "Core Network")] == 2
    assert config_path.read_text(encoding="utf-8") == text
    desk = open_desk(db_url, load_config(str(config_path)), user="admin")
    try:
        assert {i.category for i in Incident.select()} == {"other", "network"}
        assert not Group.select().where(Group.code == "core_network").exists()
    finally:
        desk.close()


def test_a_refused_run_writes_no_code(db_url, clock, tmp_path):
    make_desk(db_url, clock).close()
    config_path = _config(tmp_path)
    text = config_path.read_text(encoding="utf-8")
    bad = tmp_path / "bad.csv"
    bad.write_text(EXPORT.replace("category,", "kind,", 1), encoding="utf-8")  # a column the mapping names is missing
    with pytest.raises(migrate.MigrationRefused):
        _run(db_url, clock, config_path, bad)
    assert config_path.read_text(encoding="utf-8") == text


def test_a_table_written_inline_is_rewritten_whole_with_a_copy_kept(db_url, clock, tmp_path, export):
    make_desk(db_url, clock).close()
    inline = '\ncategory = [{code = "other", en = "Other", zh = "其他"}, {code = "network", en = "Network", zh = "网络"}]\n'
    text = MAPPING.replace("UNKNOWN", "create")
    config_path = tmp_path / "config.toml"
    config_path.write_text(inline + text, encoding="utf-8")
    _run(db_url, clock, config_path, export)
    assert (tmp_path / "config.toml.bak").read_text(encoding="utf-8") == inline + text
    written = tomllib.loads(config_path.read_text(encoding="utf-8"))
    assert [e["code"] for e in written["category"]] == ["other", "network", "network_ops", "printers"]
    assert written["migrate"]["mine"]["unknown"] == "create"


def test_the_cli_says_which_codes_it_made_and_where(db_url, clock, tmp_path, export):
    make_desk(db_url, clock).close()
    config_path = _config(tmp_path)
    out = run_cli("--config", str(config_path), "migrate", "--mapping", "mine", str(export), db=db_url)
    assert out.returncode == 0, out.stderr.decode()
    err = out.stderr.decode()
    assert f"4 new codes were added to {config_path} (category: 2, work group: 2): " in err
    assert "`network_ops` (Network Ops)" in err and "`mail_team` (Mail Team)" in err  # (the first five: all four)
    again = run_cli("--config", str(config_path), "migrate", "--json", "--mapping", "mine", str(export), db=db_url)
    assert json.loads(again.stdout)["new_codes"] == []


def test_a_mapping_with_another_unknown_mode_is_refused_naming_the_three(tmp_path):
    config_path = _config(tmp_path, unknown="sometimes")
    with pytest.raises(Exception) as caught:
        mappings.load(load_config(str(config_path)), "mine")
    assert 'must be "default", "refuse" or "create"' in str(caught.value)
