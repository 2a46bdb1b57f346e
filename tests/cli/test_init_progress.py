"""`desk init` on a big database says what it is doing; a quick one says nothing extra."""

from __future__ import annotations

from desk.commands import admin


def test_upgrade_steps_are_named_in_the_users_language(capsys):
    progress = admin._Progress("en", labels="schema.step")
    progress(3, 0, 1_000_000)
    progress(3, 500_000, 1_000_000)
    zh = admin._Progress("zh", labels="schema.step")
    zh(3, 0, 10)
    err = capsys.readouterr().err.splitlines()
    assert err[0] == "title search index: 0/1000000" and err[1] == "title search index: 500000/1000000"
    assert "title search" not in err[2] and err[2].endswith(": 0/10")


def test_nothing_is_shown_for_work_quicker_than_the_quiet_time(capsys):
    progress = admin._Progress("en", labels="schema.step", quiet_for=60)
    progress(1, 0, 1)
    progress(1, 1, 1)
    assert capsys.readouterr().err == ""
