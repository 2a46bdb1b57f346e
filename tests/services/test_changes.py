"""Change use cases on a real database: the workflow per type and role, the CAB (any / all, from
config), self-approval refused and recorded, emergency approval by a shift lead, standard
changes, incidents caused by a change, the calendar's conflicts and the catalogue's check."""

from datetime import datetime, timedelta

import pytest

from conftest import make_desk
from desk.config import load_config
from desk.domain.errors import InvalidTransition, NotAllowed, NotFound, StaleVersion, ValidationError
from desk.models import Agent, ChangeApproval, Refusal
from desk.services import agents, change_calendar, changes, check, history, incidents

MONDAY = datetime(2026, 11, 30)  # 2026-W49
SHANGHAI = timedelta(hours=8)  # the shipped [sla] timezone: the calendar's days and the freezes are its own


def typed(moment: datetime) -> datetime:
    """A time as a user in Asia/Shanghai types it, as the desk stores it (UTC)."""
    return moment - SHANGHAI


def normal(desk, login="wang", **kw):
    args = {"title": "Upgrade VPN concentrator firmware", "reason": "tunnels drop", "services": "network",
            "implementation_plan": "upgrade to 9.1", "backout_plan": "reinstall 9.0"}
    args.update(kw)
    return changes.create(desk, login, **args)


def awaiting(desk, login="wang", **kw):
    c = normal(desk, login, **kw)
    c = changes.submit(desk, login, c.id)
    return changes.assess(desk, "ops", c.id, risk="medium", impact="VPN down 10 minutes")


def implemented(desk, outcome="successful", **kw):
    c = changes.approve(desk, "appr", awaiting(desk, **kw).id)
    c = changes.schedule(desk, "wang", c.id, start=MONDAY + timedelta(hours=22), end=MONDAY + timedelta(hours=23))
    c = changes.start(desk, "wang", c.id)
    return changes.review(desk, "wang", c.id, outcome=outcome)


def desk_with(db_url, clock, tmp_path, text: str):
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    d = make_desk(db_url, clock, load_config(path))
    for login in ("appr2", "appr3"):
        agents.save_agent(d, "admin", agent_login=login, name=login, roles=["approver"], group=None)
    return d


def test_a_normal_change_from_draft_to_closed(desk):
    c = normal(desk)
    assert (c.status, c.type, c.requester, c.version) == ("draft", "normal", "wang", 1)
    c = changes.submit(desk, "wang", c.id)
    c = changes.assess(desk, "ops", c.id, risk="medium", impact="VPN down 10 minutes", test_plan="connect a client")
    assert c.status == "awaiting_approval"
    c = changes.approve(desk, "appr", c.id, note="at night only")
    assert (c.status, c.approved_via, c.approved_at) == ("approved", "cab", desk.now())
    assert [(d.agent, d.decision, d.note) for d in c.decisions] == [("appr", "approve", "at night only")]
    c = changes.schedule(desk, "wang", c.id, start=MONDAY + timedelta(hours=22), end=MONDAY + timedelta(hours=23))
    c = changes.start(desk, "wang", c.id)
    assert (c.status, c.implementer, c.actual_start) == ("implementing", "wang", desk.now())
    c = changes.review(desk, "wang", c.id, outcome="successful", note="all tunnels up")
    c = changes.close(desk, "ops", c.id, review="no incident since; keep the runbook")
    assert (c.status, c.outcome, c.review) == ("closed", "successful", "no incident since; keep the runbook")
    assert [h.action for h in c.history] == ["create", "submit", "assess", "approve", "schedule", "start", "review",
                                             "close"]
    assert c.version == len(c.history)
    assert c.history[3].changes == {"status": ["awaiting_approval", "approved"], "approved_via": ["", "cab"],
                                    "decision": [None, "approve"]}
    assert c.history[4].changes["planned_start"] == [None, "2026-11-30T22:00"]
    assert list(history.verify_all()) == [] and check.run_check(desk).ok


