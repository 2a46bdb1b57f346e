"""The catalogue screen  (F4; for now `desk catalogue browse`): browse, search as you type, retired services, past versions, the
diff of versions, the greyed new-request key; snapshots at 80×24 and 120×40 in English and Chinese."""

from __future__ import annotations

import pytest
from tui_helpers import screen_text, wait_until

from desk.services import catalogue_flow as flow


def _catalogue(app):
    from desk.screens.catalogue_browse import CatalogueScreen

    screen = app.screen
    return screen if isinstance(screen, CatalogueScreen) else None


async def open_catalogue(pilot):
    await wait_until(pilot, lambda: _catalogue(pilot.app) is not None and _catalogue(pilot.app).loaded,
                     what="the catalogue to load")
    await pilot.pause()
    return _catalogue(pilot.app)


def _publish_change(desk, clock, code="email", **changes):
    draft = flow.open_draft(desk, "catm", code=code)
    flow.edit_draft(desk, "catm", draft, changes)
    flow.submit(desk, "catm", draft)
    flow.approve(desk, "ops", draft)
    clock.advance(minutes=1)
    flow.publish(desk, "ops", draft)


@pytest.fixture
def catalogue_app(desk, clock):
    """Factory: the catalogue screen in its own app (desk catalogue browse) over a desk where email
    has a second version and conference is retired."""
    _publish_change(desk, clock, targets={"1": {"response": 10, "resolve": 120}},
                    price_en="Up to 50 GB included", price_zh="50GB以内包含")
    retire = flow.open_draft(desk, "catm", code="conference", kind="retire")
    flow.submit(desk, "catm", retire)
    flow.approve(desk, "ops", retire)
    clock.advance(minutes=1)
    flow.publish(desk, "ops", retire)

    def factory(lang="en", size=(120, 40), user="admin", **_ignored):
        from desk.app import operator_for
        from desk.screens.catalogue_browse import catalogue_app_class

        desk.lang = lang
        desk.user = user
        app = catalogue_app_class()(desk, operator_for(desk, user), keymap={})
        app.test_size = size
        return app

    return factory


async def test_f4_shows_the_tree_the_list_and_the_entry(catalogue_app):
    app = catalogue_app()
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_catalogue(pilot)
        text = screen_text(app)
        assert "All services" in text and "Data centre" in text and "Accounts and access" in text
        assert "Video conferencing" not in text  # retired: hidden
        assert screen.query_one("ServiceList").current == "accounts"
        assert "respond in 15 min, resolve in 60 min" in text
        assert "Owner: Security team (security)" in text  # the owning group by its name, not its bare code


async def test_down_moves_to_the_next_service_and_shows_its_entry(catalogue_app):
    app = catalogue_app()
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_catalogue(pilot)
        await pilot.press("down")
        assert screen.query_one("ServiceList").current == "privileged-access"
        assert "Temporary administrator or production access" in screen_text(app)


async def test_a_move_changes_the_list_and_the_entry_in_the_same_frame(catalogue_app):
    app = catalogue_app()
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_catalogue(pilot)
        lst = screen.query_one("ServiceList")
        lst.action_move(1)  # no await: nothing else runs before the next frame is drawn
        assert lst.current == "privileged-access"
        assert "Temporary administrator or production access" in screen_text(app)


async def test_slash_searches_as_you_type_in_both_languages_and_escape_clears(catalogue_app):
    app = catalogue_app()
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_catalogue(pilot)
        await pilot.press("slash", "专", "线")
        assert [code for code, *_ in screen.query_one("ServiceList").rows] == ["branch-link"]
        await pilot.press("escape")
        assert len(screen.query_one("ServiceList").rows) == 11
        await pilot.press("slash", *"virtual machines")
        assert [code for code, *_ in screen.query_one("ServiceList").rows] == ["vm-provision"]
        await pilot.press("enter")
        assert screen.query_one("ServiceList").has_focus


async def test_r_shows_retired_services(catalogue_app):
    app = catalogue_app()
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_catalogue(pilot)
        await pilot.press("r")
        assert "conference" in [code for code, *_ in screen.query_one("ServiceList").rows]
        await pilot.press("r")
        assert "conference" not in [code for code, *_ in screen.query_one("ServiceList").rows]


async def test_the_tree_narrows_the_list_to_a_category_and_those_below(catalogue_app):
    app = catalogue_app()
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_catalogue(pilot)
        tree = screen.query_one("Tree")
        tree.focus()
        await pilot.pause()
        node = next(n for n in tree.root.children if n.data == "application")
        tree.move_cursor(node)
        await pilot.pause()
        codes = {code for code, *_ in screen.query_one("ServiceList").rows}
        assert codes == {"core-banking", "email", "software-install"}


