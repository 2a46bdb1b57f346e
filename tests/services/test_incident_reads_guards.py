"""An incident's detail as `desk incident show` and the TUI read it (desk.services.incident_reads):
every field from its own column, the 200.2 checklist from what the incident holds, its own
history and articles, its clock stopped by a closing without resolution, and the names the
services give ids — a group made after the names were read, none for a ticket without one
(issue 19: each rule fails a test when broken)."""

from __future__ import annotations

from datetime import timedelta

import pytest

from desk.domain.errors import NotFound
from desk.models import Caller, Group, Incident
from desk.services import incidents, knowledge, request_convert, request_reads, requests, sla_views

# conftest's clock starts Monday 2026-11-02 09:00 UTC. Priority 1 without a service: around the
# clock, response 15 minutes, resolution 240 (config/default.toml).


def test_a_missing_incident_is_refused_as_not_found(desk):
    with pytest.raises(NotFound) as caught:
        incidents.get(desk, 10**6)
    assert caught.value.message("en") == "There is no incident 1000000."


def test_the_detail_shows_each_field_from_its_own_column(desk, clock):
    started = clock.now - timedelta(hours=2)
    inc = incidents.create(desk, "li", title="vpn down", impact=1, urgency=1, caller="Zhang Wei",
                           service="email", started_at=started)
    Caller.update(phone="+86 10 5555 0101").where(Caller.name == "Zhang Wei").execute()
    # as the demo and `desk migrate` write them (no user action sets them)
    Incident.update(vendor_ref="VND-7731", external_ref="INC0012345").where(Incident.id == inc.id).execute()
    incidents.resolve(desk, "li", inc.id, code="fixed", note="token reset")
    clock.advance(minutes=30)
    incidents.confirm(desk, "li", inc.id)
    d = incidents.get(desk, inc.id)
    assert (d.started_at, d.opened_at, d.confirmed_at) == (started, started + timedelta(hours=2), clock.now)
    assert (d.caller_phone, d.vendor_ref, d.external_ref) == ("+86 10 5555 0101", "VND-7731", "INC0012345")
    assert d.to_json()["external_ref"] == "INC0012345"
    assert d.response_minutes == 15  # priority 1's, not 3's (60)


def test_the_checklist_ticks_what_the_incident_holds_and_only_that(desk, clock):
    full = incidents.create(desk, "li", title="vpn down", impact=1, urgency=1, caller="Zhang Wei",
                            service="email", description="the tunnel drops every minute",
                            started_at=clock.now - timedelta(hours=1))
    bare = incidents.create(desk, "li", title="something", impact=1, urgency=1)
    ticked = dict(incidents.get(desk, full.id).checklist)
    assert (ticked["caller"], ticked["service"], ticked["started"], ticked["symptoms"]) == (True, True, True, True)
    ticked = dict(incidents.get(desk, bare.id).checklist)
    assert (ticked["caller"], ticked["service"], ticked["started"], ticked["symptoms"]) == (False,) * 4


def test_an_incident_lists_its_own_history_and_articles(desk):
    a = incidents.create(desk, "li", title="vpn down", impact=1, urgency=1)
    b = incidents.create(desk, "li", title="printer", impact=3, urgency=3)
    incidents.note(desk, "li", b.id, text="paper tray 2")
    first = knowledge.draft(desk, "li", title="VPN drops", body="Renew the lease.", incident_id=a.id)
    second = knowledge.draft(desk, "li", title="Printer jams", body="Open tray 2.", incident_id=b.id)
    da, db = incidents.get(desk, a.id), incidents.get(desk, b.id)
    assert [h.action for h in da.history] == ["create", "note"]
    assert [h.action for h in db.history] == ["create", "note", "note"]
    assert ([x.id for x in da.articles], [x.id for x in db.articles]) == ([first.id], [second.id])


def test_an_incident_turned_into_a_request_stops_its_clock(desk, clock):
    inc = incidents.create(desk, "li", title="a laptop for the new hire", impact=1, urgency=1)
    clock.advance(minutes=30)
    request_convert.to_request(desk, "li", inc.id, reason="nothing is broken: a request", checked=["all"])
    clock.advance(hours=8)  # long past its due time: it stopped when it was closed
    view = sla_views.incident_sla(desk, inc.id)
    assert (view.state, view.spent) == ("met", 30 * 60)


def test_a_group_made_after_the_names_were_read_is_named_by_its_code(desk):
    inc = incidents.create(desk, "li", title="vpn down", impact=1, urgency=1)
    assert incidents.get(desk, inc.id).group == "desk"  # the names are read (and kept)
    Group.create(code="nightdesk", name_en="Night desk", name_zh="夜班服务台", tier=1, kind="l1")  # `desk init` elsewhere
    incidents.assign(desk, "lead", inc.id, group="nightdesk")
    assert incidents.get(desk, inc.id).group == "nightdesk"


def test_a_request_without_a_group_or_handler_names_none(desk):
    r = requests.create(desk, "li", title="New mailbox", requester="Zhang Wei", checked=["all"], priority=2)
    d = request_reads.get(desk, r.id)
    assert (d.group, d.handler) == ("", "")
