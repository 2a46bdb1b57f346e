"""Snapshots of the queue (and sorted by last update), the filter bar (a valid and an invalid term) and the help, at 80×24
and 120×40, in English and Chinese, on the seeded desk at 09:00 (FakeClock).

Update with `pytest tests/tui/test_snapshots.py --snapshot-update`, then look at the .svg files
in __snapshots__/ before committing them."""

from __future__ import annotations

import pytest
from tui_helpers import queue_ready

SIZES = [(80, 24), (120, 40)]
LANGS = ["en", "zh"]


def _typed(text: str) -> list[str]:
    return [{" ": "space", ":": "colon", ",": "comma"}.get(ch, ch) for ch in text]


STATES = {
    "queue": [],
    "filter_valid": ["slash", *_typed("p:1,2 s:open"), "enter"],
    "filter_invalid": ["slash", *_typed("vpn zz:1 p:9")],
    "help": ["question_mark"],
    "sorted_by_update": ["s", "s", "s"],  # (the Age column shows idle time under the marker)
}


def _driver(keys: list[str]):
    async def run_before(pilot):
        await queue_ready(pilot)
        for key in keys:
            await pilot.press(key)
        if keys and keys[-1] in ("enter", "s"):
            await queue_ready(pilot)
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("state", list(STATES))
def test_snapshot(make_app, snap_compare, db_url, state, lang, size):
    if not db_url.endswith(".db"):
        pytest.skip("snapshots are taken on SQLite (the screen is the same on PostgreSQL)")
    app = make_app(lang=lang, size=size)
    assert snap_compare(app, terminal_size=size, run_before=_driver(STATES[state]))
