"""Upgrades: a database made by every released schema version is brought up to date by
`desk init`, with its data and its append-only history triggers intact.

tests/reliability/schemas/v<N>.sql are frozen SQLite databases, one per released version
(make_fixture.py writes the current one). The test is driven by that table: releasing a new
schema version means freezing it here, and the old files keep proving their upgrade path.
"""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from peewee import TextField

from desk.db import is_sqlite
from desk.models import History, Incident
from desk.services import check, history, queue, schema
from desk.services.context import open_desk
from reliability.helpers import run_cli

FROZEN = {int(m.group(1)): p for p in (Path(__file__).parent / "schemas").glob("v*.sql")
          if (m := re.fullmatch(r"v(\d+)\.sql", p.name))}


def test_every_released_schema_version_is_frozen_here():
    assert sorted(FROZEN) == list(range(1, schema.SCHEMA_VERSION + 1))


def _load(version: int, path: Path) -> None:
    conn = sqlite3.connect(path)
    conn.executescript(FROZEN[version].read_text(encoding="utf-8"))
    conn.close()


def _content(db) -> tuple:
    # Only columns every version has: the model may have more than an old database (schema 4 added two).
    incidents = list(Incident.select(Incident.id, Incident.title, Incident.description, Incident.status,
                                     Incident.version).order_by(Incident.id).tuples())
    rows = [(h.entity, h.entity_id, h.seq, h.action, h.changes, h.note, h.hash)
            for h in History.select().order_by(History.id)]
    return incidents, rows


def _history_is_append_only(db) -> None:
    for sql in ("UPDATE history SET note = 'rewritten'", "DELETE FROM history"):
        with pytest.raises(Exception, match="append-only"):
            with db.atomic():
                db.execute_sql(sql)


@pytest.mark.parametrize("version", sorted(FROZEN))
def test_desk_init_upgrades_a_frozen_database_keeping_data_and_triggers(tmp_path, version):
    path = tmp_path / f"v{version}.db"
    _load(version, path)
    old = open_desk(str(path), user="admin")
    assert schema.schema_version(old.db) == version
    before = _content(old.db)
    assert before[0] and before[1]
    old.close()

    out = run_cli("init", db=str(path))
    assert out.returncode == 0, out.stderr
    first = out.stdout.decode().splitlines()[0]
    if version < schema.SCHEMA_VERSION:
        assert first == f"upgraded {path} from schema version {version} to {schema.SCHEMA_VERSION}"
    else:
        assert first == f"{path} is up to date (schema version {version})"

    new = open_desk(str(path), user="admin")
    assert schema.schema_version(new.db) == schema.SCHEMA_VERSION
    assert _content(new.db) == before
    assert schema.history_triggers(new.db) == check.expected_triggers(new.db)
    _history_is_append_only(new.db)
    _the_text_filter_answers(new)
    new.close()
    assert run_cli("check", db=str(path)).returncode == 0


def _the_text_filter_answers(desk) -> None:
    """Every frozen version holds "VPN drops every hour" (caller Zhang Wei) and "打印机卡纸" (caller 李娜)."""
    ctx = queue.context(desk, "admin")

    def titles(text):
        f = queue.QueueFilter(view="all", text=text)
        found = queue.ids(f, ctx, "age")
        assert queue.count(f, ctx) == len(found)
        return [i.title for i in Incident.select().where(Incident.id.in_(found)).order_by(Incident.id)]

    assert titles("vpn DROPS") == titles("zhang") == ["VPN drops every hour"]
    assert titles("打印机") == titles("打印") == titles("李娜") == ["打印机卡纸"]
    assert titles("every hour!") == []
    assert schema.search_problems(desk.db) == []
    desk.db.execute_sql("INSERT INTO incident_fts(incident_fts) VALUES ('integrity-check')")


def test_the_upgrade_to_3_says_how_far_the_title_search_is(tmp_path):
    """Step 3 indexes every title: `progress(step, done, total)` hears of it as it goes."""
    path = tmp_path / "v2.db"
    _load(2, path)
    desk = open_desk(str(path), user="admin")
    calls = []
    assert schema.upgrade(desk.db, target=3, progress=lambda *a: calls.append(a)) == (2, 3)
    assert calls[0] == (3, 0, 1) and calls[-1] == (3, 1, 1)
    assert (3, 0, 2) in calls and (3, 2, 2) in calls  # the two incidents of the frozen desk
    schema.upgrade(desk.db)  # the rest (today's models read columns later steps add)
    _the_text_filter_answers(desk)
    desk.close()