def test_nobody_approves_their_own_change_and_the_refusal_is_recorded(desk):
    agents.save_agent(desk, "admin", agent_login="appr", name="Appr", roles=["approver", "l2"], group="network")
    c = awaiting(desk, login="appr")
    for decision in (changes.approve, changes.reject):
        with pytest.raises(NotAllowed) as err:
            decision(desk, "appr", c.id, note="mine")
        assert err.value.key == "change.error.own_change"
    assert changes.get(desk, c.id).version == c.version and ChangeApproval.select().count() == 0
    refused = [(r.actor, r.action, r.reason, r.entity_id) for r in Refusal.select().order_by(Refusal.id)]
    assert refused == [("appr", "change.approve", "change.error.own_change", c.id),
                       ("appr", "change.reject", "change.error.own_change", c.id)]


def test_a_normal_change_needs_the_board_a_shift_lead_will_not_do(desk):
    c = awaiting(desk)
    with pytest.raises(NotAllowed) as err:
        changes.approve(desk, "lead", c.id)
    assert err.value.key == "change.error.not_cab"
    with pytest.raises(NotAllowed):
        changes.approve(desk, "li", c.id)  # not even the role
    assert changes.get(desk, c.id).status == "awaiting_approval"
    assert Refusal.select().count() == 2


def test_rejection_needs_a_reason_and_ends_the_change(desk):
    c = awaiting(desk)
    with pytest.raises(ValidationError):
        changes.reject(desk, "appr", c.id, note=" ")
    c = changes.reject(desk, "appr", c.id, note="no back-out tested")
    assert c.status == "rejected" and c.history[-1].note == "no back-out tested"
    with pytest.raises(InvalidTransition):
        changes.schedule(desk, "wang", c.id, start=MONDAY, end=MONDAY + timedelta(hours=1))


def test_cab_all_waits_for_every_member(db_url, clock, tmp_path):
    desk = desk_with(db_url, clock, tmp_path, '[change]\ncab = ["appr", "appr2", "appr3"]\napproval = "all"\n')
    c = awaiting(desk)
    assert changes.approve(desk, "appr", c.id).status == "awaiting_approval"
    with pytest.raises(InvalidTransition):
        changes.approve(desk, "appr", c.id)  # once each
    assert changes.approve(desk, "appr3", c.id).status == "awaiting_approval"
    c = changes.approve(desk, "appr2", c.id)
    assert c.status == "approved" and [d.agent for d in c.decisions] == ["appr", "appr3", "appr2"]
    assert c.version == len(c.history) and check.run_check(desk).ok
    desk.close()


def test_cab_all_and_a_requester_on_the_board_does_not_wait_for_themselves(db_url, clock, tmp_path):
    desk = desk_with(db_url, clock, tmp_path, '[change]\ncab = ["appr", "appr2"]\napproval = "all"\n')
    agents.save_agent(desk, "admin", agent_login="appr2", name="appr2", roles=["approver", "l2"], group="network")
    c = awaiting(desk, login="appr2")
    assert changes.approve(desk, "appr", c.id).status == "approved"
    desk.close()


def test_cab_all_does_not_wait_for_a_member_who_left(db_url, clock, tmp_path):
    desk = desk_with(db_url, clock, tmp_path, '[change]\ncab = ["appr", "appr2"]\napproval = "all"\n')
    agents.save_agent(desk, "admin", agent_login="appr2", name="appr2", roles=["approver"], group=None, active=False)
    assert changes.approve(desk, "appr", awaiting(desk).id).status == "approved"
    desk.close()


def test_without_a_configured_board_every_approver_sits_on_it(desk):
    agents.save_agent(desk, "admin", agent_login="appr2", name="appr2", roles=["approver"], group=None)
    assert changes.board(desk).members == {Agent.get(Agent.login == login).id for login in ("appr", "appr2")}
    assert changes.approve(desk, "appr2", awaiting(desk).id).status == "approved"


def test_cab_any_from_config_only_its_members_decide(db_url, clock, tmp_path):
    desk = desk_with(db_url, clock, tmp_path, '[change]\ncab = ["appr2"]\napproval = "any"\n')
    c = awaiting(desk)
    with pytest.raises(NotAllowed) as err:
        changes.approve(desk, "appr", c.id)  # an approver, but not on this board
    assert err.value.key == "change.error.not_cab"
    assert changes.approve(desk, "appr2", c.id).status == "approved"
    desk.close()


