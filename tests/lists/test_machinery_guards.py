"""The list machinery's own rules, each at the edge where it turns (issue 19; tools/mutants/lists_spec.toml,
lists_layout.toml, lists_changes.toml, lists_init.toml): the sort `s` moves to, a kind's statuses in its
own words, which column a click lands in, who gives way in a narrow terminal, text fitted to a column,
the compact durations, and which rows other agents changed."""

from __future__ import annotations

from datetime import timedelta
from types import SimpleNamespace

from desk.config import load_config
from desk.config_check import problems
from desk.i18n import t
from desk.lists import changes, spec_for
from desk.lists.layout import Layout, compact, fit, label_width, person_cell, plan_layout
from desk.lists.request import REQUESTS
from desk.lists.spec import Column, TableSpec


def _cell(env, row, column, width, now):
    return "", None


SMALL = TableSpec(
    (Column("mark", "", 1), Column("id", "col.id", 4, right=True), Column("title", "col.title", min=20),
     Column("owner", "col.assignee", 10), Column("note", "col.title", min=10, max=30, share=(1, 3))),
    ("note", "owner"), _cell)
FIXED = {c.key: c.width for c in SMALL.columns if c.width}


# --- the spec -------------------------------------------------------------------------------------

def test_s_moves_to_the_next_sort_and_comes_back_to_the_first():
    assert REQUESTS.sorts[0] == "priority"
    walked = ["priority"]
    for _ in REQUESTS.sorts:
        walked.append(REQUESTS.next_sort(walked[-1]))
    assert walked == [*REQUESTS.sorts, "priority"]
    assert REQUESTS.next_sort("start") == "priority"  # a change's sort, from a saved view: the default


def test_a_kind_with_statuses_of_its_own_names_them_in_its_own_words(desk):
    assert REQUESTS.status_name("awaiting_approval", desk.config, "en") == "awaiting approval"
    assert REQUESTS.status_name("awaiting_approval", desk.config, "zh") == t("request.status.awaiting_approval", "zh")
    incidents = spec_for("incident")
    assert incidents.status_name("in_progress", desk.config, "en") == desk.config.label("status", "in_progress", "en")


def test_a_kind_naming_the_entities_that_touch_its_rows_watches_each_of_them():
    both = REQUESTS._replace(entities=frozenset({"request", "incident"}))
    assert both.watched == frozenset({"request", "incident"})
    assert REQUESTS.watched == frozenset({"request"})


