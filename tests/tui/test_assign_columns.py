"""The assign form's list in Chinese: a group's name stands in the same column as an agent's name.
The group's prefix ("工作组 · L1") was padded to 16 characters, not cells: its three Chinese
characters took three cells more, and every group's name stood three cells right of the agents'."""

from __future__ import annotations

import pytest
from rich.cells import cell_len

from test_actions_host import HostApp, drive, row


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_group_names_and_agent_names_share_a_column(desk, data, lang):
    desk.lang = lang
    app = HostApp(desk, "assign", [row(data[0])])
    starts = {}

    async def scenario(pilot):
        for item in app.screen.query_one("#target")._items:
            kind = item.value.split(":")[0]
            spans = [s for s in item.prompt.spans if s.start == 0]  # the first column's style
            if kind in ("agent", "group") and spans:
                starts.setdefault(kind, set()).add(cell_len(item.prompt.plain[:spans[0].end]))

    drive(app, scenario, size=(120, 40))
    assert starts["agent"] == starts["group"] == {16}
