"""The queue's row reader (SQL compiled once per handle, its own value conversion) gives what
the incident itself holds: the same values and types, in the order asked, on SQLite and
PostgreSQL, with or without a handle to keep the SQL on."""

from __future__ import annotations

from datetime import datetime

from desk.services import incidents, queue, queue_rows


def _make(desk, n):
    ids = []
    for i in range(n):
        inc = incidents.create(desk, "li", title=f"printer {i} / 打印机", caller="Zhang Wei", impact=2, urgency=2,
                               category="hardware")
        ids.append(inc.id)
    return ids


def test_rows_match_the_peewee_reading_in_the_order_asked(desk, clock):
    ids = _make(desk, 40)
    incidents.assign(desk, "li", ids[3], to="li")
    incidents.resolve(desk, "li", ids[3], code=sorted(desk.config.closure_codes)[0], note="done")
    asked = list(reversed(ids)) + [ids[0], 10**9]  # a repeat and an id that does not exist
    got = queue_rows.rows(desk, asked)
    assert got == queue.rows(asked) == queue.rows(asked, desk)
    assert [r.id for r in got] == [i for i in asked if i != 10**9]
    for row in got:
        d = incidents.get(desk, row.id, with_history=False)
        assert (row.priority, row.status, row.title, row.caller, row.group, row.assignee, row.tier, row.opened_at,
                row.due_at, row.resolved_at, row.version) == (
            d.priority, d.status, d.title, d.caller, d.group or "", d.assignee or "", d.tier, d.opened_at,
            d.due_at, d.resolved_at, d.version)
    row = got[-1]
    assert isinstance(row.opened_at, datetime) and row.caller == "Zhang Wei" and row.title.endswith("打印机")


def test_every_bucket_size_and_more_than_one_batch(desk, clock):
    ids = _make(desk, 5)
    for n in (1, 2, 8, 9, 33, 129):
        asked = (ids * 200)[:n]
        assert [r.id for r in queue_rows.rows(desk, asked)] == asked
    many = list(range(1, queue_rows.BATCH * 2 + 3))
    assert [r.id for r in queue_rows.rows(desk, many)] == ids
    assert queue_rows.rows(desk, []) == []
