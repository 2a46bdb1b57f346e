"""The guards of `desk import` merging an export (desk/services/transfer/importer.py) through the real
database that a removed or inverted line would let pass (issue 19;
tools/mutants/services_transfer_importer.toml). One small export is made once; each test damages a
copy of it (and seals it again, as someone who edited it would) and imports it into a fresh desk:
refused with the message the user reads and nothing written, or imported twice changing nothing."""

from __future__ import annotations

import pytest

from conftest import FakeClock, make_desk
from desk.models import History, Incident
from desk.services import incidents
from desk.services.transfer import importer
from transfer.import_files import copy, exported_lines, refused, sealed


@pytest.fixture(scope="module")
def exported(tmp_path_factory) -> list:
    """[header, rows…] of an export of a desk with one incident and a note."""
    where = tmp_path_factory.mktemp("source")
    clock = FakeClock()
    source = make_desk(str(where / "source.db"), clock)
    try:
        inc = incidents.create(source, "li", title="VPN drops", impact=2, urgency=2)
        incidents.note(source, "li", inc.id, text="tunnel flaps")
        return exported_lines(source, where / "x.jsonl")
    finally:
        source.close()


def test_importing_an_export_twice_changes_nothing_the_second_time(desk, tmp_path, exported):
    header, rows = copy(exported)
    path = sealed(tmp_path, header, rows)
    first = importer.import_file(desk, path)
    assert first.counts("incident").created == 1 and first.counts("history").created == 2
    assert first.counts("group").unchanged == header["tables"]["group"]["rows"]  # this desk's own groups
    assert first.conflicts == []
    again = importer.import_file(desk, path)
    assert again.total("created") == 0 and again.total("updated") == 0 and again.conflicts == []
    assert Incident.select().count() == 1 and History.select().count() == 2


def test_a_column_this_desk_does_not_know_is_refused_naming_it(desk, tmp_path, exported):
    header, rows = copy(exported)
    header["tables"]["incident"]["columns"].append("made_up")
    rows = [r + ["x"] if r[0] == "incident" else r for r in rows]
    error = refused(desk, sealed(tmp_path, header, rows), "transfer.import.newer")
    assert error.params["column"] == "made_up"


def test_a_table_without_its_key_column_is_refused(desk, tmp_path, exported):
    header, rows = copy(exported)
    columns = header["tables"]["incident"]["columns"]
    at = columns.index("id")
    del columns[at]
    rows = [r[:2 + at] + r[3 + at:] if r[0] == "incident" else r for r in rows]
    refused(desk, sealed(tmp_path, header, rows), "transfer.import.not_export")


def test_rows_of_a_table_this_desk_does_not_know_are_refused(desk, tmp_path, exported):
    header, rows = copy(exported)
    header["tables"]["made_up"] = {"rows": 1, "columns": ["id"]}
    refused(desk, sealed(tmp_path, header, rows), "transfer.import.newer")


def test_a_row_of_a_table_whose_rows_ended_is_refused_with_its_line(desk, tmp_path, exported):
    header, rows = copy(exported)
    again = rows + [next(r for r in rows if r[0] == "group")]  # a group row again, after the other tables
    error = refused(desk, sealed(tmp_path, header, again), "transfer.import.out_of_place")
    assert error.params["line"] == len(again) + 1  # the header is line 1


def test_a_row_of_a_table_the_header_does_not_list_is_refused(desk, tmp_path, exported):
    header, rows = copy(exported)
    del header["tables"]["sla_clock"]
    refused(desk, sealed(tmp_path, header, rows), "transfer.import.out_of_place")


def test_a_table_with_fewer_rows_than_its_header_says_is_refused(desk, tmp_path, exported):
    header, rows = copy(exported)
    header["tables"]["history"]["rows"] += 1
    refused(desk, sealed(tmp_path, header, rows), "transfer.import.count")


def test_a_row_with_a_value_too_many_is_refused(desk, tmp_path, exported):
    header, rows = copy(exported)
    rows = [r + ["x"] if r[0] == "incident" else r for r in rows]
    refused(desk, sealed(tmp_path, header, rows), "transfer.import.values")


def test_a_row_changed_on_both_desks_since_its_import_is_kept_here_as_a_conflict(desk, tmp_path, exported):
    from desk.models import SlaClock

    header, rows = copy(exported)
    importer.import_file(desk, sealed(tmp_path, header, rows))
    SlaClock.update(stage=2).execute()  # this desk's tick moved the clock on
    stage = 2 + header["tables"]["sla_clock"]["columns"].index("stage")
    rows = [r[:stage] + [1] + r[stage + 1:] if r[0] == "sla_clock" else r for r in rows]  # and the other desk's
    result = importer.import_file(desk, sealed(tmp_path, header, rows))
    assert [table for table, _id, _origin in result.conflicts] == ["sla_clock"]
    assert [c.stage for c in SlaClock.select()] == [2]


def test_a_record_newer_in_the_file_without_the_history_to_match_is_a_conflict(desk, tmp_path, exported):
    header, rows = copy(exported)
    importer.import_file(desk, sealed(tmp_path, header, rows))
    version = 2 + header["tables"]["incident"]["columns"].index("version")
    rows = [r[:version] + [r[version] + 1] + r[version + 1:] if r[0] == "incident" else r for r in rows]
    result = importer.import_file(desk, sealed(tmp_path, header, rows))
    assert [table for table, _id, _origin in result.conflicts] == ["incident"]
    assert result.counts("incident").conflicts == 1
    assert Incident.get().version == 2  # kept as it is here
