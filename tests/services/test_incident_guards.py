"""Guards of the incident use cases (desk/services/incidents.py) that a deliberate one-line bug used
to slip past (issue 19's sweep; tools/mutants/services_incidents.toml). Each refusal writes nothing."""

from datetime import timedelta

import pytest

from desk.domain.errors import NotAllowed, NotFound, ValidationError
from desk.models import Agent, Caller, Incident, Organisation, Refusal
from desk.services import incidents, knowledge


def new(desk, login="li", **kw):
    args = {"title": "Mail bounces", "caller": "Zhang Wei", "impact": 2, "urgency": 2}
    args.update(kw)
    return incidents.create(desk, login, **args)


def _key(call, *args, **kw):
    with pytest.raises(ValidationError) as err:
        call(*args, **kw)
    return err.value.key


def test_creation_refuses_what_does_not_exist_and_writes_nothing(desk):
    assert _key(new, desk, organisation="No Such Branch") == "error.unknown_org"
    assert _key(new, desk, service="no-such-service") == "error.unknown_service"
    assert _key(new, desk, title="x" * (incidents.MAX_TITLE + 1)) == "error.too_long"
    assert Incident.select().count() == 0
    assert new(desk, title="x" * incidents.MAX_TITLE, service="email").service == "email"


def test_a_caller_is_found_within_the_organisation_given(desk):
    north, south = Organisation.create(name="North branch"), Organisation.create(name="South branch")
    Caller.create(name="Wang Fang", organisation=north)
    inc = new(desk, caller="Wang Fang", organisation="South branch")
    assert inc.organisation == "South branch"
    assert Caller.select().where(Caller.name == "Wang Fang").count() == 2
    assert Caller.get((Caller.name == "Wang Fang") & (Caller.organisation == south)) is not None


def test_an_incident_from_monitoring_has_had_no_first_response(desk):
    inc = new(desk, source="monitoring")
    assert inc.first_response_at is None
    assert new(desk, source="phone").first_response_at is not None


def test_an_incident_is_due_at_its_priority_resolution_target(desk, clock):
    inc = new(desk, impact=1, urgency=1)
    targets = desk.config.targets(inc.priority)
    assert targets.resolve_minutes != targets.response_minutes
    assert inc.due_at == clock.now + timedelta(minutes=targets.resolve_minutes)


def test_an_agent_who_left_cannot_be_assigned(desk):
    inc = new(desk)
    Agent.update(active=False).where(Agent.login == "zhao").execute()
    assert _key(incidents.assign, desk, "li", inc.id, to="zhao") == "error.unknown_agent"
    assert Incident.get_by_id(inc.id).version == inc.version


def test_a_functional_escalation_names_its_group(desk):
    inc = new(desk)
    assert _key(incidents.escalate, desk, "li", inc.id, reason="L2 please") == "error.required"
    assert Incident.get_by_id(inc.id).tier == 1


def test_first_line_cannot_escalate_hierarchically(desk):
    inc = new(desk)
    with pytest.raises(NotAllowed):
        incidents.escalate(desk, "li", inc.id, hierarchical=True, reason="P1 for an hour")
    assert Refusal.get().action == "incident.escalate_hierarchical"
    assert incidents.escalate(desk, "lead", inc.id, hierarchical=True, reason="P1 for an hour").escalation_level == 1


def test_a_resolution_with_a_nul_is_refused_before_anything_is_written(desk):
    inc = new(desk)
    assert _key(incidents.resolve, desk, "li", inc.id, code="fixed", note="done\x00") == "error.nul"
    assert Incident.get_by_id(inc.id).status == "new"


def test_second_line_cannot_note_an_incident_of_another_group(desk):
    inc = incidents.escalate(desk, "li", new(desk).id, to="systems", reason="server side")
    with pytest.raises(NotAllowed):
        incidents.note(desk, "wang", inc.id, text="looked at it")
    assert incidents.note(desk, "chen", inc.id, text="looked at it").version == inc.version + 1


def test_linking_an_article_needs_the_permission_and_an_incident_that_exists(desk):
    inc = new(desk)
    art = knowledge.draft(desk, "li", title="Mail bounces", body="Check the quota.")
    with pytest.raises(NotFound):
        incidents.link_article(desk, "li", 4242, art.id)
    with pytest.raises(NotAllowed):
        incidents.link_article(desk, "appr", inc.id, art.id)
    assert incidents.get(desk, inc.id).articles == []
    incidents.link_article(desk, "li", inc.id, art.id)
    assert [a.id for a in incidents.get(desk, inc.id).articles] == [art.id]
