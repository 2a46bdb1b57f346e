"""The wallboard (`desk wallboard`): snapshots at 80×24 and 120×40 in English and Chinese on the
seeded desk at 09:00 (FakeClock) with two requests besides the incidents, and a Pilot test for
each key."""

from __future__ import annotations

import pytest
from tui_helpers import seed_queue

from desk.services import incidents, requests

SIZES = [(80, 24), (120, 40)]


async def board_ready(pilot, reads: int = 1, timeout: float = 10.0):
    """Wait until the wallboard has drawn at least `reads` reads and none is pending."""
    screen = pilot.app.screen
    waited = 0.0
    while waited < timeout:
        if screen.board is not None and screen.shown >= reads and screen.reader.pending == 0:
            await pilot.pause()
            return screen
        await pilot.pause(0.05)
        waited += 0.05
    raise AssertionError("the wallboard did not draw")


@pytest.fixture
def board_app(desk, clock):
    from desk.screens.board import WallboardApp

    seed_queue(desk, clock)
    base = clock.now
    clock.now = base.replace(hour=2)  # a priority-1 request dispatched early: breached by 09:00
    late = requests.create(desk, "li", title="新员工邮箱 mailbox for a new starter", requester="Zhang Wei",
                           checked=["all"], priority=1)
    requests.accept(desk, "li", late.id)
    requests.dispatch(desk, "li", late.id, to="chen")
    clock.now = base.replace(hour=8)
    requests.create(desk, "li", title="Access to the ledger", requester="Bo Wu", checked=["all"], priority=2)
    clock.now = base

    def factory(lang="en"):
        desk.lang = lang
        return WallboardApp(desk)

    return factory


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_wallboard_snapshot(board_app, snap_compare, db_url, lang, size):
    if not db_url.endswith(".db"):
        pytest.skip("snapshots are taken on SQLite (the screen is the same on PostgreSQL)")

    async def run_before(pilot):
        await board_ready(pilot)

    assert snap_compare(board_app(lang), terminal_size=size, run_before=run_before)


async def test_the_board_counts_what_the_clocks_say(board_app):
    app = board_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await board_ready(pilot)
        board = screen.board
        assert board.open_total == 12 and board.unassigned == 9
        # incidents and requests in one list, the most overdue first
        assert [(c.entity, c.id) for c in board.breached] == [("incident", 1), ("incident", 3), ("incident", 7),
                                                                ("request", 1), ("incident", 11)]
        assert [c.id for c in board.soon] == [5]
        text = str(screen.query_one("#wb-breached").render())
        assert "-4h00" in text and "VPN drops every hour" in text
        assert "R1     P1  -3h00 新员工邮箱 mailbox for a new starter" in text  # a request, its countdown
        counts = str(screen.query_one("#wb-counts").render())
        assert "open requests: 2, for approval: 0" in counts and "Pending 1  Dispatched 1" in counts
        assert "alerts firing: 0  late reports: 0" in counts  # (a new desk: no period of its list has ended)


async def test_r_reads_again_at_once(board_app, desk):
    app = board_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await board_ready(pilot)
        incidents.create(desk, "li", title="new outage", impact=1, urgency=1)
        await pilot.press("r")
        await board_ready(pilot, reads=2)
        assert screen.board.open_total == 13


async def test_an_unchanged_board_redraws_nothing(board_app):
    app = board_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await board_ready(pilot)
        before = {w.id: w._wb_text for w in screen.query(".wb-panel") if hasattr(w, "_wb_text")}
        calls = []
        for widget in screen.query(".wb-panel"):
            widget.update = lambda *a, _w=widget, **k: calls.append(_w.id)
        await pilot.press("r")
        await board_ready(pilot, reads=2)
        assert calls == [] and before


async def test_q_quits_the_wallboard(board_app):
    app = board_app()
    async with app.run_test(size=(80, 24)) as pilot:
        await board_ready(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_f6_opens_the_wallboard_in_the_app_and_f2_goes_back(make_app):
    from tui_helpers import queue_ready

    from desk.screens.board import WallboardScreen
    from desk.screens.queue import QueueScreen

    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await queue_ready(pilot)
        await pilot.press("f6")
        screen = await board_ready(pilot)
        assert isinstance(screen, WallboardScreen) and screen.board.breached_total == 4
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, QueueScreen)


def test_the_per_agent_line_wraps_between_agents_never_inside_one(desk):
    """At 80 columns the panel is ~38 wide: 'chen.jie' at a line's end and '0/15' at the next
    one's start read as two agents."""
    import re
    from types import SimpleNamespace

    from rich.console import Console

    from desk.screens.board import WallboardScreen

    board = SimpleNamespace(by_group=[], by_agent=[(f"agent.{i}", i, 3 * i) for i in range(14)])
    text = WallboardScreen._load(None, board, "en", desk.config, 38)
    lines = [line.plain.strip() for line in text.wrap(Console(width=38), 38)]
    agents = lines[lines.index("Per agent: incidents/requests") + 1:]
    assert len(agents) > 2  # it does wrap
    assert all(re.fullmatch(r"(agent\.\d+\s\d+/\d+\s*)+", line) for line in agents), agents


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_status_table_columns_line_up_in_both_languages(desk, lang):
    """The status × priority counts in columns under P1…P4. The labels were padded by their length in
    characters: in Chinese a three-character status (已分派, 处理中) takes six cells, and its counts
    stood one cell right of a two-character one's (新建) and of the P1…P4 heading."""
    from types import SimpleNamespace

    from rich.cells import cell_len

    from desk.screens.board import STATUSES, WallboardScreen

    board = SimpleNamespace(open_total=9, by_status={(s, p): 7 for s in STATUSES for p in range(1, 5)})
    lines = WallboardScreen._status(None, board, lang, desk.config).plain.splitlines()[1:]
    heading, rows = lines[0], lines[1:]
    assert len(rows) == len(STATUSES)
    ends = [cell_len(heading[:heading.index(f"P{p}") + 2]) for p in range(1, 5)]  # where each heading ends
    for row in rows:
        cut = row.rstrip()
        assert [cell_len(cut[:i + 1]) for i, ch in enumerate(cut) if ch == "7"] == ends, (lang, row)


async def _breached_rows(app, size) -> list[str]:
    async with app.run_test(size=size) as pilot:
        screen = await board_ready(pilot)
        return [line for line in str(screen.query_one("#wb-breached").render()).splitlines()[1:] if line.strip()]


async def test_the_breached_list_fills_the_room_it_has(desk, clock):
    """A shift lead's 40-line terminal showed 8 breached tickets and nine empty lines under them,
    and an 80×24 one none at all (the request statuses wrapped to four lines and took the room)."""
    from desk.screens.board import WallboardApp

    base = clock.now
    clock.now = base.replace(hour=1)
    for i in range(20):
        incidents.create(desk, "li", title=f"branch {i:02} offline", impact=1, urgency=1)
    requests.create(desk, "li", title="Access to the ledger", requester="Bo Wu", checked=["all"], priority=2)
    clock.now = base
    assert len(await _breached_rows(WallboardApp(desk), (120, 40))) > 12
    assert len(await _breached_rows(WallboardApp(desk), (80, 24))) >= 2
