"""The few private parts of Textual that desk leans on, each checked here for what desk assumes
of it, so that an upgrade of Textual that changes one fails this module (by name) rather than
showing up as a wrong scrollbar or a stale frame. Where desk uses each, and why no public API
does: see the comment at the use (desk/widgets, desk/screens, desk/app.py). Textual is pinned
below 9 in pyproject.toml."""

from __future__ import annotations

import asyncio
import inspect

from textual.app import App
from textual.binding import Binding, BindingsMap
from textual.css.stylesheet import Stylesheet
from textual.geometry import Size
from textual.screen import Screen
from textual.scroll_view import ScrollView
from textual.widget import Widget

from desk.screens.actions import localise_bindings
from desk.widgets.status import StatusLine


def _params(function) -> list[str]:
    return list(inspect.signature(function).parameters)


def _run(app: App, scenario) -> None:
    async def main():
        async with app.run_test(size=(60, 10)) as pilot:
            await pilot.pause()
            await scenario(pilot)

    asyncio.run(main())


# --- signatures desk calls or overrides ------------------------------------------------------------

def test_the_private_methods_desk_calls_keep_their_signatures():
    assert _params(Widget._scroll_update) == ["self", "virtual_size"]  # widgets/scrollbar.py, detail_body
    assert _params(Widget._size_updated) == ["self", "size", "virtual_size", "container_size", "layout"]  # detail_body
    assert _params(App._start_widget) == ["self", "parent", "widget"]  # kept_lines.vertical_scrollbar
    assert _params(App._get_screen) == ["self", "screen"]  # screens/detail.py (the kept detail screen)
    assert _params(Screen._refresh_layout) == ["self", "size", "scroll"]  # screens/detail.py
    assert isinstance(inspect.getattr_static(Screen, "_update_timer"), property)  # screens/detail.py
    assert _params(Stylesheet._parse_rules) == ["self", "css", "read_from", "is_default_rules", "tie_breaker",
                                                 "scope"]  # app.py: the parsed CSS kept between runs
    assert _params(Screen._compositor_refresh) == ["self"]  # screens/first_show.py


def test_a_frame_rendered_while_the_app_batches_is_dropped_and_a_resume_restyles_when_asked():
    # desk.screens.first_show: App._display draws nothing while `_batch_count` is set, so a frame
    # rendered then is owed (`_repaint_required`) instead; ScreenResume(refresh_styles=False)
    # resumes a screen without restyling it
    display = inspect.getsource(App._display)
    assert "if self._batch_count:\n                return" in display
    resume = inspect.getsource(Screen._on_screen_resume)
    assert "if event.refresh_styles:\n                self.update_node_styles(" in resume
    app = _ScrollApp()

    async def scenario(pilot):
        screen = app.screen
        assert app._batch_count == 0 and screen._repaint_required is False
        screen._repaint_required = True
        screen.refresh()
        await pilot.pause()
        assert screen._repaint_required is False

    _run(app, scenario)


def test_focus_restyles_through_watch_has_focus_alone():
    # desk.widgets.record_lines overrides watch_has_focus without calling Textual's: all Textual's
    # does is restyle the node, which the table's cursor colours do without (two component classes)
    source = inspect.getsource(Widget.watch_has_focus)
    body = [line.strip() for line in source.splitlines()[1:] if line.strip() and not line.strip().startswith('"""')
            and not line.strip().endswith('"""')]
    assert body == ["self.update_node_styles()"]


# --- what desk assumes they do ---------------------------------------------------------------------

class _Lines(ScrollView):
    def render_line(self, y):
        from textual.strip import Strip

        return Strip.blank(self.size.width)


class _ScrollApp(App):
    def compose(self):
        yield _Lines()


def test_scroll_update_gives_the_scrollbar_a_new_length_without_a_layout_pass():
    app = _ScrollApp()

    async def scenario(pilot):
        view = app.query_one(_Lines)
        view.set_reactive(_Lines.virtual_size, Size(40, 500))
        view._scroll_update(Size(40, 500))
        assert view.show_vertical_scrollbar
        assert view.vertical_scrollbar.window_virtual_size == 500
        assert view.max_scroll_y == 500 - view.scrollable_content_region.height

    _run(app, scenario)


