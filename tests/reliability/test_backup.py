"""`desk backup DEST`: a consistent copy, taken while others write, that passes `desk check`."""

from __future__ import annotations

import os
import stat
import time

import pytest

from desk.services import agents, backup, incidents
from desk.services.check import run_check
from desk.services.context import open_desk
from reliability import bulk, workers
from reliability.helpers import child_env, dump, mp_context, run_cli, size


def _some_work(desk, n=5):
    for i in range(n):
        inc = incidents.create(desk, "li", title=f"disk full {i}", impact=2, urgency=2, caller="Li Na")
        incidents.start(desk, "li", inc.id)
        incidents.resolve(desk, "li", inc.id, code="fixed", note="cleaned /var")


@pytest.fixture
def sqlite_desk(tmp_path, clock):
    from conftest import make_desk

    desk = make_desk(str(tmp_path / "desk.db"), clock)
    yield desk
    desk.close()


def test_the_copy_holds_the_same_data_passes_check_and_is_one_self_contained_file(sqlite_desk, tmp_path):
    _some_work(sqlite_desk)
    source = dump(sqlite_desk.db)
    dest = tmp_path / "copy.db"
    seen = []
    result = backup.backup(sqlite_desk, str(dest), progress=lambda done, total: seen.append((done, total)),
                           pages_per_step=4)
    assert result.path == str(dest) and result.bytes == dest.stat().st_size
    assert len(seen) > 3 and seen[-1][0] == seen[-1][1] and [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert not (tmp_path / "copy.db-wal").exists() and not (tmp_path / "copy.db-journal").exists()
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".copy.db")] == []  # no partial left
    copy = open_desk(str(dest), user="admin")
    assert dump(copy.db) == source
    assert run_check(copy).problems == []
    copy.close()


def test_the_copy_is_no_more_readable_than_the_database(sqlite_desk, tmp_path):
    source = sqlite_desk.target.path
    assert stat.S_IMODE(os.stat(source).st_mode) == 0o660  # desk creates its file owner+group only
    os.chmod(source, 0o600)
    old = os.umask(0)
    try:
        result = backup.backup(sqlite_desk, str(tmp_path / "copy.db"))
    finally:
        os.umask(old)
    assert stat.S_IMODE(os.stat(result.path).st_mode) == 0o600


def test_the_command_refuses_to_overwrite_without_force(sqlite_desk, tmp_path):
    _some_work(sqlite_desk, 1)
    db = sqlite_desk.target.path
    dest = tmp_path / "precious.db"
    dest.write_bytes(b"yesterday's backup")
    out = run_cli("backup", str(dest), db=db)
    assert out.returncode == 1 and dest.read_bytes() == b"yesterday's backup"
    assert out.stderr.decode() == f"desk: {dest} exists already: choose another name, or use --force to overwrite it\n"
    out = run_cli("backup", str(dest), "--force", db=db)
    assert out.returncode == 0, out.stderr
    assert out.stdout.decode().startswith(f"backed up {db} to {dest}: ")
    assert run_cli("check", db=str(dest)).returncode == 0


def test_the_command_refuses_the_database_itself_and_a_missing_directory(sqlite_desk, tmp_path):
    db = sqlite_desk.target.path
    before = dump(sqlite_desk.db)
    out = run_cli("backup", db, "--force", db=db)
    assert out.returncode == 1 and "is the database itself" in out.stderr.decode()
    out = run_cli("backup", str(tmp_path / "no" / "such" / "dir.db"), db=db)
    assert out.returncode == 1 and "no directory" in out.stderr.decode()
    assert dump(sqlite_desk.db) == before


