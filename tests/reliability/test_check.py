"""`desk check`: passes on a healthy desk, and names the ticket and history row of every kind of damage."""

from __future__ import annotations

import json
import os
import time

import pytest

from desk.db import is_sqlite
from desk.domain.errors import StaleVersion
from desk.models import History, Incident
from desk.services import check, incidents, schema
from reliability import bulk
from reliability.helpers import dump, run_cli, size


def lifecycle(desk, n=3):
    """A few incidents with real history through the services."""
    ids = []
    for i in range(n):
        inc = incidents.create(desk, "li", title=f"printer {i} jammed", impact=2, urgency=2, caller="Zhang Wei")
        inc = incidents.assign(desk, "li", inc.id, to="me")
        inc = incidents.start(desk, "li", inc.id)
        inc = incidents.note(desk, "li", inc.id, text="cleared the tray")
        inc = incidents.resolve(desk, "li", inc.id, code="fixed", note="tray cleared")
        ids.append(inc.id)
    return ids


def tamper(desk, sql, params=()):
    """Change rows behind desk's back, as someone with write access to the file could: the
    append-only triggers are dropped for the edit and put back afterwards."""
    db = desk.db
    with db.atomic():
        for name in schema.history_triggers(db):
            db.execute_sql(f"DROP TRIGGER {name}" if is_sqlite(db) else f"DROP TRIGGER {name} ON history")
        db.execute_sql(sql if is_sqlite(db) else sql.replace("?", "%s"), params)
        schema.ensure_history_triggers(db)


def rows_of(incident_id):
    return list(History.select().where((History.entity == "incident") & (History.entity_id == incident_id))
                .order_by(History.seq))


def test_a_healthy_desk_passes_and_the_summary_counts_what_was_checked(desk):
    lifecycle(desk, 3)
    report = check.run_check(desk)
    assert report.problems == []
    assert (report.tickets, report.chains, report.history_rows) == (3, 3, 15)
    assert report.triggers == len(check.expected_triggers(desk.db)) >= 2
    assert "3 tickets" in report.summary("en") and "15 rows" in report.summary("en")


def test_an_edited_history_row_is_named_by_incident_row_and_seq(desk):
    a, b, c = lifecycle(desk, 3)
    target = rows_of(b)[2]
    tamper(desk, "UPDATE history SET note = ? WHERE id = ?", ("nothing happened here", target.id))
    found = check.run_check(desk).problems
    assert [(p.kind, p.entity_id, p.row_id, p.seq) for p in found] == [("chain_hash", b, target.id, 3)]
    assert f"incident {b}: history row {target.id} (seq 3)" in found[0].message("en")


def test_a_deleted_row_breaks_the_chain_and_the_version_count(desk):
    a, b = lifecycle(desk, 2)
    middle = rows_of(a)[1]
    tamper(desk, "DELETE FROM history WHERE id = ?", (middle.id,))
    kinds = {(p.kind, p.entity_id) for p in check.run_check(desk).problems}
    assert kinds == {("chain_seq", a), ("version", a)}


def test_a_deleted_last_row_is_caught_by_the_invariants_even_though_the_chain_still_verifies(desk):
    (a,) = lifecycle(desk, 1)
    last = rows_of(a)[-1]  # the resolve: its status change is gone with it
    tamper(desk, "DELETE FROM history WHERE id = ?", (last.id,))
    found = {p.kind: p for p in check.run_check(desk).problems}
    assert set(found) == {"version", "status"}
    assert found["version"].params == {"version": 5, "rows": 4}
    assert found["status"].params == {"status": "resolved", "expected": "in_progress"}
    assert found["status"].row_id == rows_of(a)[2].id  # the start: the last status change left


def test_a_status_changed_without_history_is_caught(desk):
    a, b = lifecycle(desk, 2)
    desk.db.execute_sql("UPDATE incident SET status = 'closed' WHERE id = " + str(b))
    (problem,) = check.run_check(desk).problems
    assert (problem.kind, problem.entity_id, problem.params["expected"]) == ("status", b, "resolved")


def test_a_change_without_its_history_row_is_caught(desk):
    (a,) = lifecycle(desk, 1)
    desk.db.execute_sql(f"UPDATE incident SET version = version + 1, title = 'sneaky' WHERE id = {a}")
    (problem,) = check.run_check(desk).problems
    assert (problem.kind, problem.entity_id, problem.params) == ("version", a, {"version": 6, "rows": 5})