def test_the_vertical_scrollbar_is_made_once_in_vertical_scrollbar_and_kept_in_vertical_scrollbar_attr():
    # desk.widgets.kept_lines makes its own bar there (one that keeps its lines), as Textual does
    app = _ScrollApp()

    async def scenario(pilot):
        view = app.query_one(_Lines)
        assert "_vertical_scrollbar" in inspect.getsource(type(view).vertical_scrollbar.fget)
        bar = view.vertical_scrollbar
        assert bar is view._vertical_scrollbar and view.vertical_scrollbar is bar
        await pilot.pause()
        assert bar.parent is view  # (attached and started by App._start_widget)

    _run(app, scenario)


class _Keys(Screen):
    BINDINGS = [Binding("x", "noop", "do", id="thing")]


class _KeysApp(App):
    def on_mount(self):
        self.push_screen(_Keys())


def test_bindings_are_a_map_per_node_that_localise_bindings_may_rewrite():
    # desk.screens.actions.localise_bindings and DeskApp rewrite `_bindings.key_to_bindings` (a
    # binding's description has no public setter); it must be the node's own map, and the one
    # the footer and the key bar read
    app = _KeysApp()

    async def scenario(pilot):
        first, second = app.screen, _Keys()
        assert isinstance(first._bindings, BindingsMap) and isinstance(first._bindings.key_to_bindings, dict)
        localise_bindings(first, "en", prefix="nothing.here")
        assert first._bindings is not second._bindings
        assert [b.description for b in second._bindings.key_to_bindings["x"]] == ["do"]
        assert app.active_bindings["x"].binding.description == first._bindings.key_to_bindings["x"][0].description
        assert app.active_bindings["x"].binding.description != "do"

    _run(app, scenario)


def test_screen_stacks_are_kept_per_mode_in_screen_stacks():
    app = _KeysApp()  # desk.app walks every mode's stack (closing the kept detail screens)

    async def scenario(pilot):
        assert app.screen in app._screen_stacks[app.current_mode]

    _run(app, scenario)


class _StatusApp(App):
    CSS = "StatusLine > .status-line--busy { color: $error; }"

    def compose(self):
        yield StatusLine()


def test_one_line_widgets_keep_their_rich_styles_apart_from_textual_s_component_styles():
    # Textual keeps a node's component RenderStyles in `_component_styles` (name -> RenderStyles);
    # OneLineWidget's own cache of Rich styles must not share it (it once did)
    app = _StatusApp()

    async def scenario(pilot):
        line = app.query_one(StatusLine)
        line.get_component_rich_style("status-line--busy")
        assert all(isinstance(name, str) for name in line._component_styles)
        before = line.get_component_rich_style("status-line--busy")
        app.theme = "textual-light" if app.theme != "textual-light" else "nord"
        await pilot.pause()
        assert line.get_component_rich_style("status-line--busy") != before

    _run(app, scenario)


def test_bindings_maps_iterate_as_key_and_binding_pairs():
    # DeskApp.binding_ids reads the app's own bindings as `for _, b in self._bindings`
    app = _KeysApp()

    async def scenario(pilot):
        pairs = list(app.screen._bindings)
        assert pairs and all(isinstance(k, str) and isinstance(b, Binding) for k, b in pairs)
        assert ("x", app.screen._bindings.key_to_bindings["x"][0]) in pairs

    _run(app, scenario)


def test_layout_required_says_a_layout_is_pending_until_the_next_one():
    # desk.screens.detail._draw_ahead draws nothing while `_layout_required` is set (its region is
    # about to change)
    app = _ScrollApp()

    async def scenario(pilot):
        view = app.query_one(_Lines)
        assert view._layout_required is False
        view.refresh(layout=True)
        assert view._layout_required is True
        await pilot.pause()
        assert view._layout_required is False

    _run(app, scenario)
