"""What the pickers offer (issue 19, tools/mutants/services_lookup.toml): an agent who has left is
no assignee, a retired service is not offered, "converted to a service request" is no resolve code,
work groups come by tier, and incidents in the order they were asked for."""

from __future__ import annotations

from desk.models import Agent, Service
from desk.services import incidents, lookup


def test_an_agent_who_has_left_is_not_offered_as_an_assignee(desk):
    Agent.update(active=False).where(Agent.login == "zhao").execute()
    assert "zhao" not in [a.login for a in lookup.agents(desk)]
    assert "zhao" in [a.login for a in lookup.agents(desk, active_only=False)]


def test_a_retired_service_is_not_offered(desk):
    offered = [s.code for s in lookup.services(desk)]
    assert "email" in offered and offered == sorted(offered)
    Service.update(status="retired").where(Service.code == "email").execute()
    assert "email" not in [s.code for s in lookup.services(desk)]


def test_services_are_named_in_the_users_language(desk):
    email = Service.get(Service.code == "email")
    desk.lang = "zh"
    assert dict((c.code, c.label) for c in lookup.services(desk))["email"] == email.name_zh != email.name_en


def test_converted_to_a_request_is_not_a_code_resolve_offers(desk):
    offered = [c.code for c in lookup.closure_codes(desk)]
    assert "to_request" not in offered and "to_request" in desk.config.codes("closure_code")
    assert offered == [c for c in desk.config.codes("closure_code") if c != "to_request"]


def test_every_group_comes_by_tier_whatever_the_order_in_config(desk):
    desk.config.data["group"] = list(reversed(desk.config.entries("group")))  # vendors listed first
    found = lookup.groups(desk)
    tiers = [g.tier for g in found]
    assert tiers == sorted(tiers) and len(set(tiers)) >= 3
    tier2 = [g.code for g in found if g.tier == 2]  # within a tier, the configured order
    assert tier2 == [c for c in desk.config.codes("group") if c in tier2]


def test_incidents_come_in_the_order_asked_for(desk):
    a = incidents.create(desk, "li", title="Mail down", impact=1, urgency=1)
    b = incidents.create(desk, "li", title="VPN slow", impact=2, urgency=2)
    assert [i.title for i in lookup.incidents(desk, [b.id, a.id])] == ["VPN slow", "Mail down"]
    assert lookup.incidents(desk, []) == []
