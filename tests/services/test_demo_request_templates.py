"""A demo request played from its path's template (desk.services.demo.request_templates) gives the
rows a full play through the services' planners gives (request_life.Player), row for row, hashes
included; and what a planner checked against the dates is checked again for each request, so a
script the planner refuses is refused from a template too."""

from __future__ import annotations

import random

import pytest

from desk.domain.errors import DeskError
from desk.services import demo
from desk.services.demo import request_plan, request_templates
from desk.services.demo.request_life import Player
from desk.services.demo.request_story import script
from desk.services.demo.request_templates import Templates

SEED, DAYS = 11, 60


@pytest.fixture
def plan(desk):
    demo.generate(desk, incidents=60, seed=SEED, days=DAYS)
    made = request_plan.make_plan(desk, requests=1500, seed=SEED, days=DAYS, now=desk.now().replace(microsecond=0),
                                  first_id=10_000)
    assert len(made.approvers) >= 2 and made.delegations  # substitutes decide now and then
    return made


def _scripts(plan) -> list:
    rng = random.Random(f"desk-demo:{plan.seed}:{plan.first_id}:requests:0")
    return [script(plan, rng, k) for k in range(plan.n)]


def test_a_request_played_from_its_template_is_the_request_the_planners_make(plan):
    scripts = _scripts(plan)
    full, templated = Player(plan), Player(plan)
    play = Templates(templated).play
    for k, steps in enumerate(scripts):
        full.play(plan.first_id + k, steps)
        play(plan.first_id + k, steps)
    found = request_templates._FOUND[1]
    assert len(found) < len(scripts) // 2 and all(found.values())  # most requests came from a template
    actions = {action for steps in scripts for _, action, _, _ in steps}
    assert {"return", "approve", "reject", "confirm_cost", "callback", "close", "auto_close", "cancel"} <= actions
    assert any(row[5] not in (None, row[3]) for row in full.approvals)  # a substitute decided
    for (table, _, expected), (_, _, got) in zip(full.rows(), templated.rows()):
        assert [tuple(r) for r in got] == [tuple(r) for r in expected], table


def _first(scripts, wanted):
    return next(steps for steps in scripts if wanted(steps))


def test_an_auto_close_before_it_is_due_is_refused_from_a_template_too(plan):
    scripts = _scripts(plan)
    steps = _first(scripts, lambda s: s[-1][1] == "auto_close")
    templated = Player(plan)
    Templates(templated).play(1, steps)  # the path's template, from a script that is due
    resolved = next(offset for offset, action, _, _ in steps if action == "resolve")
    early = [*steps[:-1], (resolved + 60, *steps[-1][1:])]  # the same path, a minute after resolving
    with pytest.raises(DeskError) as full:
        Player(plan).play(2, early)
    with pytest.raises(DeskError) as got:
        Templates(Player(plan)).play(2, early)
    assert got.value.key == full.value.key == "request.error.not_due"


def test_a_substitute_deciding_outside_the_absence_is_refused_from_a_template_too(plan):
    scripts = _scripts(plan)
    full = Player(plan)
    decided = [steps for steps in scripts if any(a in ("approve", "reject") for _, a, _, _ in steps)]
    for k, steps in enumerate(decided):
        full.play(k, steps)
    behalf = {row[0] for row in full.approvals if row[5] is not None and row[5] != row[3]}
    steps = decided[min(behalf)]  # a substitute decides in the approver's place
    Templates(Player(plan)).play(1, steps)
    nobody_away = Player(plan, delegations=[])  # the same path, on a desk where nobody was away
    with pytest.raises(DeskError) as refused:
        Player(plan, delegations=[]).play(2, steps)
    with pytest.raises(DeskError) as got:
        Templates(nobody_away).play(2, steps)
    assert got.value.key == refused.value.key == "request.error.not_your_approval"


def test_a_path_says_which_people_share_a_group(plan):
    """Two handlers of one group and two of two groups are different paths (a dispatch between
    them changes the group or not), though every step is the same."""
    (l1, *_), (l2a, l2b, *_) = plan.l1, plan.l2
    agents = dict(plan.agents)
    script_ = [(0, "create", l1, {"service": None, "priority": 3}), (60, "accept", l1, {}),
               (120, "dispatch", l1, {"to": l2a}), (180, "dispatch", l1, {"to": l2b})]
    apart = {**agents, l2a: (agents[l2a][0], 901), l2b: (agents[l2b][0], 902)}
    together = {**agents, l2a: (agents[l2a][0], 901), l2b: (agents[l2b][0], 901)}
    keys = [request_templates._path(Player(plan, agents=a, groups={901: "x", 902: "y"}), script_)[0]
            for a in (apart, together, apart)]
    assert keys[0] != keys[1] and keys[0] == keys[2]


def test_a_desk_whose_logins_have_other_ids_gets_its_own_ids(plan):
    """What a process knows of one plan's people (their ids, their groups) is never used for
    another plan's: the same logins on another desk are other agents."""
    from dataclasses import replace

    scripts = _scripts(plan)[:200]
    Templates(Player(plan)).play(1, scripts[0])  # this process has met the first plan's people
    other = replace(plan, agents={login: (agent_id + 1000, group) for login, (agent_id, group) in plan.agents.items()},
                    delegations=())
    full, templated = Player(other), Player(other)
    play = Templates(templated).play
    for k, steps in enumerate(scripts):
        full.play(k, steps)
        play(k, steps)
    for (table, _, expected), (_, _, got) in zip(full.rows(), templated.rows()):
        assert [tuple(r) for r in got] == [tuple(r) for r in expected], table
