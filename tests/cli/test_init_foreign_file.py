"""`desk init` on a SQLite file that holds another program's tables refuses in one line (which file,
that its tables are not desk's, the first few names; exit 2), nothing written, unless `--force`. An
empty file, a new one, and a desk database of any schema version are initialised or upgraded."""

from __future__ import annotations

import sqlite3

from reliability.helpers import run_cli_here

TABLES = ["accounts", "invoices", "ledger", "payments", "suppliers", "vat_rates", "x_audit"]


def _foreign(path) -> None:
    with sqlite3.connect(path) as con:
        for name in TABLES:
            con.execute(f"CREATE TABLE {name} (id INTEGER PRIMARY KEY, note TEXT)")


def _tables(path) -> set[str]:
    with sqlite3.connect(path) as con:
        return {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_a_file_of_another_program_is_refused_in_one_line_and_left_as_it_was(tmp_path):
    path = tmp_path / "books.db"
    _foreign(path)
    out = run_cli_here("init", db=str(path))
    err = out.stderr.decode()
    assert out.returncode == 2 and err.count("\n") == 1, err
    assert str(path) in err and "not desk's" in err and "`accounts`" in err and "and 2 more" in err
    assert "--force" in err
    assert _tables(path) == set(TABLES)


def test_the_refusal_in_chinese(tmp_path):
    path = tmp_path / "books.db"
    _foreign(path)
    out = run_cli_here("--lang", "zh", "init", db=str(path))
    assert out.returncode == 2 and "不属于 desk" in out.stderr.decode(), out.stderr.decode()


def test_force_adds_desk_s_tables_beside_them(tmp_path):
    path = tmp_path / "books.db"
    _foreign(path)
    out = run_cli_here("init", "--force", db=str(path))
    assert out.returncode == 0, out.stderr.decode()
    assert set(TABLES) < _tables(path) and "incident" in _tables(path)


def test_an_empty_file_a_new_one_and_a_desk_database_are_fine(tmp_path):
    empty = tmp_path / "empty.db"
    empty.write_bytes(b"")
    assert run_cli_here("init", db=str(empty)).returncode == 0
    assert "incident" in _tables(empty)
    again = run_cli_here("init", db=str(empty))  # a desk database: upgraded or current
    assert again.returncode == 0, again.stderr.decode()
    new = tmp_path / "new.db"
    assert run_cli_here("init", db=str(new)).returncode == 0


def test_init_says_how_many_catalogue_services_it_loaded(tmp_path):
    """(It said "loaded 58 codes, 9 groups, set() catalogue services": the services it loaded were
    overwritten by the services whose calendar changed.)"""
    out = run_cli_here("init", db=str(tmp_path / "new.db")).stdout.decode()
    assert "12 catalogue services" in out, out
