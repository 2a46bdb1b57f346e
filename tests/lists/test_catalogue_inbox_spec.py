"""The catalogue inboxes' query functions (desk/lists/catalogue_inbox.py) against a reference read
straight from the services: every view × sort × direction, the windows joined equal to iter_ids,
the count equal to the ids, the text filter."""

from __future__ import annotations

import pytest

from desk.domain.filter_terms import ParsedFilter
from desk.lists import spec_for
from desk.services import catalogue_flow as flow

DRAFT_STATUSES = {"review": {"in_review"}, "editing": {"editing", "returned"}, "approved": {"approved"},
                  "open": {"editing", "in_review", "returned", "approved"}}


@pytest.fixture
def inbox(desk, clock):
    for code in ("email", "database", "accounts", "network", "desktop"):
        draft = flow.open_draft(desk, "catm", code=code)
        clock.advance(minutes=3)
        if code != "desktop":
            flow.edit_draft(desk, "catm", draft, {"owner": "systems-" + code})
            clock.advance(minutes=1)
        if code in ("email", "database", "accounts"):
            flow.submit(desk, "catm", draft)
        if code in ("database", "accounts"):
            flow.approve(desk, "ops", draft)
        if code == "accounts":
            flow.return_draft(desk, "ops", draft, comments="say who owns it")
    for n in range(4):
        slr = flow.raise_requirement(desk, "ops", title=f"Need {n}", source="Contract A" if n % 2 else "Branch B")
        clock.advance(minutes=2)
        if n == 1:
            flow.reject_requirement(desk, "ops", slr.id, reason="no")
    return desk


def _all_ids(spec, f, ctx, sort, descending):
    return [i for chunk in spec.iter_ids(f, ctx, sort, descending) for i in chunk]


@pytest.mark.parametrize("kind", ["catalogue_draft", "requirement"])
def test_every_view_and_sort_pages_through_what_the_services_list(inbox, kind):
    spec = spec_for(kind)
    ctx = spec.context(inbox, "ops")
    for view in spec.views:
        if kind == "catalogue_draft":
            expected = {d.id for d in flow.drafts(inbox) if view == "all" or d.status in DRAFT_STATUSES[view]}
        else:
            expected = {r.id for r in flow.requirements(inbox, None if view == "all" else view)}
        f = spec.make_filter(view, ParsedFilter())
        assert spec.count(f, ctx) == len(expected), view
        for sort in spec.sorts:
            for descending in (False, True):
                ids = _all_ids(spec, f, ctx, sort, descending)
                assert set(ids) == expected and len(ids) == len(expected)
                pages = [i for offset in range(0, len(ids) + 2, 2)
                         for i in spec.window(f, ctx, sort, offset, 2, descending)]
                assert pages == ids
        assert [r.id for r in spec.rows(inbox, sorted(expected))] == sorted(expected)


def test_the_newest_change_comes_first_and_the_text_filter_finds_codes_and_sources(inbox):
    drafts, slrs = spec_for("catalogue_draft"), spec_for("requirement")
    ctx = drafts.context(inbox, "ops")
    newest = _all_ids(drafts, drafts.make_filter("all", ParsedFilter()), ctx, "updated", False)[0]
    assert newest == max(flow.drafts(inbox), key=lambda d: (d.updated_at, d.id)).id
    found = drafts.window(drafts.make_filter("all", ParsedFilter(text="datab")), ctx, "updated", 0, 10, False)
    assert [flow.draft(inbox, i).code for i in found] == ["database"]
    found = slrs.window(slrs.make_filter("all", ParsedFilter(text="contract a")), ctx, "age", 0, 10, False)
    assert [flow.requirement(inbox, i).title for i in found] == ["Need 1", "Need 3"]
