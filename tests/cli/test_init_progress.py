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


def test_every_schema_step_has_a_name_in_both_languages():
    """Progress named "schema.step.9" (a raw key) on a PostgreSQL init: steps 4-12 had no name,
    and step 6's name was the catalogue's (which became step 10)."""
    from desk.i18n import catalogue
    from desk.services.schema import STEPS

    for lang in ("en", "zh"):
        known = catalogue(lang)
        assert [n for n in STEPS if f"schema.step.{n}" not in known] == [], lang
    assert known["schema.step.10"] == "服务目录" and known["schema.step.6"] == "服务请求"
