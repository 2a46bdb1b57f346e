"""Domain rules that once survived a deliberate one-line bug (issue 19): each test here fails when
its rule is removed or inverted. The mutants that check this are in tools/mutants/*.toml."""

from datetime import datetime, timedelta

import pytest

from desk.domain import incident_flow as flow
from desk.domain.errors import InvalidTransition, ValidationError
from desk.domain.permissions import GROUP_SCOPED, may_touch
from desk.domain.priority import PriorityMatrix
from desk.domain.sla import BREACHED, MET, Targets, sla_state
from desk.domain.text import neutralise, one_line

NOW = datetime(2026, 11, 2, 12, 0)  # a Monday, inside any business day
L1_DESK = flow.GroupRef(1, 1, "desk")
L2_NET = flow.GroupRef(2, 2, "l2")
L2_SYS = flow.GroupRef(4, 2, "l2")
VENDOR = flow.GroupRef(3, 3, "vendor")


# 1. impact and urgency are two axes: the matrix reads rows by impact, columns by urgency.
def test_priority_reads_impact_as_the_row_and_urgency_as_the_column():
    m = PriorityMatrix(((1, 2, 2), (2, 3, 3), (3, 4, 4)))  # not symmetric
    assert m.priority(impact=1, urgency=3) == 2
    assert m.priority(impact=3, urgency=1) == 3
    with pytest.raises(ValidationError):
        PriorityMatrix(((1, 2, 3),)).priority(impact=2, urgency=1)  # one impact level only


# 2. a return goes to a lower tier: never the same tier, never up.
@pytest.mark.parametrize("tier,target", [(2, L2_SYS), (2, VENDOR), (3, VENDOR)])
def test_return_to_the_same_or_a_higher_tier_is_refused(tier, target):
    held = flow.IncidentState(flow.ASSIGNED, tier=tier, group_id=2 if tier == 2 else 3)
    with pytest.raises(InvalidTransition):
        flow.plan_return(held, NOW, target, "not ours")


def test_return_one_tier_down_is_accepted():
    held = flow.IncidentState(flow.ASSIGNED, tier=3, group_id=3)
    changes = flow.plan_return(held, NOW, L2_NET, "vendor needs site access")
    assert (changes["status"], changes["tier"], changes["group_id"]) == (flow.ASSIGNED, 2, 2)
    assert changes["assignee_id"] is None and changes["_note"] == "vendor needs site access"


# 3. a second start by the agent already working it is refused; someone else may take it over.
def test_starting_twice_is_refused():
    working = flow.IncidentState(flow.IN_PROGRESS, assignee_id=9)
    with pytest.raises(InvalidTransition):
        flow.plan_start(working, NOW, 9)
    assert flow.plan_start(working, NOW, 5)["assignee_id"] == 5


# 4. second line and vendors start (and otherwise work) only incidents of their own group.
@pytest.mark.parametrize("role", ["l2", "vendor"])
def test_starting_another_groups_incident_is_out_of_scope(role):
    assert "incident.start" in GROUP_SCOPED
    assert not may_touch({role}, "incident.start", 5, 6)
    assert not may_touch({role}, "incident.start", None, 6)
    assert may_touch({role}, "incident.start", 6, 6)


# 5 and 6. every control character a terminal could act on is neutralised, each one of them.
C0 = [c for c in range(0x20) if c not in (0x09, 0x0A)]
C1 = list(range(0x80, 0xA0))
BIDI = [0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)]


@pytest.mark.parametrize("code", C0 + [0x7F] + C1 + BIDI, ids=lambda c: f"U+{c:04X}")
def test_each_control_character_is_neutralised(code):
    raw = f"a{chr(code)}b"
    for out in (neutralise(raw), one_line(raw)):
        assert len(out) == 3 and out[0] == "a" and out[2] == "b"
        assert out[1] != chr(code)
        assert out[1] == ("\ufffd" if code >= 0x80 else chr(0x2421) if code == 0x7F else chr(0x2400 + code))


def test_one_line_truncates_only_past_the_limit():
    assert one_line("12345", 5) == "12345"
    assert one_line("123456", 5) == "1234…" and len(one_line("123456", 5)) == 5


def test_harmless_neighbours_of_the_ranges_are_kept():
    kept = "\u00a0\u00e9\u200b\u200d\u2029\u202f\u2060\u206a\ufeff中文"
    assert neutralise(kept) == kept


# 7. resolving after the resolution target is a breach, however the clock is counted.
P1 = Targets(response_minutes=15, resolve_minutes=240)
OPENED = datetime(2026, 11, 2, 9, 0)  # Monday 09:00: the target (4 h) falls at 13:00 on any calendar


def test_resolved_after_the_target_is_breached_not_met():
    late = sla_state(OPENED, OPENED + timedelta(days=1), P1, resolved_at=OPENED + timedelta(hours=4, minutes=30))
    assert late.state == BREACHED
    assert late.remaining is not None and late.remaining < timedelta(0)
    early = sla_state(OPENED, OPENED + timedelta(days=1), P1, resolved_at=OPENED + timedelta(hours=3, minutes=30))
    assert early.state == MET
    assert early.remaining is not None and early.remaining > timedelta(0)


# --- the rest of the incident state machine (tools/mutants/domain_incident_flow.toml) -------------

