"""A SQLite database another program holds a write on (the sqlite3 shell, a script, a desk of an older
version) past the busy timeout: every command says the same one line, "the database is busy …
nothing was changed, try again", exit 3. Before, `desk import` and `desk migrate` (whose writes do not
go through the record services) said "the database reported an error …: “database is locked”":
true, but not the words every other command uses for the same situation, nor that trying again helps."""

from __future__ import annotations

import gzip
import sqlite3
from pathlib import Path

from conftest import make_desk
from reliability.helpers import run_cli_here

BUSY = "desk: the database is busy (another writer held it too long): nothing was changed, try again"
BPIC = Path("/work/shared/data/bpic2014_sample_incident.csv.gz")


def _held(db: str) -> sqlite3.Connection:
    """Another program's connection in the middle of a write transaction."""
    holder = sqlite3.connect(db, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    holder.execute("UPDATE agent SET name = name WHERE id = 1")
    return holder


def test_every_write_on_a_held_database_says_busy(tmp_path, clock):
    db = str(tmp_path / "d.db")
    make_desk(db, clock).close()
    (tmp_path / "short.toml").write_text("[desk]\nbusy_timeout_ms = 100\n")
    config = ("--config", str(tmp_path / "short.toml"))
    export = str(tmp_path / "e.jsonl")
    assert run_cli_here("export", "--out", export, db=db).returncode == 0
    other = str(tmp_path / "other.db")
    make_desk(other, clock).close()
    ticket = run_cli_here("incident", "new", "--title", "VPN drops", *config, db=other)
    assert ticket.returncode == 0
    assert run_cli_here("export", "--out", export, *config, db=other).returncode == 0
    rows = gzip.decompress(BPIC.read_bytes()).decode().splitlines()[:4] if BPIC.exists() else []
    holder = _held(db)
    try:
        runs = {
            "import": run_cli_here("import", export, *config, db=db),
            "note": run_cli_here("incident", "new", "--title", "x", *config, db=db),
        }
        if rows:
            csv = tmp_path / "few.csv"
            csv.write_text("\n".join(rows) + "\n")
            runs["migrate"] = run_cli_here("migrate", "--from", "csv", "--mapping", "bpic2014", str(csv), *config,
                                           db=db)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    for name, run in runs.items():
        assert (name, run.returncode, run.stderr.decode().strip().splitlines()[-1:]) == (name, 3, [BUSY])


def test_the_busy_words_in_chinese(tmp_path, clock):
    db = str(tmp_path / "d.db")
    make_desk(db, clock).close()
    (tmp_path / "short.toml").write_text("[desk]\nbusy_timeout_ms = 100\n")
    export = str(tmp_path / "e.jsonl")
    assert run_cli_here("export", "--out", export, db=db).returncode == 0
    holder = _held(db)
    try:
        run = run_cli_here("import", export, "--lang", "zh", "--config", str(tmp_path / "short.toml"), db=db)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert run.returncode == 3 and "database is locked" not in run.stderr.decode()
    from desk.i18n import t

    assert run.stderr.decode().strip().endswith(t("error.db_busy", "zh"))
