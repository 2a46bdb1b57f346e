"""Figure 12: what a catalogue key draws besides what it changes. A search key repaints the field
without laying the whole screen out again (Input's own virtual size asks for that pass on every
key: every widget re-rendered, more of them on a big catalogue); the list has no horizontal bar
under its rows; the tree's and the list's vertical bars keep their drawn lines (as the queue's do),
and draw what Textual's own bar draws."""

from __future__ import annotations

from test_catalogue_screen import catalogue_app, open_catalogue  # noqa: F401 (a fixture)
from test_catalogue_list_length import _spy_layouts

from textual.geometry import Region
from textual.scrollbar import ScrollBar

from desk.widgets.same_frame import SameFrameInput, SameFrameTree
from desk.widgets.scrollbar import QuickScrollBar
from desk.widgets.service_list import ServiceList


async def test_a_search_key_repaints_the_field_and_lays_nothing_out(catalogue_app):  # noqa: F811
    app = catalogue_app()
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_catalogue(pilot)
        await pilot.press("slash")
        field = screen.query_one(SameFrameInput)
        asked = _spy_layouts(field)
        await pilot.press("m", "a")
        await pilot.pause()
        assert field.value == "ma" and screen.needle == "ma"
        assert asked and not any(asked)  # repainted, never laid out
        field.value = "x" * 300  # longer than the field: it still scrolls to keep the cursor in view
        field.cursor_position = 300
        await pilot.pause()
        assert field.scroll_x > 0 and field.virtual_size.width > field.size.width


def _lines(rendered):
    """What a user sees of each cell of a bar: its text and its background (a reversed style shows
    its colour there)."""
    return [[(seg.text, seg.style.color if seg.style.reverse else seg.style.bgcolor) for seg in strip]
            for strip in rendered]


async def test_the_list_and_the_tree_bars_keep_their_lines_and_draw_as_textual_does(catalogue_app):  # noqa: F811
    app = catalogue_app(size=(120, 8))
    async with app.run_test(size=(120, 8)) as pilot:
        screen = await open_catalogue(pilot)
        await pilot.press("down", "down", "down")
        await pilot.pause()
        for widget in (screen.query_one(ServiceList), screen.query_one(SameFrameTree)):
            assert widget.show_vertical_scrollbar and not widget.show_horizontal_scrollbar
            bar = widget.vertical_scrollbar
            assert isinstance(bar, QuickScrollBar) and bar.thickness > 1
            crop = Region(0, 0, bar.thickness, bar.size.height)
            ours = bar.render_lines(crop)
            assert bar._lines  # drawn once for this thumb position, kept
            assert _lines(ours) == _lines(ScrollBar.render_lines(bar, crop))
