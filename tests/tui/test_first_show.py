"""The queue's first frame is drawn once, and its screen is not restyled as a whole when first
shown (desk/screens/first_show.py): both were CPU spent before desk's first frame for nothing.
A later resume (back from another screen) still restyles, as Textual does."""

from __future__ import annotations

from textual._compositor import Compositor
from textual.screen import Screen
from tui_helpers import queue_ready, wait_until

from desk.screens.list_screen import ListScreen


async def test_no_frame_is_rendered_while_the_app_batches_its_start_and_the_first_is_drawn(make_app, monkeypatch):
    app = make_app()
    batching = []
    real = Compositor.render_update

    def render_update(self, *args, **kwargs):
        batching.append(app._batch_count)
        return real(self, *args, **kwargs)

    monkeypatch.setattr(Compositor, "render_update", render_update)
    async with app.run_test(size=app.test_size) as pilot:
        await queue_ready(pilot)
        # (Textual rendered a whole frame inside the app's start-up batch, which App._display dropped)
        assert batching and all(count == 0 for count in batching)
        assert app.screen.query_one("#incidents").region.height > 0


async def test_a_list_screen_is_restyled_on_resume_only_after_its_first_show(make_app, monkeypatch):
    app = make_app()
    restyled = []
    real = Screen.update_node_styles

    def update_node_styles(self, animate=True):
        if isinstance(self, ListScreen):
            restyled.append(self.id)
        return real(self, animate)

    monkeypatch.setattr(Screen, "update_node_styles", update_node_styles)
    async with app.run_test(size=app.test_size) as pilot:
        await queue_ready(pilot)
        assert restyled == []  # styled when its widgets mounted, with the same rules and classes
        await app.switch_mode("problems")
        await wait_until(pilot, lambda: app.screen.id == "problems" and app.screen.is_mounted, what="the problems")
        assert restyled == []  # (its own first show)
        await app.switch_mode("queue")
        await wait_until(pilot, lambda: restyled, what="the queue's restyle")
        assert restyled == ["queue"]  # back from another screen: restyled as Textual does
