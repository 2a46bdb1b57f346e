"""`desk export` guards (desk/services/transfer/export.py) that a removed or inverted line would
let pass (issue 19; tools/mutants/services_transfer_export.toml): the file names its desk, writes
flags as true/false, keeps where imported rows came from, is its owner's alone, and appears under
its name only once whole."""

from __future__ import annotations

import io
import json
import os

import pytest

from conftest import FakeClock, make_desk
from desk.models import Setting
from desk.services import incidents
from desk.services.schema import DESK_ID_KEY
from desk.services.transfer import export, importer


def _export(desk) -> tuple[dict, list]:
    out = io.BytesIO()
    export.write_jsonl(desk, out)
    header, *rows = [json.loads(x) for x in out.getvalue().decode("utf-8").splitlines()]
    return header, rows[:-1]


def _column(header, rows, table: str, column: str) -> list:
    at = header["tables"][table]["columns"].index(column) + 2
    return [r[at] for r in rows if r[0] == table]


def test_the_header_names_the_desk_and_flags_are_true_or_false(desk):
    header, rows = _export(desk)
    assert header["desk"] == Setting.get(Setting.key == DESK_ID_KEY).value
    assert all(v is True for v in _column(header, rows, "agent", "active"))  # true, not 1


@pytest.fixture(scope="module")
def jump_host_export(tmp_path_factory) -> str:
    """The export of another desk with one incident and its caller (made before the test's desk
    opens: the models follow the desk opened last)."""
    where = tmp_path_factory.mktemp("jump-host")
    source = make_desk(str(where / "source.db"), FakeClock())
    try:  # another desk's id (test desks are copies of one template)
        source.db.execute_sql("UPDATE setting SET value = 'jump-host' WHERE key = 'desk_id'")
        incidents.create(source, "li", title="VPN drops", impact=2, urgency=2, caller="Ma Lin of the jump host")
        with open(where / "x.jsonl", "wb") as fh:
            export.write_jsonl(source, fh)
    finally:
        source.close()
    return str(where / "x.jsonl")


def test_rows_imported_from_another_desk_keep_their_origin_in_a_new_export(desk, jump_host_export):
    importer.import_file(desk, jump_host_export)
    header, rows = _export(desk)
    # a caller has no origin column of its own: its origin is kept beside it (transfer_origin)
    name = header["tables"]["caller"]["columns"].index("name") + 2
    (caller,) = [r for r in rows if r[0] == "caller" and r[name] == "Ma Lin of the jump host"]
    assert caller[1] is not None and caller[1].startswith("jump-host:")


def test_the_file_is_its_owners_alone_and_appears_only_once_whole(tmp_path):
    target = tmp_path / "desk.jsonl"
    with export.output_file(str(target)) as fh:
        fh.write(b"rows")
        assert not target.exists()
    assert target.read_bytes() == b"rows" and os.stat(target).st_mode & 0o777 == 0o600
    assert os.listdir(tmp_path) == ["desk.jsonl"]


def test_a_failed_export_leaves_no_file_behind(tmp_path):
    with pytest.raises(RuntimeError), export.output_file(str(tmp_path / "desk.jsonl")) as fh:
        fh.write(b"half")
        raise RuntimeError("the disk is full")
    assert os.listdir(tmp_path) == []
