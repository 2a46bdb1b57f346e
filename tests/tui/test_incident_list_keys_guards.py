"""The incident kind's keys as its spec defines them (issue 19; tools/mutants/lists_incident.toml):
escalate acts on every marked incident and resolve on the cursor row alone; `k` searches knowledge
on a queue with no incident under the cursor."""

from __future__ import annotations

import pytest
from test_actions_host import HostApp, drive, row
from tui_helpers import press, queue_ready


@pytest.mark.parametrize("action, acts_on", [("escalate", 2), ("resolve", 1)])
def test_escalate_acts_on_every_marked_incident_resolve_on_the_cursor_row(desk, data, action, acts_on):
    app = HostApp(desk, action, [row(data[3]), row(data[0])])
    seen = []

    async def scenario(pilot):
        seen.append(list(app.screen.rows))

    drive(app, scenario)
    assert seen == [[row(data[3]), row(data[0])][:acts_on]]


async def test_k_searches_knowledge_on_an_empty_queue(make_app, desk):
    from desk.screens.dialogs.knowledge import KnowledgeDialog

    app = make_app(desk)  # the bare desk: no incident at all
    async with app.run_test(size=app.test_size) as pilot:
        screen = await queue_ready(pilot)
        assert screen.table.cursor_id is None
        await press(pilot, "k")
        assert isinstance(app.screen, KnowledgeDialog)


async def test_the_clock_keys_are_greyed_on_a_resolved_incident(make_app, desk):
    from test_incident_clock_keys import on_incident

    app = make_app(user="admin")
    async with app.run_test(size=app.test_size) as pilot:
        resolved = desk.seeded_ids[5]
        queue = await on_incident(pilot, resolved)
        assert queue.table.cursor_row.status == "resolved"
        assert queue.check_action("act", ("sla_hold",)) is None and queue.check_action("act", ("sla_resume",)) is None