def test_a_saved_view_of_each_kind_passes_the_config_check(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text('[views.inbox]\nkind = "request"\nview = "approvals"\n\n'
                    '[views.turned_down]\nkind = "requirement"\nview = "rejected"\n\n'
                    '[views.to_review]\nkind = "catalogue_draft"\nview = "review"\n')
    assert [e.message("en") for e in problems(load_config(path), "en", binding_ids=lambda: set())] == []


# --- the layout -----------------------------------------------------------------------------------

def test_a_click_lands_in_the_column_under_it_the_space_after_a_column_its_own():
    layout = Layout(12, (("id", 3), ("title", 5), ("age", 2)))
    assert [layout.column_at(x) for x in range(12)] == ["id"] * 4 + ["title"] * 6 + ["age"] * 2
    assert layout.column_at(13) is None


def test_the_columns_fill_the_width_exactly_and_give_way_at_their_minimums():
    for width in (49, 60, 100, 200):
        layout = plan_layout(width, FIXED, SMALL)
        assert sum(w for _, w in layout.cells) + len(layout.cells) - 1 == width
    exact = plan_layout(49, FIXED, SMALL)  # the flexible ones at exactly their minimums: all shown
    assert exact.keys == ("mark", "id", "title", "owner", "note")
    assert dict(exact.cells)["title"] == 20 and dict(exact.cells)["note"] == 10
    assert plan_layout(48, FIXED, SMALL).keys == ("mark", "id", "title", "owner")  # one cell less: note goes
    assert plan_layout(200, FIXED, SMALL).cells[-1] == ("note", 30)  # its maximum


def test_a_terminal_too_narrow_for_any_minimum_keeps_four_cells_and_each_minimum():
    assert dict(plan_layout(10, FIXED, SMALL).cells)["title"] == 4
    undroppable = TableSpec((Column("title", "col.title", min=20),
                             Column("note", "col.title", min=10, max=30, share=(1, 3))), (), _cell)
    assert plan_layout(30, {}, undroppable).cells == (("title", 19), ("note", 10))


def test_compact_durations_fit_six_cells_with_days_alone_from_ten_days():
    assert compact(None) == ""
    assert compact(timedelta(minutes=-45)) == "-45m"
    assert compact(timedelta(days=9, hours=23)) == "9d23"
    assert compact(timedelta(days=10)) == "10d"
    assert compact(-timedelta(days=111, hours=5)) == "-111d"


def test_text_is_fitted_to_exactly_its_column():
    assert fit("abc", 0, False) == ""
    assert fit("abcd", 4, False) == "abcd"
    assert fit("abcde", 4, False) == "abc…"
    assert fit("7", 3, True) == "  7" and fit("7", 3, False) == "7  "
    assert fit("中文", 4, False) == "中文"
    assert fit("中文字", 4, False) == "中 …"  # double-width characters count two cells


def test_a_long_login_is_cut_to_one_line():
    text, style = person_cell("x" * 60)
    assert len(text) == 40 and text.endswith("…") and style is None


def test_a_label_column_is_as_wide_as_its_widest_label_or_header_and_no_wider_than_its_cap():
    def env(label):
        config = SimpleNamespace(codes=lambda table: ["a", "b"])
        return SimpleNamespace(config=config, lang="en", label=lambda table, code: label)

    assert t("col.group", "en") == "Group"
    assert label_width(env("ab"), "group", "col.group", 14) == 5
    assert label_width(env("second line"), "group", "col.group", 14) == 11
    assert label_width(env("x" * 30), "group", "col.group", 14) == 14


# --- change detection -----------------------------------------------------------------------------

def test_a_list_opened_on_a_fresh_desk_sees_the_first_change(desk):
    from desk.services import incidents

    start, seen = changes.changed_since(None)
    assert (start, seen) == (0, set())
    made = incidents.create(desk, "li", title="the first", impact=3, urgency=3)
    newest, ids = changes.changed_since(start)
    assert ids == {made.id}
    assert changes.changed_since(newest) == (newest, set())  # seen once, not again


def test_more_new_rows_than_the_limit_refresh_everything_and_go_on_from_the_newest(desk):
    from desk.models import History
    from desk.services import incidents

    start, _ = changes.changed_since(None)
    made = {incidents.create(desk, "li", title=f"incident {n}", impact=3, urgency=3).id for n in range(3)}
    rows = History.select().where(History.id > start).count()
    newest = max(h.id for h in History.select(History.id))
    assert changes.changed_since(start, limit=rows) == (newest, made)  # exactly the limit: read one by one
    assert changes.changed_since(start, limit=rows - 1) == (newest, None)  # more: refresh all
    assert changes.changed_since(newest, limit=rows - 1) == (newest, set())


def test_only_the_entities_a_list_shows_are_reported(desk):
    from desk.services import incidents, problems

    start, _ = changes.changed_since(None)
    inc = incidents.create(desk, "li", title="one", impact=3, urgency=3).id
    probs = {problems.create(desk, "lead", title=f"problem {n}").id for n in range(2)}
    assert probs - {inc}  # (a problem's id that no incident has)
    assert changes.changed_since(start, entities=frozenset({"incident"}))[1] == {inc}
    assert changes.changed_since(start, entities=frozenset({"problem"}))[1] == probs


def test_on_postgresql_a_list_is_told_the_rows_of_its_entities_or_to_read_everything(desk):
    from desk.db import is_sqlite
    from desk.services import incidents, problems

    if is_sqlite(desk.db):
        assert changes.listen(desk.db) is None  # SQLite polls its change marker instead
        return
    listener = changes.listen(desk.db)
    inc = incidents.create(desk, "li", title="one", impact=3, urgency=3).id
    probs = {problems.create(desk, "lead", title=f"problem {n}").id for n in range(2)}
    assert probs - {inc}
    assert listener.changed(frozenset({"incident"})) == {inc}  # (each commit is told once)
    problems.create(desk, "lead", title="problem 3")
    incidents.create(desk, "li", title="two", impact=3, urgency=3)
    desk.db.execute_sql(f"NOTIFY \"{changes.channel(desk.db)}\", '*'")  # too many rows to name: all of them
    assert listener.changed(frozenset({"incident"})) is None
    assert listener.changed(frozenset({"incident"})) == set()
