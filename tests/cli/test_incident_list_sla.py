"""`desk incident list` shows the SLA as the queue's SLA column does (issue 15): the engine's clock
on business hours, a held clock marked, the state in words. It read wall-clock time on the
[[priority]] targets before, so a held incident showed as running out (and then breached)."""

from __future__ import annotations

from desk.commands.incident import _sla_cell
from desk.lists.incident_cells import TABLE
from desk.lists.spec import CellEnv
from desk.services import incidents, queue, sla_hold


def _rows(desk, *ids):
    return queue.rows(list(ids), desk)


def test_the_list_reads_the_clock_the_queue_shows(desk, clock):
    held = incidents.create(desk, "li", title="VPN drops", impact=2, urgency=2)
    running = incidents.create(desk, "li", title="Printer jams", impact=3, urgency=3)
    sla_hold.hold_incident(desk, "li", held.id, reason="vendor")
    clock.advance(hours=30)  # past a wall-clock target, not past the business-hours one
    now = desk.now()
    env = CellEnv(desk.config, "en")
    rows = _rows(desk, held.id, running.id)
    cells = [_sla_cell(desk, r, now) for r in rows]
    assert cells[0] == "‖ paused"
    queue_cell, _style = TABLE.cell(env, rows[1], "sla", 6, now)
    assert cells[1].startswith(queue_cell + " ") and cells[1].split(" ", 1)[1] in ("on time", "near breach", "breached")


def test_a_breached_clock_reads_over_in_the_users_language(desk, clock):
    inc = incidents.create(desk, "li", title="Core down", impact=1, urgency=1)
    clock.advance(days=10)
    (row,) = _rows(desk, inc.id)
    desk.lang = "zh"
    cell = _sla_cell(desk, row, desk.now())
    over, said = cell.split(" ")
    assert over.startswith("-") and said == "已超时", cell