async def test_a_narrowed_search_widened_again_and_a_category_list_keep_the_catalogues_order(catalogue_app):
    app = catalogue_app()
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_catalogue(pilot)
        rows = lambda: [code for code, *_ in screen.query_one("ServiceList").rows]  # noqa: E731
        everything = rows()
        await pilot.press("slash", "e")
        fresh = rows()
        await pilot.press(*"mail")
        assert rows() == ["email"]
        await pilot.press(*["backspace"] * 4)  # back to "e": every service with an e, not only the last found
        assert rows() == fresh and len(fresh) > 1
        await pilot.press("escape", "escape")
        tree = screen.query_one("Tree")
        tree.focus()
        tree.move_cursor(next(n for n in tree.root.children if n.data == "application"))
        await pilot.pause()
        assert rows() == [code for code in everything if code in {"core-banking", "email", "software-install"}]


async def _select(pilot, screen, code):
    lst = screen.query_one("ServiceList")
    lst.focus()
    while lst.current != code:
        await pilot.press("down")


async def test_brackets_page_through_past_versions(catalogue_app):
    app = catalogue_app()
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_catalogue(pilot)
        await _select(pilot, screen, "email")
        assert "version 2" in screen_text(app)
        await pilot.press("left_square_bracket")
        await wait_until(pilot, lambda: "version 1" in screen_text(app), what="version 1")
        assert "respond in 15 min, resolve in 240 min" in screen_text(app)
        await pilot.press("right_square_bracket")
        assert "version 2" in screen_text(app) and "resolve in 120 min" in screen_text(app)


async def test_d_shows_what_changed_field_by_field_and_escape_closes(catalogue_app):
    app = catalogue_app()
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_catalogue(pilot)
        await _select(pilot, screen, "email")
        await pilot.press("d")
        await wait_until(pilot, lambda: "Email and calendar (email): version 1 → 2" in screen_text(app), what="the diff")
        text = screen_text(app)
        assert "- response 15 min, resolution 240 min" in text and "+ response 10 min, resolution 120 min" in text
        assert "+ Up to 50 GB included" in text
        await pilot.press("escape")
        assert app.screen is screen


async def test_n_is_greyed_until_the_requests_screen_offers_it(catalogue_app):
    app = catalogue_app()
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_catalogue(pilot)
        assert screen.check_action("new_request", ()) is None
        await pilot.press("n")
        assert app.screen is screen


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_every_key_of_the_screen_is_in_the_key_bar_at_80_columns(catalogue_app, lang):
    from desk.i18n import t

    app = catalogue_app(lang=lang, size=(80, 24))
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_catalogue(pilot)
        line = screen.query_one("#catalogue-keys").render().plain
        shown = [b for b in screen.BINDINGS if b.show]
        assert len(shown) == 9
        for binding in shown:
            assert f"{app.get_key_display(binding)} {t(binding.description, lang)}" in line, binding.id
        assert "^p" in line  # and the command palette, where `?` (every key in full) is too


SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("state", ["browse", "diff"])
def test_snapshot(catalogue_app, snap_compare, db_url, state, lang, size):
    if not db_url.endswith(".db"):
        pytest.skip("snapshots are taken on SQLite")
    app = catalogue_app(lang=lang, size=size)

    async def run_before(pilot):
        screen = await open_catalogue(pilot)
        if state == "diff":
            await _select(pilot, screen, "email")
            await pilot.press("d")
            await wait_until(pilot, lambda: "→" in screen_text(app), what="the diff")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


async def test_hostile_text_in_an_entry_is_shown_literally(desk, clock):
    from desk.app import operator_for
    from desk.screens.catalogue_browse import catalogue_app_class

    hostile = "[bold]Mail[/bold] \x1b[2J\u202egpj.exe"
    _publish_change(desk, clock, name_en=hostile, summary_en="[red]not markup[/red]")
    desk.lang, desk.user = "en", "admin"
    app = catalogue_app_class()(desk, operator_for(desk, "admin"), keymap={})
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_catalogue(pilot)
        await _select(pilot, screen, "email")
        text = screen_text(app)
        assert "[bold]Mail[/bold]" in text and "[red]not markup[/red]" in text
        assert "\x1b" not in text and "\u202e" not in text


def said(app, text: str) -> bool:
    return any(text == str(n.message) for n in app._notifications)


async def test_brackets_at_either_end_say_so(catalogue_app):
    """`[` on version 1 (or `]` on the newest) did nothing and said nothing."""
    app = catalogue_app()
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_catalogue(pilot)
        await _select(pilot, screen, "email")
        await pilot.press("right_square_bracket")
        await wait_until(pilot, lambda: said(app, "Version 2 is the newest version of this service."),
                         what="the newest said")
        await pilot.press("left_square_bracket")
        await wait_until(pilot, lambda: "version 1" in screen_text(app), what="version 1")
        await pilot.press("left_square_bracket")
        await wait_until(pilot, lambda: said(app, "Version 1 is the oldest version of this service."),
                         what="the oldest said")
        assert "version 1, " in screen_text(app)  # still on version 1
