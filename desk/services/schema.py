"""Schema: creation, numbered upgrade steps, the schema-version row, and the history triggers.

Every step runs in one transaction; afterwards the append-only triggers are (re)created,
because SQLite table rebuilds (peewee's SqliteMigrator add_not_null / alter_column_type)
silently drop a table's triggers.
"""

from __future__ import annotations

from collections.abc import Callable

from desk.db import is_sqlite, write_transaction
from desk.models import ALL_MODELS, Setting

SCHEMA_VERSION = 2
VERSION_KEY = "schema_version"

SQLITE_TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS history_no_update BEFORE UPDATE ON history
       BEGIN SELECT RAISE(ABORT, 'history is append-only'); END""",
    """CREATE TRIGGER IF NOT EXISTS history_no_delete BEFORE DELETE ON history
       BEGIN SELECT RAISE(ABORT, 'history is append-only'); END""",
]
PG_TRIGGERS = [
    """CREATE OR REPLACE FUNCTION desk_history_append_only() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'history is append-only'; END; $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS history_no_change ON history",
    """CREATE TRIGGER history_no_change BEFORE UPDATE OR DELETE ON history
       FOR EACH ROW EXECUTE FUNCTION desk_history_append_only()""",
    "DROP TRIGGER IF EXISTS history_no_truncate ON history",
    """CREATE TRIGGER history_no_truncate BEFORE TRUNCATE ON history
       FOR EACH STATEMENT EXECUTE FUNCTION desk_history_append_only()""",
]


def _step_1_create(db) -> None:
    db.create_tables(ALL_MODELS, safe=True)


def _step_2_queue_indexes(db) -> None:
    """The queue sorts open incidents by last update, and all incidents by SLA target."""
    from desk.models import Incident

    Incident._schema.create_indexes(safe=True)


# Step n upgrades a database at version n-1 to version n.
STEPS: dict[int, Callable] = {1: _step_1_create, 2: _step_2_queue_indexes}


def ensure_history_triggers(db) -> None:
    for sql in SQLITE_TRIGGERS if is_sqlite(db) else PG_TRIGGERS:
        db.execute_sql(sql)


def history_triggers(db) -> list[str]:
    """Names of the triggers guarding history (for checks and tests)."""
    if is_sqlite(db):
        rows = db.execute_sql("SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='history'")
    else:
        rows = db.execute_sql(
            "SELECT tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE c.relname = 'history' AND c.relnamespace = to_regnamespace(current_schema()) "
            "AND NOT t.tgisinternal"
        )
    return sorted(r[0] for r in rows)


def schema_version(db) -> int:
    if not db.table_exists("setting"):
        return 0
    row = Setting.get_or_none(Setting.key == VERSION_KEY)
    return int(row.value) if row else 0


def upgrade(db, target: int = SCHEMA_VERSION, progress: Callable[[int], None] | None = None) -> tuple[int, int]:
    """Bring the database to `target`. Returns (from_version, to_version)."""
    start = schema_version(db)
    for number in range(start + 1, target + 1):
        with write_transaction(db):
            STEPS[number](db)
            Setting.insert(key=VERSION_KEY, value=str(number)).on_conflict(
                conflict_target=[Setting.key], update={Setting.value: str(number)}
            ).execute()
            ensure_history_triggers(db)
        if progress:
            progress(number)
    with write_transaction(db):
        ensure_history_triggers(db)
    return start, max(start, target)
