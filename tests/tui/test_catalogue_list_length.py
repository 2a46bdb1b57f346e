"""Figure 12: a move in the catalogue's category tree or a search key gives the service list a new
length; while its scrollbar stays (or stays away) that no longer asks Textual for a layout pass of
the whole screen (~6 ms of CPU a key on 2,000 services under load: docs/performance.md), and the
bar still follows the length; when the bar must come or go, the layout pass still happens."""

from __future__ import annotations

from test_catalogue_screen import catalogue_app, open_catalogue  # noqa: F401 (a fixture)

from desk.widgets.service_list import ServiceList


def _spy_layouts(widget) -> list[bool]:
    asked: list[bool] = []
    refresh = widget.refresh

    def spy(*regions, **kwargs):
        asked.append(bool(kwargs.get("layout")))
        return refresh(*regions, **kwargs)

    widget.refresh = spy
    return asked


async def test_a_new_length_with_the_bar_staying_away_asks_for_no_layout(catalogue_app):  # noqa: F811
    app = catalogue_app()
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_catalogue(pilot)
        listed = screen.query_one(ServiceList)
        before = len(listed.rows)
        asked = _spy_layouts(listed)
        await pilot.press("shift+tab", "down")
        await pilot.pause()
        assert 0 < len(listed.rows) < before and listed.virtual_size.height == len(listed.rows)
        assert asked and not any(asked)  # repainted, never laid out
        assert not listed.show_vertical_scrollbar


async def test_the_bar_follows_the_length_and_comes_and_goes_with_a_layout(catalogue_app):  # noqa: F811
    app = catalogue_app(size=(120, 8))
    async with app.run_test(size=(120, 8)) as pilot:
        screen = await open_catalogue(pilot)
        listed = screen.query_one(ServiceList)
        assert len(listed.rows) > listed.size.height and listed.show_vertical_scrollbar
        assert listed.vertical_scrollbar.window_virtual_size == len(listed.rows)
        asked = _spy_layouts(listed)
        await pilot.press("slash", "e")  # fewer services, still more than the list shows: the bar stays
        await pilot.pause()
        assert len(listed.rows) > listed.size.height and not any(asked)
        assert listed.vertical_scrollbar.window_virtual_size == len(listed.rows)
        await pilot.press("m", "a", "i", "l")  # one service: the bar goes, through a layout pass
        await pilot.pause()
        assert len(listed.rows) == 1 and any(asked)
        assert not listed.show_vertical_scrollbar and listed.max_scroll_y == 0
