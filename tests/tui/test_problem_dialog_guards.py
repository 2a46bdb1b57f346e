"""The problem form's guards (issue 19): it fills in the category and the service the incidents share;
the category and the service chosen are the problem's; a problem needs its title, said under the
field; linking incidents changed meanwhile links none."""

from __future__ import annotations

from textual.widgets import RadioButton, Select

from desk.screens.dialogs.problem import ProblemDialog
from desk.screens.dialogs.result import ResultDialog
from desk.services import incidents, problems

from test_actions_host import HostApp, drive, flat, row, screen_text, settle, type_text


def test_the_category_and_service_the_incident_has_are_filled_in(desk, data):
    app = HostApp(desk, "problem", [row(data[0])])  # network, under the network service

    async def scenario(pilot):
        screen = app.screen
        assert (screen.query_one("#category", Select).value, screen.query_one("#service", Select).value) == (
            "network", "network")

    drive(app, scenario, size=(120, 40))


def test_the_category_and_service_chosen_are_the_problems(desk, data):
    a = data[0]
    app = HostApp(desk, "problem", [row(a)])

    async def scenario(pilot):
        screen = app.screen
        screen.query_one("#category", Select).value = "hardware"
        screen.query_one("#service", Select).value = "email"
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is app.screen_stack[0]

    drive(app, scenario, size=(120, 40))
    made = problems.get(desk, problems.problem_of(desk, a.id))
    assert (made.title, made.category, made.service) == (a.title, "hardware", "email")


def test_a_problem_without_a_title_is_said_under_the_field_and_nothing_is_raised(desk, data):
    app = HostApp(desk, "problem", [row(data[0])])

    async def scenario(pilot):
        app.screen.query_one("#problem_title").value = "   "
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ProblemDialog)
        assert str(app.screen.query_one("#problem_title-error").render()) == "Title of the problem is required"
        assert str(app.screen.query_one("#dialog-error").render()).strip() == ""  # the service was never asked

    drive(app, scenario, size=(120, 40))
    assert problems.list_(desk)[0] == 0


def test_linking_incidents_one_of_which_changed_meanwhile_links_none(desk, data, clock):
    target = problems.create(desk, "lead", title="Branch routers lose their VPN tunnels")
    a, b = data[0], data[1]
    app = HostApp(desk, "problem", [row(a), row(b)])

    async def scenario(pilot):
        app.screen.query_one("#link", RadioButton).value = True
        await pilot.pause()
        await type_text(pilot, "vpn tunnels")
        assert app.screen.query_one("#problem").value == str(target.id)
        clock.advance(minutes=3)
        incidents.note(desk, "zhao", b.id, text="called back")  # someone else, meanwhile
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ResultDialog) and "changed meanwhile" in flat(screen_text(app))

    drive(app, scenario, size=(120, 40))
    assert problems.get(desk, target.id).incidents == []
    assert problems.problem_of(desk, a.id) is None
