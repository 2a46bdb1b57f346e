"""A request dispatched to a handler in a group the handler is not in (`--to chen --group network`,
chen being of systems) left a handler who could not touch it: returning it (退单) was refused as
'outside their group' (walkE, in tmux: dispatched to chen.jie of network under 系统组). Dispatch
names the mismatch and writes nothing; the handler with their own group, or a group alone, goes."""

from __future__ import annotations

import pytest

from desk.domain.errors import ValidationError
from desk.i18n import t
from desk.models import ServiceRequest
from desk.services import requests


def accepted(desk):
    r = requests.create(desk, "li", title="New laptop", requester="Wang Na", checked=["all"])
    return requests.accept(desk, "li", r.id)


def test_a_handler_outside_the_group_named_is_refused_and_nothing_is_written(desk):
    r = accepted(desk)
    with pytest.raises(ValidationError) as err:
        requests.dispatch(desk, "li", r.id, to="chen", group="network")
    assert err.value.key == "request.error.handler_group"
    said = err.value.message("en")
    assert "chen" in said and "Network" in said and "Systems" in said, said
    row = ServiceRequest.get_by_id(r.id)
    assert (row.status, row.version, row.handler_id) == ("accepted", r.version, None)


def test_the_handler_in_the_group_named_or_alone_takes_it_and_may_return_it(desk):
    r = accepted(desk)
    r = requests.dispatch(desk, "li", r.id, to="chen", group="systems")
    assert (r.status, r.handler, r.group) == ("dispatched", "chen", "systems")
    r = requests.return_(desk, "chen", r.id, reason="a desktop job", suggestion="the desk")
    assert r.status == "accepted"
    r = requests.dispatch(desk, "li", r.id, to="chen")  # the handler alone: their group
    assert r.group == "systems"


def test_a_refusal_outside_one_s_group_does_not_speak_of_an_incident_in_chinese():
    said = t("error.not_your_group", "zh", login="chen", action="退单")
    assert "事件" not in said and "chen" in said, said
