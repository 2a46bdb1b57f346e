"""Figure 12: a move in the catalogue's category tree and a key typed into its search show the
filtered list (and its entry) in the very frame that answers the key. Textual's messages
(NodeHighlighted, Input.Changed) reached the screen after the tree's or the field's own repaint
had gone out alone, and the list waited for Textual's next frame, 17-33 ms later: ~43 ms a key at
any catalogue size on an idle machine (2026-12-07)."""

from __future__ import annotations

from test_catalogue_screen import catalogue_app, open_catalogue  # noqa: F401 (a fixture)
from tui_helpers import first_frame, frame_covers, record_frames, steady_cursors


async def test_a_move_in_the_tree_shows_the_category_s_list_in_the_same_frame(catalogue_app):  # noqa: F811
    app = catalogue_app()
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_catalogue(pilot)
        await pilot.press("shift+tab")
        await pilot.pause(0.1)
        listed = screen.query_one("#catalogue-list")
        before = list(screen._visible)
        frames = record_frames(app)
        await pilot.press("down")
        first = await first_frame(pilot, frames)
        assert screen._visible != before  # (the key changed the list)
        assert frame_covers(first, listed.region)  # the list is in the frame that moved the tree


async def test_a_search_key_shows_the_filtered_list_in_the_same_frame(catalogue_app):  # noqa: F811
    app = catalogue_app()
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_catalogue(pilot)
        await pilot.press("slash")
        steady_cursors(app)
        await pilot.pause(0.1)
        listed = screen.query_one("#catalogue-list")
        frames = record_frames(app)
        await pilot.press("v")
        first = await first_frame(pilot, frames)
        assert screen.needle == "v" and len(screen._visible) < len(screen.services)
        assert frame_covers(first, listed.region)  # the list is in the frame that shows the key typed