def test_history_for_a_ticket_that_does_not_exist_is_caught(desk):
    (a,) = lifecycle(desk, 1)
    src = rows_of(a)[0]
    from desk.domain.history_chain import GENESIS, row_hash

    digest = row_hash(GENESIS, "incident", 999, 1, src.at, src.actor_id, "create", src.changes, "")
    tamper(desk, "INSERT INTO history (entity, entity_id, seq, at, actor_id, action, changes, note, prev_hash, hash) "
                 "VALUES ('incident', 999, 1, ?, ?, 'create', ?, '', ?, ?)",
           (src.at, src.actor_id, src.changes, GENESIS, digest))
    (problem,) = check.run_check(desk).problems
    assert (problem.kind, problem.entity_id, problem.params) == ("orphan", 999, {"rows": 1})


def test_a_missing_trigger_is_reported_and_desk_init_restores_it(desk):
    lifecycle(desk, 1)
    db = desk.db
    name = check.expected_triggers(db)[0]
    db.execute_sql(f"DROP TRIGGER {name}" if is_sqlite(db) else f"DROP TRIGGER {name} ON history")
    (problem,) = check.run_check(desk).problems
    assert (problem.kind, problem.params) == ("trigger", {"name": name})
    schema.upgrade(db)  # what `desk init` runs
    assert check.run_check(desk).problems == []


# --- the title search (schema 3) ---------------------------------------------------------------

def _finds(desk, text):
    from desk.services import queue

    return queue.ids(queue.QueueFilter(view="all", text=text), queue.context(desk, "li"))


def test_a_lost_search_trigger_is_reported_and_desk_init_rebuilds_the_index(desk):
    a, b = lifecycle(desk, 2)
    db = desk.db
    if is_sqlite(db):
        db.execute_sql("DROP TRIGGER incident_fts_update")
        db.execute_sql(f"UPDATE incident SET title = 'toner low' WHERE id = {a}")  # unseen by the index
        (problem,) = check.run_check(desk).problems
        assert (problem.kind, problem.params) == ("search_missing", {"name": "incident_fts_update"})
        assert "run `desk init`" in problem.message("en") and "desk init" in problem.message("zh")
        assert _finds(desk, "toner") == []
    else:
        if db.execute_sql("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'").fetchone() is None:
            pytest.skip("pg_trgm is not installed here: searches scan, and nothing is missing")
        db.execute_sql(f"DROP INDEX {schema.PG_SEARCH_INDEX}")
        (problem,) = check.run_check(desk).problems
        assert (problem.kind, problem.params) == ("search_missing", {"name": schema.PG_SEARCH_INDEX})
        db.execute_sql(f"UPDATE incident SET title = 'toner low' WHERE id = {a}")
    schema.upgrade(db)  # what `desk init` runs
    assert check.run_check(desk).problems == []
    assert _finds(desk, "toner") == [a] and _finds(desk, "printer") == [b]


@pytest.fixture
def sqlite_desk(tmp_path, clock):
    from conftest import make_desk

    desk = make_desk(str(tmp_path / "search.db"), clock)
    yield desk
    desk.close()


def test_an_index_out_of_step_with_the_titles_is_reported_and_rebuilt(sqlite_desk):
    desk = sqlite_desk
    a, b, c = lifecycle(desk, 3)
    db = desk.db
    saved = [sql for name, sql in schema.SQLITE_SEARCH_TRIGGERS]
    for name, _ in schema.SQLITE_SEARCH_TRIGGERS:
        db.execute_sql(f"DROP TRIGGER {name}")
    db.execute_sql(f"UPDATE incident SET title = 'printer 1 FIXED!' WHERE id = {b}")  # as long as before
    for sql in saved:  # put back by hand: nothing says the index missed an edit
        db.execute_sql(sql)
    found = check.run_check(desk).problems
    assert [(p.kind, p.entity_id) for p in found] == [("search_unfound", b)]
    assert found[0].message("en").startswith(f"incident {b} is not found by its own title")
    for name, _ in schema.SQLITE_SEARCH_TRIGGERS:
        db.execute_sql(f"DROP TRIGGER {name}")
    db.execute_sql(f"UPDATE incident SET title = 'printer 2 is on fire' WHERE id = {c}")
    for sql in saved:
        db.execute_sql(sql)
    (problem,) = check.run_check(desk).problems
    assert problem.kind == "search_stale"
    assert (problem.entity, problem.params) == ("incident", {"indexed": 3, "indexed_chars": 48, "records": 3, "chars": 52})
    schema.upgrade(db)
    assert check.run_check(desk).problems == []
    assert _finds(desk, "fixed!") == [b] and _finds(desk, "on fire") == [c] and _finds(desk, "jammed") == [a]


