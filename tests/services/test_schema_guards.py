"""Upgrades (desk/services/schema.py, issue 19; tools/mutants/services_schema.toml): `desk init`
refuses a database newer than this desk before writing anything, and each step runs once, in
order, the version row following it."""

from __future__ import annotations

import pytest

from desk.domain.errors import DeskError
from desk.models import Code, Setting
from desk.services import schema, setup
from desk.services.context import open_desk
from reliability.helpers import run_cli


def test_init_refuses_a_database_newer_than_this_desk_and_changes_nothing(desk):
    newer = schema.SCHEMA_VERSION + 1
    Setting.update(value=str(newer)).where(Setting.key == schema.VERSION_KEY).execute()
    Code.delete().where(Code.table == "closure_code").execute()  # init would load them again
    with pytest.raises(DeskError) as refused:
        setup.init_database(desk)
    assert refused.value.message("en") == (f"this database has schema version {newer}, newer than this desk knows "
                                           f"({schema.SCHEMA_VERSION}): upgrade desk")
    assert schema.schema_version(desk.db) == newer
    assert Code.select().where(Code.table == "closure_code").count() == 0


def test_desk_init_on_a_newer_database_says_so_and_exits_1(tmp_path):
    path = str(tmp_path / "newer.db")
    assert run_cli("init", db=path).returncode == 0
    desk = open_desk(path, user="admin")
    Setting.update(value=str(schema.SCHEMA_VERSION + 1)).where(Setting.key == schema.VERSION_KEY).execute()
    desk.close()
    done = run_cli("init", db=path, env={"LANG": "C.UTF-8"})
    assert done.returncode == 1
    assert done.stderr.decode().strip().splitlines() == [
        f"desk: this database has schema version {schema.SCHEMA_VERSION + 1}, newer than this desk knows "
        f"({schema.SCHEMA_VERSION}): upgrade desk"]


def test_each_step_runs_once_in_order_and_the_version_follows(tmp_path, clock):
    desk = open_desk(str(tmp_path / "steps.db"), user="admin", clock=clock)
    try:
        last = schema.SCHEMA_VERSION
        assert schema.schema_version(desk.db) == 0  # nothing there yet
        assert schema.upgrade(desk.db, target=last - 2) == (0, last - 2)
        assert schema.schema_version(desk.db) == last - 2
        heard = []
        assert schema.upgrade(desk.db, progress=lambda *a: heard.append(a)) == (last - 2, last)
        assert [a for a in heard if a[1:] == (0, 1)] == [(last - 1, 0, 1), (last, 0, 1)]  # each step started once
        assert heard.index((last - 1, 1, 1)) < heard.index((last, 0, 1))  # committed before the next
        assert schema.schema_version(desk.db) == last
        heard.clear()
        assert schema.upgrade(desk.db, progress=lambda *a: heard.append(a)) == (last, last)
        assert [a for a in heard if a[1:] == (0, 1)] == []  # nothing to run again
    finally:
        desk.close()