def test_an_emergency_change_approved_by_a_shift_lead_is_reviewed_by_the_board(desk):
    c = normal(desk, type="emergency", title="Core switch replacement tonight")
    c = changes.submit(desk, "wang", c.id)
    assert c.status == "awaiting_approval"  # no assessment step
    with pytest.raises(NotAllowed):
        changes.approve(desk, "wang", c.id)
    c = changes.approve(desk, "lead", c.id)
    assert (c.status, c.approved_via) == ("approved", "lead")
    c = changes.schedule(desk, "wang", c.id, start=desk.now(), end=desk.now() + timedelta(hours=2))
    c = changes.review(desk, "wang", changes.start(desk, "wang", c.id).id, outcome="successful")
    with pytest.raises(NotAllowed) as err:
        changes.close(desk, "lead", c.id, review="went well")
    assert err.value.key == "change.error.needs_cab_review"
    assert changes.close(desk, "appr", c.id, review="ok in hindsight; should have been planned").status == "closed"


def test_an_emergency_change_approved_by_the_board_closes_as_usual(desk):
    c = changes.submit(desk, "wang", normal(desk, type="emergency").id)
    c = changes.approve(desk, "appr", c.id)
    c = changes.schedule(desk, "wang", c.id, start=desk.now(), end=desk.now() + timedelta(hours=2))
    c = changes.review(desk, "wang", changes.start(desk, "wang", c.id).id, outcome="backed_out")
    assert changes.close(desk, "lead", c.id, review="backed out, retry next week").status == "closed"


def test_a_standard_change_is_pre_approved_by_its_template(desk):
    c = changes.create(desk, "wang", title="", type="standard", template="restart-spooler")
    assert (c.title, c.services, c.risk) == ("Restart the print spooler of a print server", "desktop", "low")
    c = changes.submit(desk, "wang", c.id)
    assert (c.status, c.approved_via) == ("approved", "template")
    assert c.history[-1].changes["approved_via"] == ["", "template"]
    with pytest.raises(ValidationError):
        changes.create(desk, "wang", title="x", type="standard", template="reboot-everything")
    with pytest.raises(ValidationError):
        changes.create(desk, "wang", title="x", type="normal", template="restart-spooler")
    with pytest.raises(ValidationError):
        changes.create(desk, "wang", title="x", type="weekly")
    with pytest.raises(ValidationError):
        changes.create(desk, "wang", title="x", risk="extreme")
    with pytest.raises(ValidationError):
        changes.create(desk, "wang", title=" ")


def test_roles(desk):
    for who in ("vend", "appr", "reqm"):
        with pytest.raises(NotAllowed):
            normal(desk, who)
    c = changes.submit(desk, "li", normal(desk, "li").id)
    with pytest.raises(NotAllowed):
        changes.assess(desk, "li", c.id, risk="low", impact="none")
    c = changes.approve(desk, "appr", changes.assess(desk, "wang", c.id, risk="low", impact="none").id)
    with pytest.raises(NotAllowed):
        changes.schedule(desk, "li", c.id, start=MONDAY, end=MONDAY + timedelta(hours=1))
    c = changes.review(desk, "ops", changes.start(desk, "ops", changes.schedule(
        desk, "chen", c.id, start=MONDAY, end=MONDAY + timedelta(hours=1)).id).id, outcome="failed")
    with pytest.raises(NotAllowed):
        changes.close(desk, "wang", c.id, review="x")


