"""The key bar never lets `? Help` be the key that gives way (desk/widgets/key_bar.py): the change
detail at 80 columns showed six keys and cut the help off (seen in tmux), the other details kept it.
The keys before it give way instead, in order from the last; keys that fit all show, in order, and
when every other key fits, the help is the one that may give way (the bar shows all there is)."""

from __future__ import annotations

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.widgets import Static

from desk.screens.record_detail import RecordDetailScreen
from desk.widgets.key_bar import KeyBar

WORDS = ["Submit", "Assess", "Approve", "Reject", "Schedule", "Start work", "Review", "Close", "Add a note"]


class Keys(Screen):
    def __init__(self, count: int) -> None:
        super().__init__()
        self._count = count

    def compose(self):
        yield Static("body")
        yield KeyBar(id="keys")

    def on_mount(self) -> None:
        for n, word in enumerate(WORDS[:self._count]):
            self._bindings.bind("abcdefghi"[n], f"noop('{n}')", word)

    def action_noop(self, n: str) -> None:
        pass


class KeysApp(App):
    BINDINGS = [Binding("question_mark", "help", "Help", id="help"),
                Binding("ctrl+p", "command_palette", "Commands", show=False)]

    def __init__(self, count: int) -> None:
        super().__init__()
        self._count = count

    def on_mount(self) -> None:
        self.push_screen(Keys(self._count))

    def action_help(self) -> None:
        pass


async def _bar(count: int, width: int) -> str:
    app = KeysApp(count)
    async with app.run_test(size=(width, 10)) as pilot:
        await pilot.pause()
        app.screen.refresh_bindings()
        await pilot.pause()
        return app.screen.query_one(KeyBar).render().plain


async def test_nine_keys_at_80_columns_keep_the_help_and_drop_from_the_last_key():
    shown = await _bar(9, 80)
    assert "? Help" in shown and " a Submit b Assess " in shown
    assert "i Add a note" not in shown  # (the last of the keys before it gave way)
    kept = [word for word in WORDS if f" {word}" in shown]
    assert kept == WORDS[:len(kept)]  # in order, none skipped


async def test_keys_that_fit_all_show_in_order_with_the_help_last():
    shown = await _bar(3, 80)
    assert shown.split("  ")[0].strip() == "a Submit b Assess c Approve ? Help"


async def test_when_every_other_key_fits_they_all_show_and_the_help_gives_way():
    shown = await _bar(3, 36)
    assert shown.split("  ")[0].strip() == "a Submit b Assess c Approve" and "Help" not in shown


async def test_the_change_detail_at_80_columns_shows_the_help(desk):
    from tui_helpers import wait_until

    from desk.app import DeskApp, operator_for
    from desk.services import changes

    c = changes.create(desk, "wang", title="Upgrade the VPN concentrator firmware", reason="drops", services="network")
    desk.user = "lead"
    app = DeskApp(desk, operator_for(desk, "lead"), keymap={})
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.press("f8")
        await wait_until(pilot, lambda: getattr(app.screen, "SCREEN_ID", "") == "changes"
                         and app.screen.table.cursor_id == c.id, what="the change queue")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, RecordDetailScreen) and app.screen.detail is not None,
                         what="the change detail")
        await pilot.pause()
        shown = app.screen.query_one(KeyBar).render().plain
        assert "? Help" in shown and "esc Back to the list" in shown and "u Submit" in shown, shown
