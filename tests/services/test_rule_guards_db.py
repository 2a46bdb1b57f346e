"""The rules of tests/domain/test_rule_guards.py through the real database and the command line
(issue 19): each test fails when its rule is removed or inverted anywhere on the way."""

import json
from datetime import timedelta

import pytest

from desk import cli
from desk.domain.errors import InvalidTransition, NotAllowed
from desk.models import Incident, Refusal
from desk.services import incidents

FORBIDDEN = [chr(c) for c in (*range(0x80, 0xA0), 0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F),
                              *range(0x2066, 0x206A))]


def new(desk, login="li", **kw):
    args = {"title": "Core switch down", "caller": "Zhang Wei", "impact": 1, "urgency": 1, "category": "network"}
    args.update(kw)
    return incidents.create(desk, login, **args)


def run_cli(capsys, db_url, *args):
    """`desk ARGS` in this process (fast: no interpreter start), stdout and the exit code."""
    capsys.readouterr()
    code = cli.main(["--db", db_url, *args])
    return code, capsys.readouterr().out


def _version(iid):
    return Incident.get_by_id(iid).version


# 1
def test_new_incident_stores_impact_and_urgency_each_in_its_own_field(desk, db_url, capsys):
    inc = new(desk, impact=1, urgency=3)
    assert (inc.impact, inc.urgency) == (1, 3)
    got = incidents.get(desk, inc.id)
    assert (got.impact, got.urgency) == (1, 3)
    desk.close()
    code, out = run_cli(capsys, db_url, "incident", "new", "--title", "VPN slow", "--impact", "3", "--urgency", "1",
                        "--json")
    assert code == 0
    created = json.loads(out)
    assert (created["impact"], created["urgency"]) == (3, 1)
    code, out = run_cli(capsys, db_url, "incident", "show", str(created["id"]), "--json")
    assert (json.loads(out)["impact"], json.loads(out)["urgency"]) == (3, 1)


# 2
def test_returning_to_a_group_of_the_same_tier_is_refused_and_writes_nothing(desk):
    inc = new(desk)
    inc = incidents.escalate(desk, "li", inc.id, to="network", reason="L2 please")
    with pytest.raises(InvalidTransition):
        incidents.return_(desk, "wang", inc.id, to="systems", reason="not ours")
    got = incidents.get(desk, inc.id)
    assert (got.group, got.tier, got.version) == ("network", 2, inc.version)
    back = incidents.return_(desk, "wang", inc.id, reason="not ours")
    assert (back.group, back.tier) == ("desk", 1)


# 3
def test_a_second_start_is_refused_and_writes_nothing(desk):
    inc = new(desk)
    inc = incidents.start(desk, "li", inc.id)
    assert (inc.status, inc.assignee) == ("in_progress", "li")
    with pytest.raises(InvalidTransition):
        incidents.start(desk, "li", inc.id)
    assert _version(inc.id) == inc.version
    assert [h.action for h in incidents.get(desk, inc.id).history] == ["create", "start"]


# 4
def test_second_line_cannot_start_an_incident_of_another_group(desk):
    inc = new(desk)
    inc = incidents.escalate(desk, "li", inc.id, to="systems", reason="server side")
    with pytest.raises(NotAllowed):
        incidents.start(desk, "wang", inc.id)  # wang is in network
    assert _version(inc.id) == inc.version
    refusal = Refusal.select().order_by(Refusal.id.desc()).first()
    assert (refusal.action, refusal.entity_id) == ("incident.start", inc.id)
    assert incidents.start(desk, "chen", inc.id).assignee == "chen"  # systems' own agent may


# 5 and 6
def test_show_and_list_never_print_c1_or_bidi_controls(desk, db_url, capsys):
    hostile = "x".join(FORBIDDEN)
    inc = new(desk, title="T" + hostile, caller="C" + hostile, description=hostile)
    incidents.note(desk, "li", inc.id, text=hostile)
    assert incidents.get(desk, inc.id).title == "T" + hostile  # stored as given
    desk.close()
    for args in (("incident", "show", str(inc.id)), ("incident", "list", "--view", "all"),
                 ("incident", "show", str(inc.id), "--json")):
        code, out = run_cli(capsys, db_url, *args)
        assert code == 0
        leaked = sorted({f"U+{ord(ch):04X}" for ch in out if ch in FORBIDDEN})
        assert leaked == [], (args, leaked)


# 7
def test_an_incident_resolved_after_its_target_shows_breached(desk, db_url, clock, capsys):
    late = new(desk)  # priority 1: 240 minutes
    early = new(desk)
    clock.advance(hours=3, minutes=30)
    incidents.resolve(desk, "li", early.id, code="fixed", note="in time")
    clock.advance(hours=1)
    incidents.resolve(desk, "li", late.id, code="fixed", note="too late")
    desk.close()
    states = {}
    for iid in (late.id, early.id):
        code, out = run_cli(capsys, db_url, "incident", "show", str(iid), "--json")
        assert code == 0
        states[iid] = json.loads(out)["sla"]
    assert states[late.id]["state"] == "breached" and states[late.id]["remaining_seconds"] < 0
    assert states[early.id]["state"] == "met" and states[early.id]["remaining_seconds"] > 0


def test_second_line_cannot_escalate_or_return_an_incident_of_another_group(desk):
    inc = new(desk)
    inc = incidents.escalate(desk, "li", inc.id, to="systems", reason="server side")
    with pytest.raises(NotAllowed):
        incidents.escalate(desk, "wang", inc.id, to="vendor-net", reason="vendor please")
    with pytest.raises(NotAllowed):
        incidents.return_(desk, "wang", inc.id, reason="not ours")
    with pytest.raises(NotAllowed):
        incidents.assign(desk, "wang", inc.id, to="me")
    assert _version(inc.id) == inc.version
    assert [r.reason for r in Refusal.select().order_by(Refusal.id)][-3:] == ["error.not_your_group"] * 3
    assert incidents.return_(desk, "chen", inc.id, reason="not ours").group == "desk"