def test_incidents_caused_by_a_change_are_recorded_in_both_histories(desk):
    inc = incidents.create(desk, "li", title="VPN down after the upgrade", impact=2, urgency=1)
    c = awaiting(desk)
    with pytest.raises(InvalidTransition):
        changes.link_incident(desk, "li", c.id, [inc.id])  # no work done yet: it caused nothing
    c = implemented(desk, outcome="failed")
    c = changes.link_incident(desk, "li", c.id, [inc.id], incident_versions={inc.id: 1})
    assert [i.id for i in c.incidents] == [inc.id] and c.history[-1].changes == {"incidents": [None, [inc.id]]}
    got = incidents.get(desk, inc.id)
    assert (got.history[-1].action, got.history[-1].changes, got.version) == (
        "caused_by_change", {"caused_by_change": [None, c.id]}, 2)
    assert changes.change_of(desk, inc.id) == c.id
    assert got.caused_by_change == (c.id, c.title) == incidents.get(desk, inc.id, with_history=False).caused_by_change
    assert got.to_json()["caused_by_change"] == {"id": c.id, "title": c.title}
    other = implemented(desk)
    with pytest.raises(ValidationError):
        changes.link_incident(desk, "li", other.id, [inc.id])
    assert check.run_check(desk).ok


def test_an_incident_unrecorded_from_a_change_leaves_both_histories_saying_so(desk):
    a = incidents.create(desk, "li", title="VPN down after the upgrade", impact=2, urgency=1)
    b = incidents.create(desk, "li", title="mail slow", impact=3, urgency=3)
    c = changes.link_incident(desk, "li", implemented(desk, outcome="failed").id, [a.id, b.id])
    with pytest.raises(ValidationError) as err:  # not one of its incidents: nothing is removed
        changes.unlink_incident(desk, "li", c.id, [b.id, 999])
    assert "999" in err.value.message("en")
    assert [i.id for i in changes.get(desk, c.id).incidents] == [a.id, b.id]
    with pytest.raises(StaleVersion):  # the incident changed since the user saw it
        changes.unlink_incident(desk, "li", c.id, [b.id], incident_versions={b.id: 1})
    with pytest.raises(NotAllowed):  # a vendor may not record causes
        changes.unlink_incident(desk, "vend", c.id, [b.id])
    c = changes.unlink_incident(desk, "li", c.id, [b.id], incident_versions={b.id: 2})
    assert [i.id for i in c.incidents] == [a.id] and c.history[-1].changes == {"incidents": [[b.id], None]}
    got = incidents.get(desk, b.id)
    assert (got.history[-1].action, got.history[-1].changes) == ("not_caused_by_change",
                                                                   {"caused_by_change": [c.id, None]})
    assert changes.change_of(desk, b.id) is None and changes.change_of(desk, a.id) == c.id
    assert got.caused_by_change is None and got.to_json()["caused_by_change"] is None
    assert incidents.get(desk, a.id).caused_by_change == (c.id, c.title)
    other = changes.link_incident(desk, "li", implemented(desk).id, [b.id])  # free to record against another
    assert [r.id for r in changes.causing(desk)][:2] == [other.id, c.id]
    assert all(r.status in ("implementing", "review", "closed") for r in changes.causing(desk))
    assert check.run_check(desk).ok


def test_planned_windows_are_checked(desk):
    with pytest.raises(ValidationError):
        normal(desk, planned_start=MONDAY, planned_end=MONDAY - timedelta(hours=1))
    with pytest.raises(ValidationError):
        normal(desk, planned_start=MONDAY)


# --- the calendar and the catalogue's check -----------------------------------------------------------

def scheduled(desk, services, start_h, hours, title="x"):
    c = changes.approve(desk, "appr", awaiting(desk, services=services, title=title).id)
    return changes.schedule(desk, "wang", c.id, start=typed(MONDAY + timedelta(hours=start_h)),
                            end=typed(MONDAY + timedelta(hours=start_h + hours)))


