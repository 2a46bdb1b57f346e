"""SQL compiled once per database handle (desk.services.compiled): each query under its own key,
built once per handle and again for another handle (another desk: another backend's placeholders),
and a caller binding the wrong number of values refused by name rather than run against a text
kept for something else (issue 19: each rule fails a test when broken)."""

from __future__ import annotations

import dataclasses

import pytest

from desk.models import Agent, Group
from desk.services.compiled import compiled, fetch_all, fetch_fixed, fetch_one


def _agent_by_login():
    return Agent.select(Agent.id, Agent.login).where(Agent.login == "")


def _group_by_code():
    return Group.select(Group.id, Group.code).where(Group.code == "")


def test_each_key_runs_its_own_query(desk):
    assert fetch_one(desk, "t.agent", _agent_by_login, ("li",))[1] == "li"
    assert fetch_one(desk, "t.group", _group_by_code, ("network",))[1] == "network"
    assert fetch_all(desk, "t.agent", _agent_by_login, ("zhao",))[0][1] == "zhao"
    assert fetch_all(desk, "t.group", _group_by_code, ("systems",))[0][1] == "systems"


def test_each_fixed_key_runs_its_own_query_with_its_own_values(desk):
    chen = fetch_fixed(desk, "t.chen", lambda: Agent.select(Agent.login).where(Agent.login == "chen"))
    wang = fetch_fixed(desk, "t.wang", lambda: Agent.select(Agent.login).where(Agent.login == "wang"))
    assert (chen, wang) == ([("chen",)], [("wang",)])


def test_a_query_is_built_once_per_handle_and_again_for_another_handle(desk):
    built = []

    def build():
        built.append(1)
        return _agent_by_login()

    fixed = []

    def build_fixed():
        fixed.append(1)
        return Agent.select(Agent.login).where(Agent.login == "li")

    for _ in range(3):
        assert fetch_one(desk, "t.count", build, ("li",))[1] == "li"
        assert fetch_fixed(desk, "t.count_fixed", build_fixed) == [("li",)]
    assert (len(built), len(fixed)) == (1, 1)
    other = dataclasses.replace(desk, cache={})  # another desk handle (its own backend, its own text)
    assert fetch_one(other, "t.count", build, ("li",))[1] == "li"
    assert fetch_fixed(other, "t.count_fixed", build_fixed) == [("li",)]
    assert (len(built), len(fixed)) == (2, 2)


@pytest.mark.parametrize("given", [0, 2])
def test_binding_another_number_of_values_than_the_kept_text_takes_is_refused(desk, given):
    compiled(desk, "t.one", _agent_by_login, 1)
    with pytest.raises(ValueError, match="'t.one' takes 1 parameters, %d given" % given):
        compiled(desk, "t.one", _agent_by_login, given)
    with pytest.raises(ValueError, match="takes 1 parameters"):
        fetch_one(desk, "t.one", _group_by_code, ("network", "extra")[:given] if given else ())
