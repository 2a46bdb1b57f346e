"""The read-only lists behind the pickers: labels follow the user's language."""

from __future__ import annotations

from desk.services import incidents, lookup


def test_agents_are_those_who_work_incidents(desk):
    logins = [a.login for a in lookup.agents(desk)]
    assert logins == sorted(logins)
    assert {"li", "wang", "vend", "lead"} <= set(logins)
    assert "appr" not in logins and "repw" not in logins
    wang = next(a for a in lookup.agents(desk) if a.login == "wang")
    assert (wang.group, wang.group_label) == ("network", "Network team")


def test_groups_by_tier_in_the_users_language(desk):
    tier2 = lookup.groups(desk, tiers=[2])
    assert {g.tier for g in tier2} == {2}
    assert tier2[0].code == "network"
    desk.lang = "zh"
    assert lookup.groups(desk, tiers=[3])[0].label == "网络设备厂商"
    assert lookup.closure_codes(desk)[0].label == "永久解决"


def test_codes_services_and_incident_briefs(desk):
    assert [c.code for c in lookup.codes(desk, "classification")] == ["incident", "service_request", "complaint"]
    assert "email" in [s.code for s in lookup.services(desk)]
    inc = incidents.create(desk, "li", title="Mail down", impact=1, urgency=1, organisation=None)
    brief = lookup.incidents(desk, [999, inc.id])
    assert [(b.id, b.status, b.tier, b.group, b.version) for b in brief] == [(inc.id, "new", 1, "desk", 1)]
    assert lookup.me(desk, "wang").roles == ("l2",)
