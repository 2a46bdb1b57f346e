"""Which requests an incident's detail and `desk incident show` name (issue 19,
tools/mutants/services_request_links.toml): only the requests linked to that incident, in the order
they were raised, each with which way its link points. Runs on SQLite and PostgreSQL."""

from __future__ import annotations

from desk.domain import request_convert as convert
from desk.services import incidents, request_convert, requests


def _request(desk, title: str) -> int:
    return requests.create(desk, "li", title=title, requester="Zhang Wei", checked=["all"], accept=True).id


def test_an_incident_names_only_its_own_requests(desk):
    first = request_convert.to_incident(desk, "li", _request(desk, "Shared drive gone"), reason="a fault")
    second = request_convert.to_incident(desk, "li", _request(desk, "Printer prints blank"), reason="a fault")
    assert incidents.get(desk, first.incident).requests == [(first.id, convert.INTO)]
    assert incidents.get(desk, second.incident).requests == [(second.id, convert.INTO)]
    lone = incidents.create(desk, "li", title="Mail slow", impact=3, urgency=3)
    assert incidents.get(desk, lone.id).requests == []
    assert incidents.get(desk, lone.id).to_json()["requests"] == []


def test_both_links_of_one_incident_named_in_the_order_they_were_made_each_its_own_way(desk):
    # a request became the incident, which turned out to be a request after all: the incident names
    # the one it came from first ('into': it became this incident), then the one opened from it
    became = request_convert.to_incident(desk, "li", _request(desk, "New laptop"), reason="looked like a fault")
    opened = request_convert.to_request(desk, "li", became.incident, reason="a request after all", checked=["all"])
    assert opened.id > became.id
    shown = incidents.get(desk, became.incident)
    assert shown.requests == [(became.id, convert.INTO), (opened.id, convert.FROM)]
    assert shown.to_json()["requests"] == [{"id": became.id, "direction": "into"},
                                           {"id": opened.id, "direction": "from"}]
