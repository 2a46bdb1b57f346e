"""Issue 11 (15): sorted by last update, the queue shows which column the order follows. No column
shows the last update, so while that sort lasts the Age column shows how long each incident has
been idle (since its last change), headed "Idle▼"; any other sort brings Age back."""

from __future__ import annotations

import pytest
from tui_helpers import press, queue_ready, screen_lines

from desk.lists.layout import compact


@pytest.mark.parametrize("lang, idle, age", [("en", "Idle▼", "Age"), ("zh", "闲置▼", "时长")])
async def test_sorted_by_last_update_the_age_column_shows_idle_time_under_the_marker(make_app, lang, idle, age):
    app = make_app(lang=lang)
    async with app.run_test(size=app.test_size) as pilot:
        screen = await queue_ready(pilot)
        await press(pilot, "s", "s", "s")
        assert screen.sort == "updated"
        header = screen_lines(app)[1]
        assert header.rstrip().endswith(idle) and header.count("▼") == 1
        table, now = screen.table, app.desk.now()
        for y in range(3):  # (the last column, right-aligned)
            assert screen_lines(app)[2 + y].split()[-1] == compact(now - table.row_at(y).updated_at)
        assert table.row_at(0).updated_at != table.row_at(0).opened_at  # (not the age under another name)
        await press(pilot, "s")  # priority again: Age as before, the marker on P
        header = screen_lines(app)[1]
        assert header.rstrip().endswith(age) and header.count("▼") == 1
        assert screen_lines(app)[2].split()[-1] == compact(now - table.row_at(0).opened_at)
