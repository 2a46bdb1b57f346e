"""What the database or the system said (sqlite3's, psycopg2's, an OSError's English) stood bare in a
translated sentence: "无法打开数据库 x：file is not a database". It is now quoted as their own words
inside a whole sentence of desk's (desk/system_words.py), kept verbatim, with the exit codes as before."""

from __future__ import annotations

import errno
import re

import pytest
from peewee import OperationalError

from desk.cli import main
from desk.domain.errors import NotFound
from desk.i18n import catalogue
from desk.system_words import failure_text, own_words, said

# message -> the parameter that holds the database's or the system's words
QUOTED = {"error.db_unavailable": "why", "error.db_error": "why", "ops.check.problem.integrity": "detail",
          "ops.backup.bad_copy": "detail", "ops.check.problem.search_broken": "detail",
          "transfer.import.integrity": "why", "config.os.said": "detail"}


@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("key", sorted(QUOTED))
def test_the_system_s_words_stand_quoted_as_its_own(key, lang):
    template = catalogue(lang)[key]
    assert f"“{{{QUOTED[key]}}}”" in template
    assert re.search("own words|原话", template), template  # (the reader is told whose words they are)


def test_a_file_that_is_not_a_database_is_said_in_chinese_with_sqlite_s_words_quoted(capsys, tmp_path):
    path = tmp_path / "garbage.db"
    path.write_bytes(b"not a database at all, " * 200)
    assert main(["--db", str(path), "--lang", "zh", "incident", "list"]) == 3
    assert capsys.readouterr().err == f"desk: 无法打开数据库 {path}；数据库的原话：“file is not a database”\n"


def test_a_database_error_met_while_working_is_one_sentence_and_exit_3(capsys, monkeypatch):
    from desk.commands import admin

    def broken(args):
        raise OperationalError("no such table: incident\nLINE 1: SELECT ...")

    monkeypatch.setattr(admin, "cmd_codes", broken)
    assert main(["--lang", "zh", "codes"]) == 3
    assert capsys.readouterr().err == "desk: 数据库报告了错误，未再做任何操作；数据库的原话：“no such table: incident”\n"
    assert main(["--lang", "en", "codes"]) == 3
    assert capsys.readouterr().err == ("desk: the database reported an error and nothing more was done; "
                                       "in its own words: “no such table: incident”\n")


def test_own_words_are_the_first_line_or_the_error_s_name():
    assert own_words(OperationalError("database is locked\nHINT: wait")) == "database is locked"
    assert own_words(OperationalError("")) == "OperationalError"
    assert "\x1b" not in own_words(OperationalError("a\x1b[2Jb"))  # (never acts on the terminal)


def test_an_os_error_desk_knows_is_said_in_its_words_and_another_quoted():
    assert said(OSError(errno.ENOSPC, "No space left on device")).text("zh") == "磁盘已满"
    assert said(OSError(errno.EIO, "Input/output error")).text("zh") == "系统的原话：“Input/output error”"
    assert said(OSError(errno.EIO, "Input/output error")).text("en") == "in the system's own words: “Input/output error”"


def test_a_screen_says_desk_s_refusal_in_its_words_and_a_driver_s_error_quoted():
    assert failure_text(NotFound(kind="incident", id=7), "zh") == NotFound(kind="incident", id=7).message("zh")
    assert failure_text(OperationalError("database is locked"), "zh") == "系统的原话：“database is locked”"


def test_a_migration_whose_codes_cannot_be_saved_says_why_in_the_reader_s_words(monkeypatch, tmp_path):
    from desk.services import code_tables
    from desk.services.transfer import migrate
    from desk.services.transfer.source import MigrationRefused

    def unwritable(config, added):
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(code_tables, "add_entries", unwritable)
    monkeypatch.setattr(code_tables, "user_file", lambda config: tmp_path / "config.toml")
    with pytest.raises(MigrationRefused) as caught:
        migrate._save_codes(None, [("category", {"code": "mainframe"})])
    assert "（系统的原话：“Input/output error”）" in caught.value.message("zh")


@pytest.mark.parametrize("lang, said_", [("en", "Its details could not be written to a crash log (you may not open it (permission denied))"),
                                        ("zh", "无法把详情写入崩溃日志（无权打开（权限不足））")])
def test_an_unexpected_error_whose_crash_log_cannot_be_written_says_why_in_the_reader_s_words(
        capsys, monkeypatch, tmp_path, lang, said_):
    """(it said "(could not write a crash log)" in English where the log's path goes)"""
    from desk.commands import admin

    def broken(args):
        raise RuntimeError("a bug")

    def unwritable(path, *args, **kwargs):
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(admin, "cmd_codes", broken)
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path / "state"))
    monkeypatch.setattr("builtins.open", unwritable)
    assert main(["--lang", lang, "codes"]) == 70
    err = capsys.readouterr().err
    assert "RuntimeError" in err and said_ in err and "could not write a crash log" not in err
