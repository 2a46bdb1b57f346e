"""The queue's query layer against a plain-Python reading of the same rows: every view and sort
gives the same ids in the same order whatever plan the database picks (the SQLite index hints
must never change a result), plus scoping, change tracking and the filter vocabulary."""

from __future__ import annotations

import random
from datetime import timedelta

import pytest

from desk.domain import incident_flow as flow
from desk.models import Agent, Group, Incident, SlaClock
from desk.services import queue

OPEN = set(flow.OPEN)


@pytest.fixture
def mixed(desk, clock):
    """300 incidents of every status, priority, group and assignee, written directly."""
    rnd = random.Random(5)
    now = clock.now
    agents = {a.login: a.id for a in Agent.select()}
    groups = {g.code: g.id for g in Group.select()}
    rows = []
    for i in range(300):
        status = rnd.choice(["new", "assigned", "in_progress", "resolved", "closed"])
        priority = rnd.randint(1, 4)
        opened = now - timedelta(minutes=rnd.randint(0, 6000))
        resolved = opened + timedelta(minutes=rnd.randint(1, 500)) if status in ("resolved", "closed") else None
        closed = now - timedelta(minutes=rnd.randint(0, 2000)) if status == "closed" else None
        rows.append(dict(
            title=f"{rnd.choice(['printer', 'vpn', 'mail'])} {i}", impact=2, urgency=2, priority=priority,
            status=status, tier=1, group=rnd.choice(list(groups.values())),
            assignee=None if status == "new" else rnd.choice(list(agents.values())),
            opened_at=opened, updated_at=opened + timedelta(minutes=rnd.randint(0, 50)),
            # a held clock has no due time (one in ten)
            due_at=None if i % 10 == 3 else opened + timedelta(minutes=desk.config.targets(priority).resolve_minutes),
            resolved_at=resolved, closed_at=closed, category=rnd.choice(["network", "hardware"]), version=1))
    with desk.db.atomic():
        Incident.insert_many(rows).execute()
    return desk


def _reference(desk, view, login, sort="priority", descending=False, scoped=False):
    ctx = queue.context(desk, login, scoped=scoped)
    now = ctx.now
    out = []
    for inc in Incident.select():
        if ctx.scoped and not (inc.group_id == ctx.group_id or inc.assignee_id == ctx.agent_id):
            continue
        if view == "mine" and not (inc.assignee_id == ctx.agent_id and inc.status in OPEN | {"resolved"}):
            continue
        if view == "group" and not (inc.group_id == ctx.group_id and inc.status in OPEN):
            continue
        if view == "unassigned" and not (inc.assignee_id is None and inc.status in OPEN):
            continue
        if view == "breaching":  # the SLA engine's warning or breach (past its warning share, not held short of due)
            clock = SlaClock.get_or_none((SlaClock.entity == "incident") & (SlaClock.entity_id == inc.id))
            if not (inc.status in OPEN and clock is not None and clock.due_at is not None
                    and clock.warn_at is not None and clock.warn_at <= ctx.now):
                continue
        if view == "open" and inc.status not in OPEN:
            continue
        if view == "resolved" and inc.status != "resolved":
            continue
        if view == "closed_today" and not (inc.status == "closed"
                                           and inc.closed_at >= ctx.now.replace(hour=0, minute=0, second=0)):
            continue
        out.append(inc)
    key = {
        "priority": lambda i: (i.priority, i.opened_at, i.id),
        "sla": lambda i: (i.due_at is None, i.due_at or now, i.id),  # held (no due time) last
        "age": lambda i: (i.opened_at, i.id),
        "updated": lambda i: (i.updated_at, i.id),
    }[sort]
    reverse = (sort == "updated") != descending
    return [i.id for i in sorted(out, key=key, reverse=reverse)]


@pytest.mark.parametrize("view", queue.VIEWS)
def test_every_view_and_sort_matches_the_reference(mixed, view):
    ctx = queue.context(mixed, "li")
    for sort in queue.SORTS:
        for descending in (False, True):
            expected = _reference(mixed, view, "li", sort, descending)
            f = queue.QueueFilter(view=view)
            assert queue.ids(f, ctx, sort, descending) == expected, (view, sort, descending)
            assert queue.count(f, ctx) == len(expected)
            assert queue.window(f, ctx, sort, 3, 5, descending) == expected[3:8]


def test_iter_ids_chunks_add_up(mixed):
    ctx = queue.context(mixed, "li")
    f = queue.QueueFilter(view="all")
    chunks = list(queue.iter_ids(f, ctx, "age", chunk=7))
    assert all(len(c) <= 7 for c in chunks)
    assert [i for c in chunks for i in c] == queue.ids(f, ctx, "age")


def test_scoped_context_limits_second_line_to_their_group_and_own(mixed):
    ctx = queue.context(mixed, "wang", scoped=True)
    assert ctx.scoped
    assert queue.ids(queue.QueueFilter(view="all"), ctx) == _reference(mixed, "all", "wang", scoped=True)
    assert not queue.context(mixed, "li", scoped=True).scoped  # the desk sees everything
    assert not queue.context(mixed, "wang").scoped  # unscoped unless asked (the CLI)


def test_filters_combine_with_views(mixed):
    ctx = queue.context(mixed, "li")
    f = queue.QueueFilter(view="open", priorities=frozenset({1, 2}), categories=frozenset({"network"}),
                          text="vpn")
    got = queue.ids(f, ctx)
    for inc in Incident.select().where(Incident.id.in_(got)):
        assert inc.status in OPEN and inc.priority in (1, 2) and inc.category == "network" and "vpn" in inc.title
    breached = queue.ids(queue.QueueFilter(view="all", breached=True), ctx)
    assert breached and all(i.due_at < ctx.now and i.status in OPEN
                            for i in Incident.select().where(Incident.id.in_(breached)))


def test_changed_since_tracks_history(desk):
    from desk.services import incidents

    start, ids = queue.changed_since(None)
    assert ids == set() and start is not None  # 0 on an empty history: the next write counts
    a = incidents.create(desk, "li", title="one", impact=3, urgency=3)
    newest, ids = queue.changed_since(start)
    assert ids == {a.id} and newest > start
    b = incidents.create(desk, "li", title="two", impact=3, urgency=3)
    incidents.assign(desk, "li", a.id, to="me")
    assert queue.changed_since(newest)[1] == {a.id, b.id}
    assert queue.changed_since(start, limit=1)[1] is None  # too many: refresh everything


def test_vocabulary_knows_codes_and_labels(desk):
    v = queue.vocabulary(desk.config)
    assert v.priorities["1"] == "1" and v.priorities["urgent"] == "1" and v.priorities["紧急"] == "1"
    assert v.groups["network"] == "network" and v.groups["网络组"] == "network"
    assert v.open_statuses == flow.OPEN