def test_an_unreadable_index_is_reported_and_rebuilt(sqlite_desk):
    desk = sqlite_desk
    (a,) = lifecycle(desk, 1)
    desk.db.execute_sql("UPDATE incident_fts_data SET block = X'ffffffff' WHERE id > 10")
    (problem,) = check.run_check(desk).problems
    assert problem.kind in ("search_broken", "search_unfound"), problem
    schema.upgrade(desk.db)
    assert check.run_check(desk).problems == []
    assert _finds(desk, "jammed") == [a]


def test_a_row_whose_time_is_not_a_time_is_an_edit_not_a_crash(tmp_path, clock):
    from conftest import make_desk

    desk = make_desk(str(tmp_path / "t.db"), clock)  # SQLite: a column holds whatever is written to it
    (a,) = lifecycle(desk, 1)
    target = rows_of(a)[2]
    tamper(desk, "UPDATE history SET at = 'last tuesday' WHERE id = ?", (target.id,))
    assert [(p.kind, p.row_id) for p in check.run_check(desk).problems] == [("chain_hash", target.id)]
    desk.close()


def test_malformed_changes_json_does_not_stop_the_check(desk):
    (a,) = lifecycle(desk, 1)
    target = rows_of(a)[1]
    tamper(desk, "UPDATE history SET changes = ? WHERE id = ?", ('{"status": ["new", "assig', target.id))
    kinds = {p.kind for p in check.run_check(desk).problems}
    assert "chain_hash" in kinds


def test_sqlite_foreign_key_and_integrity_damage(tmp_path, clock):
    from conftest import make_desk

    desk = make_desk(str(tmp_path / "fk.db"), clock)
    a, b = lifecycle(desk, 2)  # b's history row ids differ from its seqs (the index damage shows)
    db = desk.db
    db.execute_sql("PRAGMA foreign_keys = OFF")
    db.execute_sql(f"UPDATE incident SET caller_id = 4242 WHERE id = {a}")
    db.execute_sql("PRAGMA foreign_keys = ON")
    (problem,) = check.run_check(desk).problems
    assert (problem.kind, problem.entity_id) == ("foreign_key", a)
    assert problem.message("en") == f"incident row {a}: caller_id = 4242 points at no caller row"
    # An index that no longer matches its table (as after a torn write to an index page).
    db.execute_sql("PRAGMA writable_schema = ON")
    db.execute_sql("UPDATE sqlite_master SET sql = replace(sql, '\"seq\"', '\"id\"') "
                   "WHERE name = 'history_entity_entity_id_seq'")
    db.execute_sql("PRAGMA writable_schema = OFF")
    desk.close()
    desk = make_desk(str(tmp_path / "fk.db"), clock)
    kinds = [p.kind for p in check.run_check(desk).problems]
    assert "integrity" in kinds
    desk.close()


def test_a_knowledge_draft_noted_in_an_incident_history_keeps_the_invariants(desk):
    """Regression: the draft's history row was appended without counting in the incident's version."""
    from desk.services import knowledge

    (a,) = lifecycle(desk, 1)
    before = incidents.get(desk, a, with_history=False).version
    knowledge.draft(desk, "li", title="Tray jams", body="Fan the paper first.", incident_id=a)
    assert check.run_check(desk).problems == []
    with pytest.raises(StaleVersion):  # whoever read the incident before the note must reload
        incidents.note(desk, "li", a, text="late", expect_version=before)


def test_check_writes_nothing(desk):
    (a,) = lifecycle(desk, 1)
    tamper(desk, "DELETE FROM history WHERE id = ?", (rows_of(a)[-1].id,))
    before = dump(desk.db)
    assert check.run_check(desk).problems
    assert dump(desk.db) == before


# --- the command ---------------------------------------------------------------------------------

def test_the_command_exits_0_with_one_summary_line(desk, db_url):
    lifecycle(desk, 2)
    desk.close()
    out = run_cli("check", db=db_url)
    assert out.returncode == 0, out.stderr
    lines = out.stdout.decode().splitlines()
    assert len(lines) == 1 and lines[0].startswith("check passed: 2 tickets, 2 history chains (10 rows)")
    out = run_cli("check", "--json", db=db_url)
    report = json.loads(out.stdout)
    assert (out.returncode, report["ok"], report["history_rows"], report["problems"]) == (0, True, 10, [])


