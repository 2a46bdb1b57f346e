"""The problem and change forms ask for a required field before anything is sent (issue 19): a
problem's fix is required in the resolve form even though the service would take a resolution by a
change alone; nothing is written and the form says which field it wants."""

from __future__ import annotations

from tui_helpers import wait_until

from desk.services import problems

from test_problem_change_screens import _ids, open_list


async def test_resolving_a_problem_without_its_fix_asks_for_it_and_writes_nothing(make_app, desk, clock):
    from desk.screens.problems import ProblemsScreen

    made = problems.create(desk, "lead", title="Backups fail on Sundays", impact=1, urgency=2).id
    problems.investigate(desk, "chen", made)
    problems.root_cause(desk, "chen", made, text="the tape library firmware")
    problems.known_error(desk, "chen", made, workaround="run the job again at 03:00")
    before = problems.get(desk, made)
    app = make_app(seed=False, user="lead")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_list(pilot, ProblemsScreen)
        screen.table._move_to(_ids(screen).index(made))
        await pilot.press("x")
        await wait_until(pilot, lambda: app.screen is not screen and app.screen.checked, what="the form read")
        await pilot.press("enter")
        await pilot.pause()
        assert str(app.screen.query_one("#dialog-error").render()) == "Permanent fix: required"
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, what="the form closed")
    after = problems.get(desk, made)
    assert (after.status, after.version) == (before.status, before.version) == ("known_error", before.version)


async def test_a_window_the_service_refuses_keeps_the_form_open_with_what_was_typed(make_app, desk, clock):
    from change_helpers import change_form

    from desk.screens.changes import ChangesScreen
    from desk.services import changes

    c = changes.create(desk, "wang", title="Upgrade the VPN firmware", reason="drops", services="network")
    changes.submit(desk, "wang", c.id)
    changes.assess(desk, "wang", c.id, risk="low", impact="none", implementation_plan="do it", backout_plan="undo")
    before = changes.approve(desk, "appr", c.id)
    app = make_app(seed=False, user="lead")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_list(pilot, ChangesScreen)
        form = await change_form(pilot, screen, c.id, "p")
        form.query_one("#planned_start").value = "2026-11-03 22:00"
        form.query_one("#planned_end").value = "2026-11-03 21:00"  # ends before it starts
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: str(form.query_one("#dialog-error").render()).strip() != "",
                         what="the refusal")
        assert app.screen is form and form.query_one("#planned_start").value == "2026-11-03 22:00"
    assert changes.get(desk, c.id).version == before.version
