"""Opening a desk (issue 19, tools/mutants/services_context.toml): who desk takes you to be and
where it got that from (the refusal names it), the language asked for, and a database that is not
there refused rather than created when a command needs an existing one."""

from __future__ import annotations

import getpass

import pytest

from desk.domain.errors import DatabaseUnavailable, UnknownUser
from desk.services import actors
from desk.services.context import open_desk


def refusal(desk) -> str:
    with pytest.raises(UnknownUser) as refused:
        actors.resolve(desk)
    return refused.value.message("en")


def test_desk_user_names_who_you_are_and_the_refusal_says_so(desk, db_url, clock, monkeypatch):
    monkeypatch.setenv("DESK_USER", "stranger")
    opened = open_desk(db_url, desk.config, clock=clock)
    assert (opened.user, opened.user_from) == ("stranger", "env")
    assert "'stranger' (from DESK_USER)" in refusal(opened)
    monkeypatch.setenv("DESK_USER", "li")
    assert actors.resolve(open_desk(db_url, desk.config, clock=clock)).login == "li"


def test_without_desk_user_you_are_your_login_name(desk, db_url, clock, monkeypatch):
    monkeypatch.delenv("DESK_USER", raising=False)
    monkeypatch.setattr(getpass, "getuser", lambda: "visitor")
    opened = open_desk(db_url, desk.config, clock=clock)
    assert (opened.user, opened.user_from) == ("visitor", "os")
    assert "'visitor' (your login name)" in refusal(opened)


def test_a_login_given_by_the_caller_is_named_as_given(desk, db_url, clock, monkeypatch):
    monkeypatch.setenv("DESK_USER", "li")
    opened = open_desk(db_url, desk.config, clock=clock, user="ghost")
    assert (opened.user, opened.user_from) == ("ghost", "given")
    assert "'ghost' (the login given)" in refusal(opened)


def test_no_login_name_at_all_is_an_unknown_user_not_a_traceback(desk, db_url, clock, monkeypatch):
    monkeypatch.delenv("DESK_USER", raising=False)

    def no_passwd_entry():
        raise KeyError("getpwuid(): uid not found: 1234")

    monkeypatch.setattr(getpass, "getuser", no_passwd_entry)
    with pytest.raises(UnknownUser) as refused:
        open_desk(db_url, desk.config, clock=clock)
    assert "'?'" in refused.value.message("en")


def test_the_language_asked_for_wins_over_the_config(desk, db_url, clock, monkeypatch):
    monkeypatch.delenv("DESK_LANG", raising=False)
    desk.config.data["desk"] = {**desk.config.data.get("desk", {}), "lang": "en"}
    assert open_desk(db_url, desk.config, clock=clock, user="li", lang="zh").lang == "zh"


def test_a_missing_database_is_refused_not_created_when_it_must_exist(tmp_path, clock):
    path = tmp_path / "typo.db"
    with pytest.raises(DatabaseUnavailable) as refused:
        open_desk(str(path), clock=clock, user="admin", create=False)
    assert refused.value.key == "error.no_database" and str(path) in refused.value.message("en")
    assert not path.exists()
