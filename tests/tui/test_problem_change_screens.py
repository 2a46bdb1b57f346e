"""The problem and change queues on the list machinery: each key driven with Pilot, the detail,
an action's form (written through the services with the version seen; a stale one refused and
re-read), and snapshots at 80×24 and 120×40 in English and Chinese."""

from __future__ import annotations

import pytest
from tui_helpers import wait_until

from desk.services import changes, incidents, problems


def seed(desk, clock):
    """Problems and changes in several states, through the services."""
    inc = incidents.create(desk, "li", title="VPN drops every hour", impact=2, urgency=1, category="network")
    made = {}
    made["p1"] = problems.create(desk, "lead", title="VPN concentrator drops sessions", incidents_=[inc.id]).id
    clock.advance(minutes=5)
    made["p2"] = problems.create(desk, "lead", title="Printers jam after the driver update", impact=3,
                                 urgency=3).id
    problems.investigate(desk, "wang", made["p2"])
    clock.advance(minutes=5)
    made["p3"] = problems.create(desk, "lead", title="Backups fail on Sundays 打印机", impact=1, urgency=2).id
    problems.investigate(desk, "chen", made["p3"])
    problems.root_cause(desk, "chen", made["p3"], text="the tape library firmware")
    problems.known_error(desk, "chen", made["p3"], workaround="run the job again at 03:00")
    made["c1"] = changes.create(desk, "wang", title="Upgrade the VPN concentrator firmware",
                                reason="sessions drop under load").id
    clock.advance(minutes=5)
    made["c2"] = changes.create(desk, "wang", title="Replace the core switch", type="emergency",
                                reason="the core switch is failing", implementation_plan="swap it at night",
                                backout_plan="put the old one back").id
    changes.submit(desk, "wang", made["c2"])
    return made


async def open_list(pilot, screen_cls):
    app = pilot.app
    screen = screen_cls()
    await app.push_screen(screen)
    await wait_until(pilot, lambda: screen.is_mounted and screen.table.total is not None and not screen.table.busy
                     and all(screen.table.row_at(i) is not None for i in range(screen.table.total)),
                     what="the list")
    await pilot.pause()
    return screen


def _ids(screen):
    return [screen.table.id_at(i) for i in range(screen.table.total or 0)]


async def test_the_problem_queue_lists_views_and_acts(make_app, desk, clock):
    from desk.screens.problems import ProblemsScreen

    made = seed(desk, clock)
    app = make_app(seed=False, user="lead")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_list(pilot, ProblemsScreen)
        assert set(_ids(screen)) == {made["p1"], made["p2"], made["p3"]}
        priorities = [screen.table.row_at(i).priority for i in range(3)]
        assert priorities == sorted(priorities) and _ids(screen)[-1] == made["p2"]  # most urgent first
        await pilot.press("5")  # known errors
        await wait_until(pilot, lambda: _ids(screen) == [made["p3"]] and not screen.table.busy, what="view 5")
        await pilot.press("1")
        await wait_until(pilot, lambda: len(_ids(screen)) == 3 and not screen.table.busy, what="view 1")
        await pilot.press("s")  # by age
        await wait_until(pilot, lambda: _ids(screen) == [made["p1"], made["p2"], made["p3"]], what="by age")
        await pilot.press("S")
        await wait_until(pilot, lambda: _ids(screen) == [made["p3"], made["p2"], made["p1"]], what="reversed")
        # the filter bar: a status term and text
        await pilot.press("slash", *"printers", "enter")
        await wait_until(pilot, lambda: _ids(screen) == [made["p2"]], what="the filter")
        await pilot.press("escape")
        await wait_until(pilot, lambda: len(_ids(screen)) == 3, what="the filter cleared")
        # the detail
        await pilot.press("home")
        first = screen.table.cursor_id
        await pilot.press("enter")
        await wait_until(pilot, lambda: getattr(app.screen, "detail", None) is not None, what="the detail")
        assert app.screen.detail.id == first
        await pilot.press("escape")
        assert app.screen is screen
        # investigate the new one (p1): a confirmation, written with the version seen
        index = _ids(screen).index(made["p1"])
        screen.table._move_to(index)
        await pilot.press("i")
        await pilot.pause()
        await pilot.press("enter")
        await wait_until(pilot, lambda: problems.get(desk, made["p1"]).status == "under_investigation",
                         what="investigated")
        await wait_until(pilot, lambda: screen.table._rows.get(made["p1"]) is not None
                         and screen.table._rows.get(made["p1"]).status == "under_investigation", what="re-read")
        # a note: the text is required
        await pilot.press("m")
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert "required" in str(app.screen.query_one("#dialog-error").render())
        await pilot.press(*"called the vendor", "enter")
        await wait_until(pilot, lambda: any(h.action == "note" for h in problems.get(desk, made["p1"]).history),
                         what="the note")


