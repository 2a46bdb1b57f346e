"""Enter on a filter read ahead while it was typed shows the filtered rows and the bar as applied in
one frame. The bar used to show itself applied (its line dim, "/ edits the filter") as it took the
enter, a turn of the event loop before the screen took the filter: a paint between the two showed
the applied bar over the old rows, and the rows a frame later (40 ms a filter on a quiet machine,
figure 2)."""

from __future__ import annotations

from tui_helpers import press, queue_ready, wait_until

from desk.i18n import t
from desk.widgets.filter_bar import FilterBar


def _message(screen) -> str:
    return str(screen.bar.query_one("#filter-message").render())


async def test_the_bar_changes_with_the_rows_not_a_turn_before_them(make_app):
    app = make_app()
    async with app.run_test(size=app.test_size) as pilot:
        screen = await queue_ready(pilot)
        await press(pilot, "slash", settle=False)
        for ch in "printer":
            await pilot.press(ch)
        await wait_until(pilot, lambda: screen.source._peeked is not None
                         and screen.source._peeked[0][0].text == "printer", what="the filter read ahead")
        bar = screen.bar
        when_applied = []  # (the bar's line, the rows' first id) as the bar hands the filter to the screen
        post = bar.post_message
        bar.post_message = lambda message: (
            when_applied.append((_message(screen), screen.table.id_at(0), bar.input.has_focus))
            if isinstance(message, FilterBar.Applied) else None, post(message))[1]
        before = screen.table.id_at(0)
        await pilot.press("enter")
        await wait_until(pilot, lambda: screen.filter_text == "printer", what="the filter applied")
        # as handed over, nothing had changed on screen yet: the bar still as typed, the old rows
        assert when_applied == [(t("tui.filter.hint_incident", "en"), before, True)]
        # and once the screen took it (within that turn, the rows read ahead): all of it at once
        assert _message(screen) == t("tui.filter.active", "en")
        assert screen.table.has_focus and screen.table.total == 1 and screen.table.id_at(0) != before