def test_the_calendar_lists_the_weeks_changes_by_day_and_marks_conflicts(desk):
    a = scheduled(desk, "network, core-banking", 22, 4, "a: overnight, into Tuesday")
    b = scheduled(desk, "Core-Banking", 25, 2, "b: overlaps a on core banking")
    c = scheduled(desk, "network", 26, 1, "c: starts as a ends")
    d = scheduled(desk, "email", 23, 1, "d: overlaps a, other service")
    e = scheduled(desk, "network", 24 * 7 + 1, 1, "e: next week")
    awaiting(desk, title="f: not approved, not on the calendar", planned_start=MONDAY,
             planned_end=MONDAY + timedelta(hours=30))
    changes.reject(desk, "appr", awaiting(desk, title="g: rejected", planned_start=MONDAY,
                                          planned_end=MONDAY + timedelta(hours=30)).id, note="no")
    cal = change_calendar.calendar(desk, "2026-W49")
    assert cal.week == "2026-W49" and cal.start == MONDAY and len(cal.days) == 7
    by_day = [[e.change.id for e in day.entries] for day in cal.days]
    assert by_day[0] == [a.id, d.id] and by_day[1] == [a.id, b.id, c.id] and by_day[2:] == [[]] * 5
    marked = {e.change.id: e.conflicts for day in cal.days for e in day.entries}
    assert marked == {a.id: ((b.id, "core-banking"),), b.id: ((a.id, "core-banking"),), c.id: (), d.id: ()}
    assert [x.change.id for x in change_calendar.calendar(desk, "2026-W50").days[0].entries] == [e.id]
    assert change_calendar.conflicts_of(desk, b.id) == [(a.id, "core-banking")]
    assert change_calendar.calendar(desk, None).week == "2026-W45"  # the clock's week
    with pytest.raises(ValidationError):
        change_calendar.calendar(desk, "W49")


def test_change_approved_for_a_catalogue_publication(desk):
    c = awaiting(desk, services="email, network")
    with pytest.raises(InvalidTransition):
        change_calendar.change_approved_for(desk, c.id, "email")
    c = changes.approve(desk, "appr", c.id)
    assert change_calendar.change_approved_for(desk, c.id, "Email").id == c.id
    with pytest.raises(InvalidTransition) as err:
        change_calendar.change_approved_for(desk, c.id, "desktop")  # not a service it names
    assert "desktop" in err.value.message("en")
    with pytest.raises(NotFound):
        change_calendar.change_approved_for(desk, 999, "email")
    failed = implemented(desk, outcome="failed", services="email")
    with pytest.raises(InvalidTransition):
        change_calendar.change_approved_for(desk, failed.id, "email")
    assert change_calendar.change_approved_for(desk, implemented(desk, services="email").id, "email")
    assert change_calendar.publication_requires_change(desk) is False


def test_the_changes_a_publication_may_name_are_those_change_approved_for_accepts(desk):
    approved = changes.approve(desk, "appr", awaiting(desk, services="Email, network").id)
    waiting = awaiting(desk, services="email")  # not approved yet
    other = changes.approve(desk, "appr", awaiting(desk, services="emails").id)  # another service
    failed = implemented(desk, outcome="failed", services="email")
    done = implemented(desk, services="email")
    offered = [r.id for r in change_calendar.approved_for(desk, "email")]
    assert offered == [done.id, approved.id]  # newest first
    for c in (waiting, other, failed):
        assert c.id not in offered
    for change_id in offered:
        assert change_calendar.change_approved_for(desk, change_id, "email")


def test_hostile_text_is_stored_exactly(desk):
    text = "[bold]x[/] \x1b]52;c;cm0=\x07 \u202egpj.exe 变更 %s {id}"
    c = changes.create(desk, "wang", title=text, reason=text, description=text, services=text, items=text,
                       implementation_plan=text, backout_plan=text, test_plan=text, impact=text)
    c = changes.get(desk, changes.reject(desk, "appr", changes.assess(
        desk, "wang", changes.submit(desk, "wang", c.id).id, risk="high").id, note=text).id)
    assert {getattr(c, f) for f in ("title", "reason", "description", "services", "items", "implementation_plan",
                                    "backout_plan", "test_plan", "impact")} == {text}
    assert c.decisions[0].note == text and c.history[-1].note == text


# --- change freezes -------------------------------------------------------------------------------------

def _freeze(desk):
    desk.config.data["change_freeze"] = [{"code": "year-end", "en": "Year-end closing", "zh": "年终结算",
                                          "start": MONDAY + timedelta(days=1), "end": MONDAY + timedelta(days=3)}]


