"""The report list (seed 000 steps 1–2): the report manager drafts, a reviewer confirms, and only
then does the change take effect; the list's history says who changed and who confirmed what."""

import pytest

from desk.domain.errors import InvalidTransition, NotAllowed, NotFound, StaleVersion, ValidationError
from desk.models import Refusal
from desk.services import report_list

KPI = "incident-kpi-monthly"


def test_a_new_desk_starts_from_the_four_shipped_entries_confirmed(desk):
    views = {v.code: v for v in report_list.entries(desk)}
    assert sorted(views) == ["customer-monthly", "incident-kpi-monthly", "requests-weekly", "sla-quarterly"]
    assert {v.content["period"] for v in views.values()} == {"weekly", "monthly", "quarterly"}
    assert all(v.status == "confirmed" and v.active and v.pending is None for v in views.values())
    assert views["customer-monthly"].name("zh") == "月度客户服务报告"
    # loading again (a second `desk init`) adds nothing and changes nothing
    assert report_list.load_defaults(desk) == 0


def test_a_change_takes_effect_only_when_a_reviewer_confirms_it(desk):
    drafted = report_list.propose(desk, "repm", KPI, {"due_days": 4, "writer": "repw", "reviewer": "repr"})
    assert drafted.content["due_days"] == 3 and drafted.content["writer"] == ""  # still the entry in force
    assert drafted.pending["due_days"] == 4 and drafted.pending_by == "repm" and drafted.status == "confirmed"
    confirmed = report_list.confirm(desk, "repr", KPI, expect_version=drafted.version)
    assert confirmed.content["due_days"] == 4 and confirmed.content["writer"] == "repw"
    assert confirmed.pending is None
    steps = [(h.actor, h.action) for h in report_list.spec_history(desk, KPI)]
    assert steps == [("repm", "propose"), ("repr", "confirm")]
    assert report_list.spec_history(desk, KPI)[-1].changes == {"due_days": [3, 4], "writer": ["", "repw"],
                                                                "reviewer": ["", "repr"]}


def test_a_second_draft_builds_on_the_first_until_confirmed(desk):
    report_list.propose(desk, "repm", KPI, {"due_days": 4})
    again = report_list.propose(desk, "repm", KPI, {"channel": "portal"})
    assert (again.pending["due_days"], again.pending["channel"]) == (4, "portal")


@pytest.mark.parametrize("login,step", [("repw", "propose"), ("repr", "propose"), ("repm", "confirm"),
                                        ("repw", "confirm"), ("li", "confirm")])
def test_only_the_report_manager_drafts_and_only_a_reviewer_confirms(desk, login, step):
    if step == "confirm":
        report_list.propose(desk, "repm", KPI, {"due_days": 9})
    before = report_list.get(desk, KPI)
    with pytest.raises(NotAllowed):
        if step == "propose":
            report_list.propose(desk, login, KPI, {"due_days": 9})
        else:
            report_list.confirm(desk, login, KPI)
    assert report_list.get(desk, KPI) == before
    assert Refusal.select().where(Refusal.actor == login).count() == 1


def test_nobody_confirms_their_own_change(desk):
    report_list.propose(desk, "admin", KPI, {"due_days": 9})  # admin holds both permissions
    with pytest.raises(NotAllowed) as err:
        report_list.confirm(desk, "admin", KPI)
    assert err.value.key == "report.error.own_change"
    assert report_list.get(desk, KPI).content["due_days"] == 3
    assert report_list.confirm(desk, "repr", KPI).content["due_days"] == 9


def test_a_rejected_change_leaves_the_entry_as_it_was(desk):
    report_list.propose(desk, "repm", KPI, {"due_days": 9})
    with pytest.raises(ValidationError):
        report_list.reject(desk, "repr", KPI, reason="  ")
    view = report_list.reject(desk, "repr", KPI, reason="the customer agreed 3 days")
    assert view.pending is None and view.content["due_days"] == 3 and view.status == "confirmed"
    assert report_list.spec_history(desk, KPI)[-1].note == "the customer agreed 3 days"
    with pytest.raises(InvalidTransition):
        report_list.confirm(desk, "repr", KPI)  # nothing left to confirm


def test_a_new_entry_is_on_the_list_only_once_confirmed_and_a_retired_one_leaves_it(desk):
    entry = {"en": "Vendor report", "zh": "供应商报告", "audience": "internal", "basis": "uc", "period": "monthly",
             "sections": ["volume", "escalation"], "writer": "repw", "reviewer": "repr"}
    view = report_list.propose(desk, "repm", "vendor-monthly", entry)
    assert view.status == "pending" and not view.active and view.content == {}
    assert "vendor-monthly" not in {v.code for v in report_list.entries(desk, active_only=True)}
    report_list.confirm(desk, "repr", "vendor-monthly")
    assert "vendor-monthly" in {v.code for v in report_list.entries(desk, active_only=True)}
    report_list.propose(desk, "repm", "vendor-monthly", {}, retire=True)
    assert report_list.get(desk, "vendor-monthly").active  # until confirmed
    retired = report_list.confirm(desk, "repr", "vendor-monthly")
    assert retired.status == "retired" and not retired.active
    with pytest.raises(InvalidTransition):
        report_list.propose(desk, "repm", "vendor-monthly", {"due_days": 1})


@pytest.mark.parametrize("changes,key", [
    ({"sections": ["volume", "horoscope"]}, "report.error.bad_spec"),
    ({"sections": []}, "report.error.bad_spec"),
    ({"period": "daily"}, "report.error.bad_spec"),
    ({"due_days": "soon"}, "report.error.bad_spec"),
    ({"writer": "nobody"}, "report.error.unknown_agent"),
    ({"writer": "repw", "reviewer": "repw"}, "report.error.bad_spec"),
    ({"confirmer": "repr", "reviewer": "repr"}, "report.error.bad_spec"),
    ({"en": "x\x00"}, "error.nul"),
])
def test_a_bad_change_is_refused_and_nothing_is_drafted(desk, changes, key):
    before = report_list.get(desk, KPI)
    with pytest.raises(ValidationError) as err:
        report_list.propose(desk, "repm", KPI, changes)
    assert err.value.key == key
    assert report_list.get(desk, KPI) == before


def test_a_stale_confirmation_is_refused(desk):
    first = report_list.propose(desk, "repm", KPI, {"due_days": 4})
    report_list.propose(desk, "repm", KPI, {"due_days": 6})
    with pytest.raises(StaleVersion):
        report_list.confirm(desk, "repr", KPI, expect_version=first.version)
    assert report_list.get(desk, KPI).content["due_days"] == 3


def test_an_unknown_entry(desk):
    with pytest.raises(NotFound):
        report_list.confirm(desk, "repr", "nope")
