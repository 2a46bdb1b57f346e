"""The rules of converting a request into an incident and back (desk.domain.request_convert) that
a removed or inverted line would let pass (issue 19; tools/mutants/domain_request_convert.toml)."""

from __future__ import annotations

from datetime import datetime

import pytest

from desk.domain import request_convert as convert
from desk.domain import request_flow as flow
from desk.domain.errors import InvalidTransition, ValidationError

NOW = datetime(2026, 12, 7, 9, 0)
CHANNELS = ["hotline", "email", "chat", "app", "walk_in"]  # the shipped request channels: no `wechat`


def test_an_incident_source_becomes_the_channel_it_names_when_the_desk_has_it():
    assert convert.channel_for("phone", CHANNELS, "hotline") == "hotline"
    assert convert.channel_for("email", CHANNELS, "hotline") == "email"
    assert convert.channel_for("walk_in", CHANNELS, "app") == "walk_in"


def test_a_source_whose_channel_this_desk_lacks_gives_the_default():
    assert convert.channel_for("chat", CHANNELS, "hotline") == "hotline"  # chat names `wechat`, not configured
    assert convert.channel_for("monitoring", CHANNELS, "app") == "app"
    assert convert.channel_for(None, CHANNELS, "app") == "app"


def test_a_converted_request_is_closed_and_completed_at_the_conversion():
    planned = convert.plan_to_incident(flow.RequestState(flow.DISPATCHED), NOW, "the printer is broken")
    assert (planned["status"], planned["close_code"]) == (flow.CLOSED, flow.CONVERTED)
    assert planned["closed_at"] == planned["completed_at"] == NOW
    assert planned["_note"] == "the printer is broken"


@pytest.mark.parametrize("reason", [None, "", "   "])
def test_both_conversions_need_a_reason(reason):
    from desk.domain import incident_flow

    with pytest.raises(ValidationError) as caught:
        convert.plan_to_incident(flow.RequestState(flow.ACCEPTED), NOW, reason)
    assert caught.value.key == "error.required"
    with pytest.raises(ValidationError) as caught:
        convert.plan_to_request(incident_flow.IncidentState("new"), NOW, reason)
    assert caught.value.key == "error.required"


def test_a_request_opened_from_an_incident_is_refused_naming_that_incident():
    with pytest.raises(InvalidTransition) as caught:
        convert.plan_to_incident(flow.RequestState(flow.ACCEPTED), NOW, "a fault after all", linked_incident=7)
    assert caught.value.key == "request.error.from_incident"
    assert convert.plan_to_incident(flow.RequestState(flow.ACCEPTED), NOW, "a fault", linked_incident=None)


def test_which_way_the_link_points():
    assert convert.direction(flow.CONVERTED) == convert.INTO
    assert [convert.direction(code) for code in (None, flow.SUCCEEDED, flow.CANCELLED)] == [convert.FROM] * 3