CODES = frozenset({"fixed", "workaround"})


def _refused(key, call, *args):
    with pytest.raises((InvalidTransition, ValidationError)) as err:
        call(*args)
    assert err.value.key == key, err.value.key  # the message says why, not some other rule's reason
    return err.value


def test_an_assignment_names_an_agent_or_a_group():
    _refused("error.assign_target", flow.plan_assign, flow.IncidentState(flow.NEW), NOW, None, None)


def test_assigning_to_a_group_alone_clears_the_assignee():
    held = flow.IncidentState(flow.IN_PROGRESS, tier=1, group_id=1, assignee_id=9)
    changes = flow.plan_assign(held, NOW, None, flow.GroupRef(5, 1, "desk"))
    assert (changes["group_id"], changes["assignee_id"], changes["status"]) == (5, None, flow.ASSIGNED)


def test_nothing_above_the_vendor_and_nothing_below_the_desk():
    _refused("error.top_tier", flow.plan_escalate, flow.IncidentState(flow.ASSIGNED, tier=3, group_id=3), NOW,
             VENDOR, "still broken")
    _refused("error.bottom_tier", flow.plan_return, flow.IncidentState(flow.ASSIGNED, tier=1, group_id=1), NOW,
             L1_DESK, "not ours")


def test_hierarchical_escalation_needs_a_reason_and_raises_the_level_each_time():
    s = flow.IncidentState(flow.ASSIGNED, escalation_level=0)
    _refused("error.required", flow.plan_escalate_hierarchical, s, NOW, "  ")
    first = flow.plan_escalate_hierarchical(s, NOW, "P1 over an hour")
    assert first == {"escalation_level": 1, "_note": "P1 over an hour"}
    again = flow.plan_escalate_hierarchical(s._replace(escalation_level=1), NOW, "two hours")
    assert again["escalation_level"] == 2


def test_resolving_and_closing_without_a_code_say_the_code_is_required():
    _refused("error.required", flow.plan_resolve, flow.IncidentState(flow.IN_PROGRESS), NOW, 9, None, "note", CODES)
    _refused("error.required", flow.plan_resolve, flow.IncidentState(flow.IN_PROGRESS), NOW, 9, "", "note", CODES)
    no_code = flow.IncidentState(flow.RESOLVED, resolved_at=NOW - timedelta(days=5), confirmed_at=NOW)
    _refused("error.required", flow.plan_close, no_code, NOW, None, CODES, 3)


def test_a_resolution_records_who_and_which_group_and_asks_for_a_new_confirmation():
    # An incident open again with an old confirmation (e.g. data from another tool) must be confirmed again.
    s = flow.IncidentState(flow.IN_PROGRESS, tier=2, group_id=4, confirmed_at=NOW - timedelta(days=1))
    changes = flow.plan_resolve(s, NOW, 9, "fixed", "replaced the fan", CODES)
    assert (changes["resolved_by_id"], changes["resolved_group_id"], changes["confirmed_at"]) == (9, 4, None)
    with pytest.raises(InvalidTransition):
        flow.plan_close(flow.IncidentState(flow.RESOLVED, resolved_at=NOW, closure_code="fixed",
                                           confirmed_at=changes["confirmed_at"]), NOW, None, CODES, 3)


def test_a_negative_auto_confirm_days_means_silence_never_confirms():
    old = flow.IncidentState(flow.RESOLVED, resolved_at=NOW - timedelta(days=400), closure_code="fixed")
    assert not flow.auto_confirmable(old, NOW, -1)
    _refused("error.not_confirmed", flow.plan_close, old, NOW, None, CODES, -1)
    assert flow.auto_confirmable(old, NOW, 0)


def test_closing_records_when():
    confirmed = flow.IncidentState(flow.RESOLVED, resolved_at=NOW - timedelta(hours=1), closure_code="fixed",
                                   confirmed_at=NOW - timedelta(minutes=5))
    assert flow.plan_close(confirmed, NOW, None, CODES, 3) == {"status": flow.CLOSED, "closed_at": NOW}


@pytest.mark.parametrize("blank", [None, "", "  \n\t"])
def test_a_note_needs_text(blank):
    _refused("error.required", flow.plan_note, flow.IncidentState(flow.ASSIGNED), NOW, blank)


def test_near_breach_starts_at_the_configured_fraction_of_the_target():
    at = OPENED + timedelta(minutes=150)  # 62.5 % of 240 minutes
    assert sla_state(OPENED, at, P1).state == "ok"  # the default fraction is 0.8
    assert sla_state(OPENED, at, P1, near_fraction=0.6).state == "near"
    assert sla_state(OPENED, OPENED + timedelta(minutes=193), P1).state == "near"


def test_a_resolved_incidents_clock_stops_at_its_resolution():
    done = sla_state(OPENED, OPENED + timedelta(days=3), P1, resolved_at=OPENED + timedelta(hours=2))
    assert done.elapsed == timedelta(hours=2)


def test_a_day_or_more_is_shown_in_days():
    from desk.domain.sla import format_duration

    assert format_duration(timedelta(hours=23, minutes=59)) == "23h59"
    assert format_duration(timedelta(days=1)) == "1d00"
    assert format_duration(timedelta(days=1, hours=5)) == "1d05"
