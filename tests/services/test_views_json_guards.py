"""What `--json` gives scripts (issue 19, tools/mutants/services_views.toml): times to the second,
the queue row without the internal catalogue ids, the detail with its checklist as a mapping, its
history, and every field a plain JSON value."""

from __future__ import annotations

import json
from datetime import datetime

from desk.services import incidents, queue
from desk.services.incident_reads import get


def test_an_incident_as_json_is_plain_values_with_times_to_the_second(desk, clock):
    clock.advance(seconds=1.25)  # a fraction of a second on every time written
    inc = incidents.create(desk, "li", title="Mail down", impact=1, urgency=1, service="email")
    incidents.note(desk, "li", inc.id, text="users in 3F")
    shown = json.loads(json.dumps(get(desk, inc.id).to_json()))  # nothing that is not JSON
    assert "." not in shown["opened_at"] and datetime.fromisoformat(shown["opened_at"]).microsecond == 0
    assert [h["action"] for h in shown["history"]] == ["create", "note"]
    assert "." not in shown["history"][0]["at"]
    assert isinstance(shown["checklist"], dict) and shown["checklist"]
    assert "sla" not in shown and "response_minutes" not in shown


def test_a_queue_row_as_json_leaves_out_the_internal_catalogue_ids(desk):
    inc = incidents.create(desk, "li", title="Mail down", impact=1, urgency=1, service="email")
    (row,) = queue.rows([inc.id], desk)
    assert row.service_id is not None
    shown = row.to_json()
    assert "service_id" not in shown and "service_version_id" not in shown
    assert (shown["id"], shown["title"], shown["priority"]) == (inc.id, "Mail down", 1)
