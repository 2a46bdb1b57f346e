"""Snapshots of the SLA notification toasts (issue 15): the summary of what is unread when the TUI
starts, then a priority-1 incident raised while it runs, in en and zh at 80x24 and 120x40, on a
fixed clock with the seeded queue."""

from __future__ import annotations

import pytest
from tui_helpers import queue_of, queue_ready, wait_until

from desk import sla_poll
from desk.services import incidents

SIZES = [(80, 24), (120, 40)]


def _driver(desk):
    async def run_before(pilot):
        await queue_ready(pilot, timeout=20)
        poll = pilot.app.sla_poll
        await wait_until(pilot, lambda: poll.shown >= 1, timeout=20, what="the unread summary toast")
        made = incidents.create(desk, "li", title="核心交换机宕机 core switch down", impact=1, urgency=1)
        await wait_until(pilot, lambda: poll.shown >= 2, timeout=20, what="the priority-1 toast")
        table = queue_of(pilot.app).table  # and the queue's live refresh has listed it
        await wait_until(pilot, lambda: any(table.row_at(i) is not None and table.row_at(i).id == made.id
                                            for i in range(table.total or 0)), timeout=20, what="the new incident")
        await queue_ready(pilot, timeout=20)

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_snapshot_toast(make_app, desk, db_url, snap_compare, monkeypatch, lang, size):
    if not db_url.endswith(".db"):
        pytest.skip("snapshots are taken on SQLite (the screen is the same on PostgreSQL)")
    monkeypatch.setattr(sla_poll, "FIRST", 0.1)
    monkeypatch.setattr(sla_poll, "EVERY", 0.3)
    app = make_app(lang=lang, user="lead", size=size)
    assert snap_compare(app, terminal_size=size, run_before=_driver(desk))
