"""Durability "full" on SQLite: a write commits without SQLite's own fsync while the writer lock is
held, and desk syncs the WAL itself after releasing the lock, before the call returns (figure 5:
the next writer no longer waits out this one's fsync). These tests fail if the sync is dropped,
moved back inside the lock, or left switched to NORMAL."""

import fcntl
import os

import pytest

from desk.config import load_config
from desk.db import write_transaction
from desk.services import incidents
from desk.services.context import open_desk


def _desk(db_url, clock, durability):
    if db_url.startswith("postgres"):
        pytest.skip("SQLite's WAL only")
    from conftest import make_desk

    make_desk(db_url, clock).close()
    config = load_config()
    config.data["desk"] = {**config.data.get("desk", {}), "durability": durability}
    return open_desk(db_url, config, clock=clock, user="admin", lang="en")


def _lock_free(desk) -> bool:
    fd = os.open(desk.db.database + ".writer-lock", os.O_RDWR)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        fcntl.flock(fd, fcntl.LOCK_UN)
        return True
    except BlockingIOError:
        return False
    finally:
        os.close(fd)


@pytest.fixture
def synced(monkeypatch):
    """Each fdatasync and fsync desk makes: (which call, the file's path, writer lock free then)."""
    calls = []
    state = {"desk": None}
    for name in ("fdatasync", "fsync"):
        real = getattr(os, name)

        def spy(fd, real=real, name=name):
            desk = state["desk"]
            calls.append((name, os.readlink(f"/proc/self/fd/{fd}"), _lock_free(desk) if desk else None))
            return real(fd)

        monkeypatch.setattr(os, name, spy)
    return calls, state


def test_a_full_write_is_synced_after_the_writer_lock_is_released(db_url, clock, synced):
    calls, state = synced
    desk = _desk(db_url, clock, "full")
    state["desk"] = desk
    try:
        inc = incidents.create(desk, "admin", title="printer on fire", impact=2, urgency=2)
        wal = os.path.realpath(desk.db.database + "-wal")
        assert ("fdatasync", wal, True) in calls  # synced, and nobody's write waited for it
        calls.clear()
        incidents.note(desk, "admin", inc.id, text="still burning", expect_version=inc.version)
        assert calls == [("fdatasync", wal, True)]  # once per write; the directory only for a new WAL
        assert desk.db.execute_sql("PRAGMA synchronous").fetchone()[0] == 2  # FULL again outside
    finally:
        desk.close()


def test_a_new_wal_file_has_its_directory_synced(db_url, clock, synced):
    calls, state = synced
    desk = _desk(db_url, clock, "full")
    try:
        incidents.create(desk, "admin", title="one", impact=2, urgency=2)
        folder = os.path.realpath(os.path.dirname(desk.db.database))
        assert [c for c in calls if c[1] == folder] == [("fsync", folder, None)]
    finally:
        desk.close()


def test_inside_a_full_write_sqlite_does_not_sync_and_a_failed_write_syncs_nothing(db_url, clock, synced):
    calls, _ = synced
    desk = _desk(db_url, clock, "full")
    try:
        with pytest.raises(RuntimeError):
            with write_transaction(desk.db):
                assert desk.db.execute_sql("PRAGMA synchronous").fetchone()[0] == 1  # NORMAL: no fsync here
                raise RuntimeError("refused half-way")
        assert calls == []
        assert desk.db.execute_sql("PRAGMA synchronous").fetchone()[0] == 2
    finally:
        desk.close()


def test_normal_durability_never_syncs(db_url, clock, synced):
    calls, _ = synced
    desk = _desk(db_url, clock, "normal")
    try:
        incidents.create(desk, "admin", title="one", impact=2, urgency=2)
        assert calls == []
        assert desk.db.execute_sql("PRAGMA synchronous").fetchone()[0] == 1
    finally:
        desk.close()


def test_a_writer_that_cannot_get_the_lock_is_told_busy_and_writes_nothing(db_url, clock):
    from desk.domain.errors import DatabaseBusy
    from desk.models import History

    desk = _desk(db_url, clock, "full")
    desk.db.desk_gate.timeout_s = 0.05
    inc = incidents.create(desk, "admin", title="one", impact=2, urgency=2)
    before = History.select().count()
    fd = os.open(desk.db.database + ".writer-lock", os.O_RDWR)  # another writer, holding the lock
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        with pytest.raises(DatabaseBusy):
            incidents.note(desk, "admin", inc.id, text="waits", expect_version=inc.version)
        assert History.select().count() == before
        assert desk.db.execute_sql("PRAGMA synchronous").fetchone()[0] == 2
    finally:
        os.close(fd)
        desk.close()


def test_a_connection_relaxed_for_a_load_keeps_its_settings_through_a_write(db_url, clock, synced):
    """The demo sets synchronous OFF on its connection for a load and writes through
    write_transaction: no sync of desk's, and OFF it stays."""
    calls, _ = synced
    desk = _desk(db_url, clock, "full")
    try:
        desk.db.execute_sql("PRAGMA synchronous = OFF")
        incidents.create(desk, "admin", title="one of many", impact=2, urgency=2)
        assert calls == []
        assert desk.db.execute_sql("PRAGMA synchronous").fetchone()[0] == 0
    finally:
        desk.close()