@pytest.mark.parametrize("version", sorted(FROZEN))
def test_desk_init_restores_triggers_lost_from_a_frozen_database(tmp_path, version):
    path = tmp_path / "lost.db"
    _load(version, path)
    conn = sqlite3.connect(path)
    conn.executescript("DROP TRIGGER history_no_update; DROP TRIGGER history_no_delete;")
    conn.close()
    assert run_cli("check", db=str(path)).returncode == 1
    assert run_cli("init", db=str(path)).returncode == 0
    assert run_cli("check", db=str(path)).returncode == 0


@pytest.mark.parametrize("version", range(1, schema.SCHEMA_VERSION + 1))
def test_a_database_built_by_each_versions_steps_upgrades_on_every_backend(db_url, clock, version):
    """The same path on PostgreSQL: build with the steps up to `version`, then upgrade."""
    desk = open_desk(db_url, user="admin", clock=clock)
    schema.upgrade(desk.db, target=version)
    assert schema.schema_version(desk.db) == version
    with desk.db.atomic():  # a row for the triggers to guard (row triggers do not fire on an empty table)
        history.append("incident", 1, None, "create", {"status": [None, "new"]}, "", clock(), desk=desk)
    name = check.expected_triggers(desk.db)[0]
    desk.db.execute_sql(f"DROP TRIGGER {name}" if is_sqlite(desk.db) else f"DROP TRIGGER {name} ON history")
    from desk.services import setup

    setup.init_database(desk)
    assert schema.schema_version(desk.db) == schema.SCHEMA_VERSION
    assert schema.history_triggers(desk.db) == check.expected_triggers(desk.db)
    _history_is_append_only(desk.db)
    desk.close()


def test_a_step_that_rebuilds_the_incident_table_keeps_the_title_search(tmp_path, clock, monkeypatch):
    """SQLite will not rename a table while a view names one that is gone, which is what a table
    rebuild does: every step runs without the search's view, and the search comes back whole."""
    from playhouse.migrate import SqliteMigrator, migrate

    from conftest import make_desk
    from desk.services import incidents

    desk = make_desk(str(tmp_path / "rebuild.db"), clock)
    inc = incidents.create(desk, "li", title="Core switch down", impact=1, urgency=1)

    def step_next(db, report=None):
        migrate(SqliteMigrator(db).add_not_null("incident", "vendor_ref"))
        db.execute_sql("UPDATE incident SET title = 'Core switch flapping'")  # while its triggers are gone

    now, later = schema.SCHEMA_VERSION, schema.SCHEMA_VERSION + 1  # a step after today's last
    monkeypatch.setitem(schema.STEPS, later, step_next)
    assert schema.upgrade(desk.db, target=later) == (now, later)
    assert schema.search_problems(desk.db) == []
    ctx = queue.context(desk, "li")
    assert queue.ids(queue.QueueFilter(view="all", text="flapping"), ctx) == [inc.id]
    assert queue.ids(queue.QueueFilter(view="all", text="down"), ctx) == []
    made = incidents.create(desk, "li", title="Core switch down again", impact=1, urgency=1)
    assert queue.ids(queue.QueueFilter(view="all", text="down"), ctx) == [made.id]
    desk.close()


@pytest.mark.parametrize("operation", ["add_not_null", "alter_column_type"])
def test_sqlite_table_rebuilds_drop_the_history_triggers_and_every_upgrade_restores_them(tmp_path, clock,
                                                                                          operation):
    """peewee's SqliteMigrator rebuilds the table for these (SQLite cannot alter a column in
    place): the rebuilt table has no triggers. ensure_history_triggers, which schema.upgrade runs
    after every step and at the end of every `desk init`, puts them back."""
    from playhouse.migrate import SqliteMigrator, migrate

    from conftest import make_desk
    from desk.services import incidents

    desk = make_desk(str(tmp_path / "rebuild.db"), clock)
    inc = incidents.create(desk, "li", title="before the rebuild", impact=3, urgency=3)
    incidents.note(desk, "li", inc.id, text="kept")
    before = _content(desk.db)
    assert schema.history_triggers(desk.db) == ["history_no_delete", "history_no_update"]

    migrator = SqliteMigrator(desk.db)
    step = (migrator.add_not_null("history", "note") if operation == "add_not_null"
            else migrator.alter_column_type("history", "note", TextField(default="")))
    migrate(step)
    assert schema.history_triggers(desk.db) == []  # gone with the old table
    desk.db.execute_sql("UPDATE history SET note = 'rewritten' WHERE id = 1")  # …and history is editable
    assert [p.kind for p in check.run_check(desk).problems] == ["trigger", "trigger", "chain_hash"]

    schema.upgrade(desk.db)  # what `desk init` runs, whatever the version
    assert schema.history_triggers(desk.db) == ["history_no_delete", "history_no_update"]
    _history_is_append_only(desk.db)
    assert _content(desk.db)[0] == before[0]
    assert history.verify("incident", inc.id).row_id == 1  # the edit made meanwhile stays detectable
    desk.close()