async def test_a_stale_problem_action_is_refused_and_the_row_reread(make_app, desk, clock):
    from desk.screens.problems import ProblemsScreen

    made = seed(desk, clock)
    app = make_app(seed=False, user="lead")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_list(pilot, ProblemsScreen)
        screen.table._move_to(_ids(screen).index(made["p1"]))
        seen = screen.table.cursor_row.version
        problems.note(desk, "wang", made["p1"], text="meanwhile")  # another agent
        await pilot.press("m", *"mine", "enter")
        await wait_until(pilot, lambda: app.screen is screen, what="the dialog closed")
        notes = [h for h in problems.get(desk, made["p1"]).history if h.action == "note"]
        assert [n.note for n in notes] == ["meanwhile"]  # nothing written over it
        await wait_until(pilot, lambda: screen.table._rows.get(made["p1"]).version > seen, what="re-read")


async def test_keys_the_role_may_not_use_are_refused(make_app, desk, clock):
    from desk.screens.problems import ProblemsScreen

    made = seed(desk, clock)
    app = make_app(seed=False, user="li")  # first line: may not close a problem
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_list(pilot, ProblemsScreen)
        assert not screen.may("close") and screen.may("note")
        await pilot.press("c")
        await pilot.pause()
        assert app.screen is screen
        assert problems.get(desk, made["p3"]).status == "known_error"


async def test_the_change_queue_lists_views_and_decides(make_app, desk, clock):
    from desk.screens.changes import ChangesScreen

    made = seed(desk, clock)
    app = make_app(seed=False, user="lead")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_list(pilot, ChangesScreen)
        assert _ids(screen) == [made["c2"], made["c1"]]  # newest update first
        await pilot.press("3")  # awaiting approval
        await wait_until(pilot, lambda: _ids(screen) == [made["c2"]] and not screen.table.busy, what="view 3")
        await pilot.press("j")  # reject: the reason is required
        await pilot.pause()
        await pilot.press(*"no back-out plan", "enter")
        await wait_until(pilot, lambda: changes.get(desk, made["c2"]).status == "rejected", what="rejected")
        await wait_until(pilot, lambda: _ids(screen) == [], what="gone from the view")
        await pilot.press("7")
        await wait_until(pilot, lambda: len(_ids(screen)) == 2, what="all")
        screen.table._move_to(_ids(screen).index(made["c1"]))
        await pilot.press("u", "enter")  # submit the draft
        await wait_until(pilot, lambda: changes.get(desk, made["c1"]).status != "draft", what="submitted")
        await pilot.press("enter")
        await wait_until(pilot, lambda: getattr(app.screen, "detail", None) is not None, what="the detail")
        assert app.screen.detail.id == made["c1"]


SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("kind", ["problems", "changes"])
def test_snapshot(make_app, snap_compare, db_url, desk, clock, kind, lang, size):
    if not db_url.endswith(".db"):
        pytest.skip("snapshots are taken on SQLite (the screen is the same on PostgreSQL)")
    from desk.screens.changes import ChangesScreen
    from desk.screens.problems import ProblemsScreen

    seed(desk, clock)
    app = make_app(seed=False, lang=lang, size=size, user="lead")

    async def run_before(pilot):
        await open_list(pilot, ProblemsScreen if kind == "problems" else ChangesScreen)

    assert snap_compare(app, terminal_size=size, run_before=run_before)


async def test_f7_and_f8_switch_to_the_problem_and_change_queues(make_app, desk, clock):
    from desk.screens.changes import ChangesScreen
    from desk.screens.problems import ProblemsScreen
    from desk.screens.queue import QueueScreen

    made = seed(desk, clock)
    app = make_app(seed=False, user="lead")
    async with app.run_test(size=app.test_size) as pilot:
        await pilot.pause()
        await pilot.press("f7")
        await wait_until(pilot, lambda: isinstance(app.screen, ProblemsScreen) and app.screen.table.total == 3,
                         what="the problem queue")
        await pilot.press("f8")
        await wait_until(pilot, lambda: isinstance(app.screen, ChangesScreen)
                         and set(_ids(app.screen)) == {made["c1"], made["c2"]}, what="the change queue")
        await pilot.press("f2")
        await wait_until(pilot, lambda: isinstance(app.screen, QueueScreen), what="the incident queue")


async def test_the_detail_takes_the_action_keys_of_its_kind(make_app, desk, clock):
    from desk.screens.problems import ProblemsScreen

    made = seed(desk, clock)
    app = make_app(seed=False, user="lead")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_list(pilot, ProblemsScreen)
        screen.table._move_to(_ids(screen).index(made["p2"]))
        await pilot.press("enter")
        await wait_until(pilot, lambda: getattr(app.screen, "detail", None) is not None, what="the detail")
        await pilot.press("r")  # the root cause, from the detail
        await pilot.pause()
        await pilot.press(*"driver", "enter")
        await wait_until(pilot, lambda: problems.get(desk, made["p2"]).status == "root_cause_known",
                         what="the root cause")
        assert app.screen is screen
