"""A list's filter bar refuses a term its kind does not take (issue 17): `breached` on the problem
queue, `cat:` on the request queue are underlined and said on the bar's line, and enter does not
apply them (it rang the bell, and the list kept its rows), instead of filtering by nothing.
Snapshots of the request queue's bar with the refusal at 80×24 and 120×40 in English and Chinese.

Update with `pytest tests/tui/test_filter_not_for_kind.py --snapshot-update`, then look at the .svg
files in __snapshots__/ before committing them."""

from __future__ import annotations

import pytest
from tui_helpers import press, queue_ready, wait_until

from desk.i18n import t
from desk.services import problems

SIZES = [(80, 24), (120, 40)]


def _typed(text: str) -> list[str]:
    return [{" ": "space", ":": "colon"}.get(ch, ch) for ch in text]


def _message(screen) -> str:
    return str(screen.bar.query_one("#filter-message").render())


async def _open(pilot, key: str, name: str):
    app = pilot.app
    await queue_ready(pilot)
    await pilot.press(key)
    await wait_until(pilot, lambda: type(app.screen).__name__ == name and app.screen.is_mounted
                     and app.screen.table.total is not None and not app.screen.table.busy, what=name)
    return app.screen


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_breached_on_the_problem_queue_is_refused_naming_problems(make_app, desk, lang):
    made = problems.create(desk, "lead", title="VPN concentrator drops sessions", impact=2, urgency=2).id
    app = make_app(seed=False, lang=lang, user="lead")
    async with app.run_test(size=app.test_size) as pilot:
        from desk.screens.problems import ProblemsScreen

        screen = ProblemsScreen()
        await app.push_screen(screen)
        await wait_until(pilot, lambda: screen.is_mounted and screen.table.total == 1 and not screen.table.busy,
                         what="the problem queue")
        await press(pilot, "slash", settle=False)
        await wait_until(pilot, lambda: screen.bar is not None and screen.bar.display, what="the filter bar")
        for key in _typed("breached"):
            await pilot.press(key)
        expected = t("tui.filter.not_for.problem", lang, term="breached", terms="`p:` `s:` `g:` `a:` `cat:`")
        await wait_until(pilot, lambda: _message(screen) == expected, what="the refusal")
        await pilot.press("enter")
        await pilot.pause()
        assert screen.bar.editing and screen.filter_text == ""  # not applied: the bar waits for a fix
        assert screen.table.total == 1 and screen.table.id_at(0) == made


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_snapshot_request_queue_refuses_cat(make_app, snap_compare, db_url, lang, size):
    if not db_url.endswith(".db"):
        pytest.skip("snapshots are taken on SQLite (the screen is the same on PostgreSQL)")
    app = make_app(seed=False, lang=lang, size=size)

    async def run_before(pilot):
        screen = await _open(pilot, "f3", "RequestsScreen")
        await press(pilot, "slash", settle=False)
        await wait_until(pilot, lambda: screen.bar is not None and screen.bar.display, what="the filter bar")
        for key in _typed("vpn cat:hardware"):
            await pilot.press(key)
        await wait_until(pilot, lambda: "cat:" in _message(screen), what="the refusal")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)
