"""The change calendar (C on the change queue): a week of scheduled changes by day, conflicts on
a shared service marked on both changes, a week back and forth, this week again, a change opened
from it; each key driven with Pilot; snapshots at 80×24 and 120×40 in English and Chinese."""

from __future__ import annotations

from datetime import timedelta

import pytest
from tui_helpers import screen_text, wait_until

from desk.screens.change_calendar import ChangeCalendarScreen
from desk.screens.changes import ChangesScreen
from desk.services import changes

try:
    from .test_problem_change_screens import open_list
except ImportError:
    from test_problem_change_screens import open_list


def scheduled(desk, template: str, start, hours: int, title: str = ""):
    c = changes.create(desk, "wang", type="standard", template=template, title=title)
    changes.submit(desk, "wang", c.id)  # a standard change: approved by its template
    return changes.schedule(desk, "wang", c.id, start=start, end=start + timedelta(hours=hours))


def seed(desk, clock):
    """This week (the clock's): two changes on the network service that overlap on Tuesday, one on
    the desktops on Wednesday; next week one more; a draft that is not on the calendar."""
    monday = clock.now.replace(hour=0, minute=0, second=0, microsecond=0)
    monday -= timedelta(days=monday.weekday()) + timedelta(hours=8)  # the desk's Monday (Asia/Shanghai), in UTC
    made = {
        "vpn": scheduled(desk, "vpn-cert", monday + timedelta(days=1, hours=22), 3).id,
        "vpn2": scheduled(desk, "vpn-cert", monday + timedelta(days=1, hours=23), 2,
                          title="Renew the backup VPN gateway's certificate [b]x[/b]").id,
        "patch": scheduled(desk, "desktop-patch", monday + timedelta(days=2, hours=20), 4).id,
        "later": scheduled(desk, "desktop-patch", monday + timedelta(days=9, hours=20), 4,
                           title="Next month's desktop patches").id,
        "draft": changes.create(desk, "wang", title="A draft without a window").id,
    }
    return made


async def open_calendar(pilot):
    app = pilot.app
    queue = await open_list(pilot, ChangesScreen)
    await pilot.press("C")
    await wait_until(pilot, lambda: isinstance(app.screen, ChangeCalendarScreen) and app.screen.calendar is not None,
                     what="the calendar")
    await pilot.pause()
    return queue, app.screen


def listed(screen) -> set[int]:
    return {e.change.id for day in screen.calendar.days for e in day.entries}


async def test_c_opens_the_week_with_its_conflicts_marked(make_app, desk, clock):
    made = seed(desk, clock)
    app = make_app(seed=False, user="lead")
    async with app.run_test(size=app.test_size) as pilot:
        _, screen = await open_calendar(pilot)
        assert listed(screen) == {made["vpn"], made["vpn2"], made["patch"]}  # not next week's, not the draft
        text = screen_text(app)
        assert "Changes in conflict: 2" in text
        assert f"conflicts with change {made['vpn2']} on service Office network and VPN" in text
        assert f"conflicts with change {made['vpn']} on service Office network and VPN" in text
        assert f"! C{made['vpn']} " in text and f"! C{made['vpn2']} " in text
        assert f"  C{made['patch']} " in text and f"! C{made['patch']} " not in text
        assert "[b]x[/b]" in text  # a title shown literally


async def test_the_arrow_keys_move_a_week_and_t_comes_back(make_app, desk, clock):
    made = seed(desk, clock)
    app = make_app(seed=False, user="lead")
    async with app.run_test(size=app.test_size) as pilot:
        _, screen = await open_calendar(pilot)
        this_week = screen.calendar.week
        await pilot.press("right")
        await wait_until(pilot, lambda: screen.calendar.week != this_week, what="next week")
        assert listed(screen) == {made["later"]}
        await pilot.press("left", "left")
        await wait_until(pilot, lambda: listed(screen) == set() and screen.calendar.week != this_week,
                         what="last week")
        await pilot.press("right_square_bracket")
        await wait_until(pilot, lambda: screen.calendar.week == this_week, what="] to this week")
        await pilot.press("left_square_bracket")
        await wait_until(pilot, lambda: screen.calendar.week != this_week, what="[ a week back")
        await pilot.press("t")
        await wait_until(pilot, lambda: screen.calendar.week == this_week, what="t: this week")
        assert listed(screen) == {made["vpn"], made["vpn2"], made["patch"]}


async def test_enter_opens_the_change_and_escape_goes_back(make_app, desk, clock):
    made = seed(desk, clock)
    app = make_app(seed=False, user="lead")
    async with app.run_test(size=app.test_size) as pilot:
        queue, screen = await open_calendar(pilot)
        first = screen.selected_change()
        assert first == made["vpn"]  # the first change of the week is highlighted
        await pilot.press("down")  # the conflict lines belong to their change: the next change
        second = screen.selected_change()
        assert second == made["vpn2"]
        await pilot.press("down")  # Wednesday: the first change again (its window runs past midnight)
        assert screen.selected_change() == made["vpn"]
        await pilot.press("up")
        await pilot.press("enter")
        await wait_until(pilot, lambda: getattr(app.screen, "detail", None) is not None, what="the detail")
        assert app.screen.detail.id == second
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, what="back to the calendar")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is queue, what="back to the queue")


async def test_an_empty_week_says_so_and_enter_opens_nothing(make_app, desk, clock):
    app = make_app(seed=False, user="lead")
    async with app.run_test(size=app.test_size) as pilot:
        _, screen = await open_calendar(pilot)
        assert listed(screen) == set()
        assert screen_text(app).count("no changes") == 7
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is screen
        assert any("No change is selected" in str(n.message) for n in app._notifications)


SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_snapshot(make_app, snap_compare, db_url, desk, clock, lang, size):
    if not db_url.endswith(".db"):
        pytest.skip("snapshots are taken on SQLite (the screen is the same on PostgreSQL)")
    seed(desk, clock)
    monday = clock.now.replace(hour=0, minute=0, second=0, microsecond=0) - timedelta(days=clock.now.weekday())
    desk.config.data["change_freeze"] = [{"code": "close", "en": "Month-end closing [b]x[/b]", "zh": "月末结算 [b]x[/b]",
                                          "start": monday + timedelta(days=3, hours=18),
                                          "end": monday + timedelta(days=5)}]  # Thursday evening to Friday
    app = make_app(seed=False, lang=lang, size=size, user="lead")

    async def run_before(pilot):
        await open_calendar(pilot)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("lang, said", [("en", "Times in Asia/Shanghai."), ("zh", "时间为 Asia/Shanghai 时区。")])
@pytest.mark.parametrize("size", [(80, 24), (120, 40)], ids=lambda s: f"{s[0]}x{s[1]}")
async def test_the_calendar_names_its_time_zone_whole_at_every_size(make_app, desk, clock, lang, size, said):
    """Its windows are the desk's local times: at 80 columns the line naming the zone was left out
    (the title with its conflicts took the room); it now goes under the title, whole."""
    seed(desk, clock)
    app = make_app(seed=False, lang=lang, size=size, user="lead")
    async with app.run_test(size=size) as pilot:
        _, screen = await open_calendar(pilot)
        lines = screen_text(app).splitlines()
        assert any(said in line for line in lines)
        assert any("2026-W45" in line for line in lines)
        assert screen.query_one("#calendar-days").region.height >= size[1] - 6  # the days keep the room
