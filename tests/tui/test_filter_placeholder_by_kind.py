"""Each list's filter bar shows an example of its own terms in its empty field (issue 17): the
incident queue's `cat:hardware breached`, the change queue's `s:open a:me`, the catalogue drafts'
`s:in_review`; the catalogue inboxes refuse on the bar a term they do not take, naming the kind,
instead of ignoring it. Snapshots of the drafts inbox's empty bar at 80×24 and 120×40 in English
and Chinese.

Update with `pytest tests/tui/test_filter_placeholder_by_kind.py --snapshot-update`, then look at
the .svg files in __snapshots__/ before committing them."""

from __future__ import annotations

import pytest
from tui_helpers import queue_ready, steady_cursors, wait_until

from desk.i18n import t

SIZES = [(80, 24), (120, 40)]


def _screen(kind: str):
    from desk.screens.catalogue_inbox import DraftsScreen, RequirementsScreen
    from desk.screens.changes import ChangesScreen
    from desk.screens.problems import ProblemsScreen
    from desk.screens.requests import RequestsScreen

    return {"request": RequestsScreen, "problem": ProblemsScreen, "change": ChangesScreen,
            "catalogue_draft": DraftsScreen, "requirement": RequirementsScreen}[kind]()


async def _bar_open(pilot, kind: str):
    app = pilot.app
    screen = await queue_ready(pilot)
    if kind != "incident":
        screen = _screen(kind)
        await app.push_screen(screen)
        await wait_until(pilot, lambda: screen.is_mounted and screen.table.total is not None
                         and not screen.table.busy, what=f"the {kind} list")
    await pilot.press("slash")
    await wait_until(pilot, lambda: screen.bar is not None and screen.bar.display and screen.bar.input.has_focus,
                     what="the filter bar")
    return screen


@pytest.mark.parametrize("kind", ["incident", "request", "problem", "change", "catalogue_draft", "requirement"])
async def test_the_empty_filter_field_shows_an_example_of_the_list_s_own_terms(make_app, kind):
    app = make_app(seed=False, user="admin")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await _bar_open(pilot, kind)
        shown = screen.bar.input.placeholder
        assert shown == t(screen.SPEC.filter_placeholder, "en")
        if kind == "incident":
            assert "cat:hardware" in shown and "breached" in shown
        else:
            assert "cat:hardware breached" not in shown


async def test_the_change_queue_s_example_is_chinese_in_chinese(make_app):
    app = make_app(seed=False, user="admin", lang="zh")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await _bar_open(pilot, "change")
        assert screen.bar.input.placeholder == "文字，或 s:open a:me"


def _message(screen) -> str:
    return str(screen.bar.query_one("#filter-message").render())


@pytest.mark.parametrize("kind, token, term", [("catalogue_draft", "p:1", "p:"), ("requirement", "breached", "breached")])
async def test_a_catalogue_inbox_refuses_a_term_it_does_not_take_and_enter_does_not_apply_it(make_app, kind, token, term):
    app = make_app(seed=False, user="admin")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await _bar_open(pilot, kind)
        await pilot.press(*[{" ": "space", ":": "colon"}.get(ch, ch) for ch in f"email {token}"])
        expected = t(f"tui.filter.not_for.{kind}", "en", term=term, terms="`s:`")
        await wait_until(pilot, lambda: _message(screen) == expected, what="the refusal")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.bar.editing and screen.filter_text == ""  # not applied: the bar waits for a fix
        await pilot.press(*["backspace"] * (len(token) + 1), "enter")  # without it, the rest applies
        await wait_until(pilot, lambda: screen.filter_text == "email", what="the filter applied")


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_snapshot_drafts_inbox_empty_filter_bar(make_app, desk, snap_compare, db_url, lang, size):
    if not db_url.endswith(".db"):
        pytest.skip("snapshots are taken on SQLite (the screen is the same on PostgreSQL)")
    from desk.services import catalogue_flow

    draft = catalogue_flow.open_draft(desk, "catm", code="email")  # (a row under the bar, in review)
    catalogue_flow.edit_draft(desk, "catm", draft, {"price_en": "Up to 50 GB included", "price_zh": "50GB以内包含"})
    catalogue_flow.submit(desk, "catm", draft)
    app = make_app(seed=False, lang=lang, size=size, user="admin")

    async def run_before(pilot):
        await _bar_open(pilot, "catalogue_draft")
        steady_cursors(pilot.app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)
