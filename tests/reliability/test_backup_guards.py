"""`desk backup` guards that test_backup.py did not tell apart (issue 19, tools/mutants/services_backup.toml):
an interrupted copy leaves nothing, a dangling link is not written through, the copy is self-contained."""

from __future__ import annotations

import os
import sqlite3
import stat

import pytest

from desk.domain.errors import DeskError
from desk.services import backup, incidents
from reliability.helpers import run_cli_here
from reliability.test_backup import sqlite_desk  # noqa: F401  (the fixture)


def test_an_interrupted_backup_leaves_no_file_behind(sqlite_desk, tmp_path):  # noqa: F811
    incidents.create(sqlite_desk, "li", title="disk full", impact=2, urgency=2)
    folder = tmp_path / "out"
    folder.mkdir()

    def interrupted(done, total):
        raise KeyboardInterrupt  # ctrl-c during the copy

    with pytest.raises(KeyboardInterrupt):
        backup.backup(sqlite_desk, str(folder / "copy.db"), progress=interrupted, pages_per_step=1)
    assert list(folder.iterdir()) == []


def test_a_dangling_link_at_the_destination_is_refused_without_force(sqlite_desk, tmp_path):  # noqa: F811
    link = tmp_path / "copy.db"
    link.symlink_to(tmp_path / "elsewhere" / "gone.db")
    with pytest.raises(DeskError) as refused:
        backup.backup(sqlite_desk, str(link))
    assert refused.value.key == "ops.backup.exists"
    assert link.is_symlink() and os.readlink(link) == str(tmp_path / "elsewhere" / "gone.db")


def test_the_copy_is_a_rollback_journal_file(sqlite_desk, tmp_path):  # noqa: F811
    incidents.create(sqlite_desk, "li", title="disk full", impact=2, urgency=2)
    result = backup.backup(sqlite_desk, str(tmp_path / "copy.db"))
    # A WAL-mode file needs a -shm beside it to be read, so it cannot be opened from a read-only
    # medium (an archive disk, a mounted snapshot); a rollback-journal file can.
    con = sqlite3.connect(f"file:{result.path}?mode=ro", uri=True)
    assert con.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    assert con.execute("SELECT title FROM incident").fetchall() == [("disk full",)]
    con.close()


def test_the_copy_keeps_a_group_readable_database_group_readable(sqlite_desk, tmp_path):  # noqa: F811
    # desk creates its file 0660; the copy is written 0600 and opened up to the source's mode at the end.
    result = backup.backup(sqlite_desk, str(tmp_path / "copy.db"))
    assert stat.S_IMODE(os.stat(result.path).st_mode) == 0o660



def _damage_a_page_of(path, table: str, at: int, data: bytes) -> int:
    """A disk error in the database file: `data` written at `at` in the first page of `table`'s
    rows, the rest of the file intact. Returns the page's number."""
    con = sqlite3.connect(path)
    page = con.execute("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno "
                       "LIMIT 1", (table,)).fetchone()[0]
    size = con.execute("PRAGMA page_size").fetchone()[0]
    con.close()
    with open(path, "r+b") as fh:
        fh.seek((page - 1) * size + at)
        fh.write(data)
    return page


@pytest.mark.parametrize("at, data, said", [
    # The check lists what it found, or gives up at once: which one varies from run to run (what the
    # bytes at the bad offset hold, even in one file checked twice), so either of its words will do.
    (8, b"\xff\xff", ("On tree page {page} cell 0: Offset 65535 out of range", "database disk image is malformed")),
    (0, b"\x00", ("database disk image is malformed",)),  # a page type it cannot read: the check stops there
], ids=["cell-out-of-range", "unreadable-page"])
def test_a_copy_that_fails_its_check_is_refused_and_last_night_s_backup_kept(sqlite_desk, tmp_path,  # noqa: F811
                                                                               at, data, said):
    for i in range(40):  # more than one page of incidents
        incidents.create(sqlite_desk, "li", title=f"disk full on host {i:02}", impact=2, urgency=2)
    nightly = tmp_path / "nightly.db"
    backup.backup(sqlite_desk, str(nightly))
    kept = nightly.read_bytes()
    path = sqlite_desk.target.path
    sqlite_desk.close()  # (the WAL checkpointed into the file)
    page = _damage_a_page_of(path, "incident", at, data)  # the backup API copies pages as they are
    result = run_cli_here("--db", path, "backup", "--force", str(nightly))
    err = result.stderr.decode()
    assert result.returncode == 1, err
    assert "the copy failed its integrity check" in err, err
    assert any(s.format(page=page) in err for s in said), err  # in the check's own words
    assert "nothing was written" in err
    assert nightly.read_bytes() == kept  # the last good backup is still there, whole
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".nightly")) == []  # no partial left