def test_the_command_prints_each_problem_and_exits_1(desk, db_url):
    a, b = lifecycle(desk, 2)
    edited = rows_of(a)[1]
    tamper(desk, "UPDATE history SET note = '\x1b[2J\x1b]52;c;aGk=\x07' WHERE id = ?", (edited.id,))
    desk.db.execute_sql(f"UPDATE incident SET status = 'x\x1b[31m' WHERE id = {b}")
    desk.close()
    out = run_cli("check", "--lang", "en", db=db_url)
    assert out.returncode == 1
    text = out.stdout.decode()
    lines = text.splitlines()
    assert lines[0] == f"incident {a}: history row {edited.id} (seq 2) does not match its hash: it was edited"
    assert lines[1].startswith(f"incident {b}: status is x␛[31m, but its last status change (history row ")
    assert lines[-1].startswith("check failed: 2 problems")
    assert "\x1b" not in text  # tampered content is shown inert
    report = json.loads(run_cli("check", "--json", db=db_url).stdout)
    assert [(p["kind"], p["id"]) for p in report["problems"]] == [("chain_hash", a), ("status", b)]


@pytest.mark.stress
def test_check_speed_on_many_incidents(tmp_path, clock, capsys):
    """Prints figures (no timed assert). DESK_CHECK_BENCH=1000000 for the million-incident run."""
    from conftest import make_desk

    count = int(os.environ.get("DESK_CHECK_BENCH") or size(10_000, 200_000))
    desk = make_desk(str(tmp_path / "big.db"), clock)
    t0 = time.monotonic()
    made, rows = bulk.fill(desk, count)
    filled = time.monotonic() - t0
    report = check.run_check(desk)
    quick = check.run_check(desk, quick=True)
    assert report.ok and quick.ok and report.tickets == made and report.history_rows == rows
    with capsys.disabled():
        print(f"\n[check] {made:,} incidents, {rows:,} history rows: fill {filled:.1f} s, "
              f"check {report.seconds:.1f} s (quick {quick.seconds:.1f} s), "
              f"file {os.path.getsize(tmp_path / 'big.db') / 2**20:.0f} MiB")
    Incident.update(status="closed").where(Incident.id == made // 2).execute()
    found = check.run_check(desk, quick=True).problems
    assert [(p.kind, p.entity_id) for p in found] == [("status", made // 2)]
    desk.close()


@pytest.mark.stress
def test_verifying_every_chain_holds_few_rows_in_memory_at_once(desk, db_url):
    """Regression: on PostgreSQL the driver fetched the whole history at once (about 2 GB for a
    million incidents); the chains are now read a batch at a time. Measured in a fresh process."""
    import subprocess
    import sys

    if is_sqlite(desk.db):
        pytest.skip("SQLite streams rows itself; its page cache is bounded by cache_size")
    bulk.fill(desk, 10_000)  # about 40,000 history rows
    desk.close()
    # VmHWM: this process's peak resident memory (ru_maxrss would include pytest's, inherited).
    code = ("import re, sys; from desk.services.context import open_desk; from desk.services import history; "
            "peak = lambda: int(re.search(r'VmHWM:\\s+(\\d+)', open('/proc/self/status').read()).group(1)); "
            "d = open_desk(sys.argv[1], user='admin'); d.db.execute_sql('SELECT 1'); before = peak(); "
            "assert list(history.verify_all()) == []; print(peak() - before)")
    out = subprocess.run([sys.executable, "-c", code, db_url], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    grew_kib = int(out.stdout)
    assert grew_kib < 6 * 1024, f"{grew_kib / 1024:.1f} MiB"  # all rows at once: about 16 MiB more


def test_a_demo_desk_passes_check(db_url):
    """`desk demo` writes incidents and history in bulk, outside the use cases: every chain and
    invariant must hold there too."""
    pytest.importorskip("desk.services.demo")
    out = run_cli("demo", "--incidents", "600", "--seed", "7", db=db_url)
    assert out.returncode == 0, out.stderr
    out = run_cli("check", db=db_url)
    assert out.returncode == 0, out.stdout.decode()
    from desk.services.demo import catalogue, changes, problems, requests

    # incidents, the demo's requests (one for every three incidents), its changes and problems, and
    # the catalogue's requirements and drafts (each with a history chain of its own)
    catalogue_work = sum(catalogue.adds(None).values())
    assert catalogue_work == len(catalogue.REQUIREMENTS) + len(catalogue.DRAFTS) + 1
    tickets = 600 + 600 // 3 + len(changes.STORIES) + len(problems.STORIES) + catalogue_work
    assert requests._count(type("Build", (), {"incidents": 600})()) == 600 // 3
    assert f"{tickets} tickets" in out.stdout.decode()
