"""The PostgreSQL branches of `desk check`, `desk backup` and the title search (issue 19): each
test runs on both backends where it can (set DESK_TEST_PG), so the PostgreSQL path is held to what
SQLite's is. `desk check` with a history row whose `changes` PostgreSQL cannot parse falls back to
a streamed pass that still names every status problem (and no other); `desk backup` on PostgreSQL
shows the pg_dump command without the password; `desk init` run again keeps one trigram index."""

from __future__ import annotations

import pytest

from desk.db import Target, is_sqlite
from desk.services import backup, check, schema
from reliability.test_check import lifecycle, rows_of, tamper


def test_a_malformed_changes_row_leaves_every_status_problem_named_and_no_other(desk):
    a, b, c = lifecycle(desk, 3)
    tamper(desk, "UPDATE history SET changes = ? WHERE id = ?", ('{"status": ["new", "assig', rows_of(a)[1].id))
    db = desk.db
    with db.atomic():  # a status changed behind desk's back; another ticket's status rows emptied
        db.execute_sql(f"UPDATE incident SET status = 'closed' WHERE id = {b}")
    for row in rows_of(c):
        if '"status"' in row.changes:
            tamper(desk, "UPDATE history SET changes = '{}' WHERE id = ?", (row.id,))
    problems = [(p.kind, p.entity_id, p.row_id, p.params.get("expected")) for p in check.run_check(desk).problems
                if p.kind.startswith("status")]
    assert problems == [("status", b, rows_of(b)[-1].id, "resolved"), ("status_missing", c, None, None)]


def test_backup_on_postgresql_shows_the_pg_dump_command_without_the_password():
    target = Target("postgres", url="postgresql://desk:s3cret@db.example:5433/itsm?schema=branch")
    assert backup.pg_dump_command(target) == (
        "pg_dump --format=custom --file=DEST --schema=branch 'postgresql://desk@db.example:5433/itsm'")
    plain = Target("postgres", url="postgresql://desk@db.example/itsm")
    assert backup.pg_dump_command(plain) == "pg_dump --format=custom --file=DEST 'postgresql://desk@db.example/itsm'"


def test_desk_init_again_keeps_one_title_index_on_postgresql(desk):
    db = desk.db
    if is_sqlite(db):
        pytest.skip("PostgreSQL's trigram index (SQLite's FTS5 index: test_check.py)")
    if db.execute_sql("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'").fetchone() is None:
        pytest.skip("pg_trgm is not installed here: searches scan, and nothing is missing")
    schema.upgrade(db)  # what `desk init` runs, on a desk that has its index
    schema.upgrade(db)
    (definition,) = [r[0] for r in db.execute_sql(
        "SELECT indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = 'incident' "
        "AND indexdef LIKE '%%gin_trgm_ops%%'").fetchall()]
    assert schema.PG_SEARCH_INDEX in definition and "gin" in definition
    assert check.run_check(desk).problems == []


def schema_of(url: str) -> str | None:
    return Target("postgres", url=url).schema


def test_the_schema_a_postgresql_url_names_is_the_first_of_its_search_path():
    assert schema_of("postgresql://desk@db/itsm?schema=branch,public") == "branch"
    assert schema_of("postgresql://desk@db/itsm?sslmode=require&schema=%20branch%20") == "branch"
    assert schema_of("postgresql://desk@db/itsm?schema=%20") is None and schema_of("postgresql://h/d?schema=,x") is None
    assert schema_of("postgresql://desk@db/itsm") is None


def test_messages_and_the_header_name_the_schema_and_never_the_password():
    target = Target("postgres", url="postgresql://desk:s3cret@db.example:5433/itsm?sslmode=require&schema=branch")
    assert target.display == "postgresql://desk@db.example:5433/itsm?schema=branch"
    assert target.short == "itsm?schema=branch"
    plain = Target("postgres", url="postgresql://desk@db.example/itsm")
    assert (plain.display, plain.short) == ("postgresql://desk@db.example/itsm", "itsm")
    assert Target("sqlite", path="/srv/desk/desk.db").short == "desk.db"
