"""The list machinery's seam: specs, layouts from a kind's columns, change detection per entity,
saved views carrying their kind."""

from __future__ import annotations

from desk.lists import changes, spec_for
from desk.lists.layout import plan_layout
from desk.lists.spec import Column, TableSpec


def _cell(env, row, column, width, now):
    return str(getattr(row, column, "")), None


SMALL = TableSpec(
    (Column("mark", "", 1), Column("id", "col.id", 4, right=True), Column("title", "col.title", min=20),
     Column("owner", "col.assignee", 10), Column("note", "col.title", min=10, max=30, share=(1, 3))),
    ("note", "owner"), _cell)


def test_flexible_columns_share_the_room_and_give_way_in_order():
    fixed = {c.key: c.width for c in SMALL.columns if c.width}
    wide = plan_layout(100, fixed, SMALL)
    assert wide.keys == ("mark", "id", "title", "owner", "note")
    free = 100 - (1 + 4 + 10) - 4
    assert dict(wide.cells)["note"] == min(30, free // 3) and sum(w for _, w in wide.cells) + 4 == 100
    assert plan_layout(40, fixed, SMALL).keys == ("mark", "id", "title", "owner")  # note gives way first
    assert plan_layout(28, fixed, SMALL).keys == ("mark", "id", "title")


def test_the_incident_kind_keeps_its_layout():
    from desk.widgets.incident_table import plan_layout as old_name  # (its first home still works)

    table = spec_for("incident").table_spec()
    fixed = {"mark": 1, "id": 4, "priority": 1, "status": 11, "sla": 6, "group": 14, "assignee": 10, "age": 5}
    layout = old_name(120, fixed, table)
    widths = dict(layout.cells)
    assert layout.keys == tuple(c.key for c in table.columns)
    assert widths["caller"] == max(14, min(40, (widths["title"] + widths["caller"]) * 2 // 5))
    assert "caller" not in plan_layout(80, fixed, table).keys  # the caller gives way first


def test_changes_are_reported_per_entity(desk):
    from desk.services import incidents, problems

    start, _ = changes.changed_since(None)
    inc = incidents.create(desk, "li", title="one", impact=3, urgency=3)
    prob = problems.create(desk, "lead", title="disks fill up")
    both = frozenset({"incident", "problem"})
    assert changes.changed_since(start, entities=frozenset({"incident"}))[1] == {inc.id}
    assert changes.changed_since(start, entities=frozenset({"problem"}))[1] == {prob.id}
    assert changes.changed_since(start, entities=both)[1] == {inc.id, prob.id}
    assert spec_for("incident").watched == frozenset({"incident"})


def test_saved_views_carry_their_kind(desk, tmp_path):
    from desk.services import saved_views

    desk.config.user_path = tmp_path / "config.toml"
    saved_views.save(desk.config, "old", {"view": "open"})  # saved before views had kinds: incidents
    saved_views.save(desk.config, "mine", {"kind": "incident", "view": "mine"})
    saved_views.save(desk.config, "known errors", {"kind": "problem", "view": "known_error"})
    assert set(saved_views.saved(desk.config, "incident")) == {"old", "mine"}
    assert set(saved_views.saved(desk.config, "problem")) == {"known errors"}
    assert len(saved_views.saved(desk.config)) == 3
