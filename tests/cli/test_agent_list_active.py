"""`desk agent list` says of every agent whether it is active (walkD): the column headed "Active"
was blank for every active agent, so a list of active agents read as a column with nothing in it."""

from __future__ import annotations

import pytest

from desk import cli
from desk.i18n import t
from desk.services import agents


@pytest.fixture
def run(desk, db_url, capsys):
    def call(*args: str, lang: str = "en") -> str:
        capsys.readouterr()
        assert cli.main(["--db", db_url, *args, "--lang", lang]) == 0, capsys.readouterr().err
        return capsys.readouterr().out
    return call


def _line(out: str, login: str) -> str:
    return next(line for line in out.splitlines() if line.startswith(login + " "))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_active_and_inactive_agents_both_say_so(desk, run, lang):
    agents.save_agent(desk, "admin", agent_login="zhao", active=False)
    out = run("agent", "list", lang=lang)
    assert _line(out, "li").rstrip().endswith(t("agent.active", lang))
    assert _line(out, "zhao").rstrip().endswith(t("agent.inactive", lang))
    assert out.splitlines()[0].rstrip().endswith(t("col.active", lang))
