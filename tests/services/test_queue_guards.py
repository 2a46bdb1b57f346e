"""The queue's filters at their edges (issue 19): the breaching view at a clock's warning instant and
with held clocks, each filter term narrowing to what it names (`s:`, `g:`, `a:me`, `ref:`), and a
second-line agent's count of a text search kept to their own group."""

from __future__ import annotations

from datetime import timedelta

from desk.models import Incident, SlaClock
from desk.services import incidents, queue, sla_hold


def _ids(desk, login="li", scoped=False, **terms) -> list[int]:
    return sorted(queue.ids(queue.QueueFilter(**terms), queue.context(desk, login, scoped=scoped)))


def test_breaching_shows_a_clock_from_its_warning_instant_and_not_one_held_short_of_its_due_time(desk, clock):
    urgent = incidents.create(desk, "li", title="Core switch down", impact=1, urgency=1, service="email").id
    held = incidents.create(desk, "li", title="Mail down", impact=1, urgency=1, service="email").id
    row = SlaClock.get((SlaClock.entity == "incident") & (SlaClock.entity_id == urgent))
    clock.now = row.warn_at - timedelta(seconds=1)
    assert _ids(desk, view="breaching") == []
    clock.now = row.warn_at
    assert _ids(desk, view="breaching") == sorted([urgent, held])
    sla_hold.hold_incident(desk, "li", held, reason="vendor")  # in warning, held before its due time
    assert _ids(desk, view="breaching") == [urgent]


def test_each_filter_term_keeps_only_what_it_names(desk, clock):
    mine = incidents.create(desk, "li", title="VPN down", impact=2, urgency=2).id
    incidents.assign(desk, "li", mine, to="me")
    done = incidents.create(desk, "li", title="Printer jams", impact=3, urgency=3).id
    incidents.resolve(desk, "li", done, code="fixed", note="paper")
    network = incidents.create(desk, "li", title="Switch port dead", impact=2, urgency=2).id
    incidents.escalate(desk, "li", network, to="network", reason="port")
    migrated = incidents.create(desk, "li", title="Old ticket", impact=3, urgency=3).id
    Incident.update(external_ref="INC0012345").where(Incident.id == migrated).execute()
    assert _ids(desk, view="all", statuses=frozenset({"resolved"})) == [done]
    assert _ids(desk, view="all", groups=frozenset({"network"})) == [network]
    assert _ids(desk, view="all", assignees=frozenset({"me"})) == [mine]
    assert _ids(desk, view="all", refs=frozenset({"INC0012345"})) == [migrated]


def test_a_second_line_agents_search_counts_their_groups_incidents_only(desk, clock):
    theirs = incidents.create(desk, "li", title="printer on floor 3", impact=3, urgency=3).id
    incidents.escalate(desk, "li", theirs, to="network", reason="network printer")
    incidents.create(desk, "li", title="printer on floor 4", impact=3, urgency=3)  # still with the desk
    ctx = queue.context(desk, "wang", scoped=True)
    f = queue.QueueFilter(view="all", text="printer")
    assert queue.ids(f, ctx) == [theirs] and queue.count(f, ctx) == 1