def test_a_directory_as_dest_gets_a_dated_file(sqlite_desk, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    result = backup.backup(sqlite_desk, str(folder))
    assert os.path.dirname(result.path) == str(folder)
    # the desk's (fake) clock, 09:00 UTC, in the desk's zone with its offset (an operator reads local time)
    assert os.path.basename(result.path) == "desk-20261102-170000+0800.db"


def test_dated_backup_names_sort_in_time_order_whatever_the_zone(sqlite_desk, tmp_path, clock, monkeypatch):
    """Fixed width, the offset last: within a zone the names sort as the backups were made."""
    import desk.services.backup as module
    from desk.timefmt import _zone

    monkeypatch.setattr(module, "zone", lambda config: _zone("America/New_York"))
    folder = tmp_path / "backups"
    folder.mkdir()
    names = []
    clock.now = clock.now.replace(hour=9, minute=0, second=0)
    for hours in (3, 17, 0):  # 04:00, 07:00, and 00:00 the next day, New York time (UTC-5)
        names.append(os.path.basename(backup.backup(sqlite_desk, str(folder)).path))
        clock.advance(minutes=60 * hours)
    assert names == ["desk-20261102-040000-0500.db", "desk-20261102-070000-0500.db", "desk-20261103-000000-0500.db"]
    assert sorted(names) == names


def test_postgres_is_sent_to_pg_dump_with_exit_2(desk, db_url, tmp_path):
    if not db_url.startswith("postgres"):
        pytest.skip("PostgreSQL only")
    desk.close()
    out = run_cli("backup", str(tmp_path / "x.dump"), db=db_url)
    err = out.stderr.decode()
    assert out.returncode == 2 and len(err.splitlines()) == 1
    schema_name = db_url.rsplit("schema=", 1)[1]
    assert "pg_dump --format=custom --file=DEST" in err and f"--schema={schema_name}" in err
    assert "pg_restore" in err
    assert not (tmp_path / "x.dump").exists()


@pytest.mark.stress
def test_a_backup_taken_while_four_processes_write_passes_check(tmp_path, clock, capsys):
    from conftest import make_desk

    db = str(tmp_path / "busy.db")
    desk = make_desk(db, clock)
    bulk.fill(desk, size(5_000, 50_000))  # a file big enough for the copy to take many steps
    logins = [f"b{i}" for i in range(4)]
    for login in logins:
        agents.save_agent(desk, "admin", agent_login=login, name=login, roles=["l1", "lead"], group="desk")
    ids = [incidents.create(desk, "admin", title=f"busy {i}", impact=2, urgency=2).id for i in range(20)]
    desk.close()

    ctx = mp_context()
    ready = [ctx.Event() for _ in logins]
    procs = [ctx.Process(target=workers.writer_loop, args=(db, login, logins, ids, 70 + i, child_env(), ready[i], 0))
             for i, login in enumerate(logins)]
    for p in procs:
        p.start()
    try:
        for event in ready:
            assert event.wait(30)
        time.sleep(0.3)
        desk = open_desk(db, user="admin")
        rows_at_start = desk.db.execute_sql("SELECT COUNT(*) FROM history").fetchone()[0]
        steps = []

        def slow_disk(done, total):
            steps.append(done)
            time.sleep(0.004)

        result = backup.backup(desk, str(tmp_path / "copy.db"), pages_per_step=16, progress=slow_disk)
        rows_at_end = desk.db.execute_sql("SELECT COUNT(*) FROM history").fetchone()[0]
        during = run_check(desk)  # the check too runs in one snapshot while they write
        desk.close()
    finally:
        for p in procs:
            p.kill()
            p.join(10)
    assert during.problems == []
    assert steps == sorted(steps)  # never restarted: one snapshot throughout
    out = run_cli("check", db=result.path)
    assert out.returncode == 0, out.stdout
    copy = open_desk(result.path, user="admin")
    rows_in_copy = copy.db.execute_sql("SELECT COUNT(*) FROM history").fetchone()[0]
    copy.close()
    # They really were writing during the copy, and the copy is the state of one moment in between.
    assert rows_at_start <= rows_in_copy < rows_at_end
    with capsys.disabled():
        print(f"\n[backup under load] {result.bytes / 2**20:.1f} MiB in {result.seconds:.2f} s, {len(steps)} steps, "
              f"{rows_at_end - rows_at_start} history rows written meanwhile; the copy passes desk check")
