"""The problem and change queues' text filter goes through the title search (desk/services/
title_search.py, one mechanism for every kind) and finds exactly what a plain scan of the titles
finds: Chinese, one and two characters, % and _ typed literally, titles edited and deleted."""

from __future__ import annotations

import pytest

from desk.db import is_sqlite
from desk.domain.filter_terms import ParsedFilter
from desk.lists import paging, spec_for
from desk.services import changes, problems, title_search

TITLES = ["Printer jammed on 3F", "printer 50% slow", "打印机卡纸", "蓝屏", "VPN_drops", "邮件 100% 失败",
          "x", "ab", "Mail_relay down", "mail relay 蓝屏 again", "PRINTER offline"]
SEARCHES = ["printer", "PRINTER", "Printer jammed", "打印机", "蓝屏", "蓝", "x", "ab", "b", "50%", "%", "_", "N_d",
            "l_r", "100% 失", "relay", "nothing like it", "'\"", "a\x1fb"]


@pytest.fixture
def titled(desk):
    made = {"problem": [problems.create(desk, "lead", title=title).id for title in TITLES],
            "change": [changes.create(desk, "lead", title=title).id for title in TITLES]}
    # an edit and a deletion behind the services' back: the index follows the table itself
    from desk.models import Change, Problem

    for model, ids in ((Problem, made["problem"]), (Change, made["change"])):
        model.update(title="Toner empty, printer idle").where(model.id == ids[0]).execute()
        model.delete().where(model.id == ids[-1]).execute()
    return made


def _search_problems(desk) -> list:
    """What desk check finds wrong with the title search (the deletion leaves history orphaned)."""
    from desk.services import check

    return [p for p in check.run_check(desk).problems if p.kind.startswith("search_")]


def _plain(model, text: str) -> list[int]:
    return sorted(r.id for r in model.select(model.id).where(paging.contains(model.title, text)))


@pytest.mark.parametrize("kind", ["problem", "change"])
def test_the_text_filter_finds_what_a_plain_scan_finds(desk, titled, kind):
    from desk.models import Change, Problem

    model = {"problem": Problem, "change": Change}[kind]
    spec = spec_for(kind)
    ctx = spec.context(desk, "lead")
    finished = {"problem": "resolved", "change": "done"}[kind]  # a view none of the new records is in
    for text in SEARCHES:
        f = spec.make_filter("all", ParsedFilter(text=text))
        expected = _plain(model, text)
        found = sorted(i for chunk in spec.iter_ids(f, ctx, spec.sorts[0]) for i in chunk)
        assert found == expected, text
        assert spec.count(f, ctx) == len(expected), text
        # with a view besides the text the index does not count alone: the view's rows are compared
        narrow = spec.make_filter(finished, ParsedFilter(text=text))
        assert spec.count(narrow, ctx) == sum(len(chunk) for chunk in spec.iter_ids(narrow, ctx, spec.sorts[0]))
    assert _plain(model, "printer")  # the searches above find something
    done = spec.make_filter(finished, ParsedFilter(text="printer"))
    assert spec.count(done, ctx) == 0 < spec.count(spec.make_filter("all", ParsedFilter(text="printer")), ctx)
    if is_sqlite(desk.db):  # text holding a lone surrogate (undecodable argv) finds nothing, and is no crash
        f = spec.make_filter("all", ParsedFilter(text="printer\udc80"))
        assert spec.count(f, ctx) == 0 and list(spec.iter_ids(f, ctx, spec.sorts[0])) == []


def test_the_problem_and_change_titles_are_indexed_and_in_step(desk, titled):
    assert [kind.entity for kind in title_search.kinds(desk.db)] == ["incident", "problem", "change"]
    assert _search_problems(desk) == []
    if is_sqlite(desk.db):
        plan = " ".join(str(r) for r in desk.db.execute_sql(
            "EXPLAIN QUERY PLAN SELECT COUNT(*) FROM problem WHERE id IN "
            "(SELECT rowid FROM problem_fts WHERE problem_fts MATCH 'printer')").fetchall())
        assert "problem_fts" in plan


def test_a_change_title_edited_unseen_is_reported_and_desk_init_refills(desk, titled):
    from desk.services import schema

    if not is_sqlite(desk.db):
        pytest.skip("SQLite's own index (PostgreSQL's pg_trgm index follows the table)")
    dropped = title_search.drop_search_triggers(desk.db)
    from desk.models import Change

    Change.update(title="card reader offline").where(Change.id == titled["change"][2]).execute()
    for _, sql in dropped:
        desk.db.execute_sql(sql)
    (problem,) = _search_problems(desk)
    assert (problem.kind, problem.entity) == ("search_stale", "change")
    assert "change" in problem.message("en")
    schema.upgrade(desk.db)
    assert _search_problems(desk) == []
    spec = spec_for("change")
    f = spec.make_filter("all", ParsedFilter(text="card reader"))
    assert [i for chunk in spec.iter_ids(f, spec.context(desk, "lead"), "updated") for i in chunk] == \
        [titled["change"][2]]