def test_a_freeze_refuses_scheduling_or_approving_a_normal_change_in_it_and_changes_nothing(desk):
    _freeze(desk)
    inside = {"start": typed(MONDAY + timedelta(days=1, hours=22)), "end": typed(MONDAY + timedelta(days=1, hours=23))}
    c = changes.approve(desk, "appr", awaiting(desk).id)
    with pytest.raises(ValidationError) as err:
        changes.schedule(desk, "wang", c.id, **inside)
    assert "Year-end closing" in err.value.message("en")
    after = changes.get(desk, c.id)
    assert (after.status, after.planned_start, after.version) == ("approved", None, c.version)
    c = changes.schedule(desk, "wang", c.id, start=typed(MONDAY + timedelta(hours=22)),
                         end=typed(MONDAY + timedelta(hours=23)))
    assert c.status == "scheduled"  # outside the freeze: as before
    planned = awaiting(desk, planned_start=inside["start"], planned_end=inside["end"])
    with pytest.raises(ValidationError):
        changes.approve(desk, "appr", planned.id)
    assert changes.get(desk, planned.id).status == "awaiting_approval" and not changes.get(desk, planned.id).decisions


def test_a_freeze_is_read_in_the_desks_time(desk):
    """[[change_freeze]] from Tuesday 00:00 is the desk's Tuesday: a window typed for Tuesday 01:00
    (stored as Monday 17:00 UTC) is in it; one typed for Monday 23:00 is not."""
    _freeze(desk)
    c = changes.approve(desk, "appr", awaiting(desk).id)
    with pytest.raises(ValidationError):
        changes.schedule(desk, "wang", c.id, start=typed(MONDAY + timedelta(days=1, hours=1)),
                         end=typed(MONDAY + timedelta(days=1, hours=2)))
    c = changes.schedule(desk, "wang", c.id, start=typed(MONDAY + timedelta(hours=22)),
                         end=typed(MONDAY + timedelta(hours=23)))
    assert c.status == "scheduled"


@pytest.mark.parametrize("allow_standard", [False, True])
def test_a_standard_change_is_scheduled_in_a_freeze_only_when_the_freeze_lets_standard_changes_through(
        desk, allow_standard):
    _freeze(desk)
    desk.config.data["change_freeze"][0]["allow_standard"] = allow_standard
    c = changes.submit(desk, "wang", changes.create(desk, "wang", title="", type="standard", template="vpn-cert").id)
    inside = {"start": MONDAY + timedelta(days=1, hours=22), "end": MONDAY + timedelta(days=1, hours=23)}
    if not allow_standard:  # the default: pre-approved is not risk-free
        with pytest.raises(ValidationError) as err:
            changes.schedule(desk, "wang", c.id, **inside)
        assert "only an emergency change" in err.value.message("en")
        after = changes.get(desk, c.id)
        assert (after.status, after.planned_start, after.version) == ("approved", None, c.version)
        return
    c = changes.schedule(desk, "wang", c.id, **inside)
    assert c.status == "scheduled" and c.history[-1].changes["freeze"] == [None, "year-end"]
    normal_one = changes.approve(desk, "appr", awaiting(desk).id)  # a normal change is refused still
    with pytest.raises(ValidationError) as err:
        changes.schedule(desk, "wang", normal_one.id, **inside)
    assert "only emergency and standard changes" in err.value.message("en")


def test_an_emergency_change_goes_ahead_in_a_freeze_and_its_history_says_so(desk):
    _freeze(desk)
    c = changes.create(desk, "wang", title="Core switch failing", type="emergency", reason="failing",
                       implementation_plan="swap", backout_plan="swap back", services="network",
                       planned_start=MONDAY + timedelta(days=2), planned_end=MONDAY + timedelta(days=2, hours=1))
    c = changes.approve(desk, "lead", changes.submit(desk, "wang", c.id).id)
    assert c.status == "approved" and c.history[-1].changes["freeze"] == [None, "year-end"]
    c = changes.schedule(desk, "wang", c.id)
    assert c.status == "scheduled" and c.history[-1].changes["freeze"] == [None, "year-end"]
    week = change_calendar.calendar(desk, change_calendar.week_of(MONDAY))
    assert [d.freeze.code if d.freeze else None for d in week.days] == [None, "year-end", "year-end", None, None,
                                                                         None, None]
