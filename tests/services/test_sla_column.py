"""The queue's SLA column uses the SLA engine: business time left or over on the incident's
calendar (read in the reading thread, never on the UI's), a mark for a held clock."""

from __future__ import annotations

from desk.lists.incident_cells import cell
from desk.lists.spec import CellEnv
from desk.services import incidents, queue_rows, sla_hold


def _cells(desk, ids, now):
    env = CellEnv(desk.config, "en")
    return {r.id: cell(env, r, "sla", 6, now) for r in queue_rows.rows(desk, ids)}


def test_business_time_and_the_held_mark(desk, clock):
    # Monday 09:00 UTC = 17:00 Shanghai; desktop works 08:00-18:00 Mon-Fri; priority 1: 240 min
    office = incidents.create(desk, "li", title="pc", impact=1, urgency=1, service="desktop").id
    always = incidents.create(desk, "li", title="mail", impact=1, urgency=1, service="email").id
    held = incidents.create(desk, "li", title="vpn", impact=1, urgency=1, service="email").id
    sla_hold.hold_incident(desk, "li", held, reason="caller")
    clock.advance(minutes=30)
    got = _cells(desk, [office, always, held], clock.now)
    assert got[always] == ("3h30", None)
    assert got[office] == ("3h30", None)  # 30 of the last 60 working minutes: the night does not count
    assert got[held] == ("‖", "dim")
    clock.advance(hours=14)  # 07:30 Tuesday in Shanghai: one working hour spent (17:00-18:00), none since
    got = _cells(desk, [office, always], clock.now)
    assert got[office] == ("3h00", None) and got[always] == ("-10h30", "breached")
    clock.advance(hours=3, minutes=31)  # 11:01: three more working hours since 08:00, 4h01 in all
    assert _cells(desk, [office], clock.now)[office] == ("-1m", "breached")
