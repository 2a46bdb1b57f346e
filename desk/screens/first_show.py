"""Two passes Textual makes over a screen shown for the first time that draw or change nothing
(desk.screens.list_screen's screens take this mixin; the queue is desk's first frame).

- Textual restyles a screen and every widget on it whenever the screen is resumed. The first
  time, its widgets were styled a moment before, when they were mounted, by the same rules and
  with the same classes: ~4.5 ms of CPU before desk's first frame, for nothing. Later resumes
  (back from another screen) restyle as Textual does.
- A layout made while the app batches its updates (the app's own mount at start-up) ends in a
  whole frame being rendered, which App._display then drops because of the batch: ~10 ms of CPU
  before the first frame, the compositor cutting every line of the screen for nothing. The frame
  is left owed instead, and drawn once the batch is over.

Both lean on Textual's private `_compositor_refresh`, `_batch_count` and `_repaint_required`,
checked in tests/tui/test_textual_private_api.py."""

from __future__ import annotations

from textual import events
from textual.screen import Screen


class FirstShow(Screen):
    def post_message(self, message) -> bool:
        if type(message) is events.ScreenResume and message.refresh_styles and not self.is_mounted:
            # (posted before the screen's compose and mount, handled after them: switching to a
            # mode the first time posts two)
            message = events.ScreenResume(refresh_styles=False)
        return super().post_message(message)

    def _compositor_refresh(self) -> None:
        app = self.app
        if app._batch_count and self is app.screen and not app.is_inline:
            # App._display would drop this frame: owe it, and draw it when the batch is over
            # (the app's queue runs again only then)
            self._repaint_required = True
            app.call_later(self.refresh)
            return
        super()._compositor_refresh()
