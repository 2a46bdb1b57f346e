"""The app reads dialogs.tcss after its first frame, not before it: the detail screen and the
action dialogs must still get its styles, also a dialog pushed before that first frame."""

from __future__ import annotations

from textual.containers import Vertical
from textual.screen import ModalScreen
from tui_helpers import queue_ready, wait_until


async def test_the_detail_screen_has_the_dialog_styles(make_app):
    app = make_app()
    async with app.run_test(size=app.test_size) as pilot:
        await queue_ready(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen.query("#detail-title"), what="the detail screen")
        title = app.screen.query_one("#detail-title")
        assert title.styles.max_height is not None and title.styles.max_height.value == 3


class _Dialog(ModalScreen):
    """Notes the width its box had when it mounted."""

    def __init__(self) -> None:
        super().__init__(classes="action-dialog")
        self.width_at_mount = None

    def compose(self):
        yield Vertical(id="dialog")

    def on_mount(self) -> None:
        self.width_at_mount = self.query_one("#dialog").styles.width


async def test_a_dialog_pushed_before_the_first_frame_has_the_dialog_styles(desk):
    from desk.app import DeskApp, operator_for

    class EarlyDialogApp(DeskApp):
        def on_mount(self) -> None:  # the app's own mount: inside its start-up, before the first frame
            super().on_mount()
            self.push_screen(self.dialog)

    app = EarlyDialogApp(desk, operator_for(desk, "admin"), keymap={})
    app.dialog = dialog = _Dialog()
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_until(pilot, lambda: dialog.is_mounted, what="the dialog")
        assert dialog.width_at_mount is not None and dialog.width_at_mount.value == 76
        assert dialog.query_one("#dialog").styles.border_top[0] == "round"
