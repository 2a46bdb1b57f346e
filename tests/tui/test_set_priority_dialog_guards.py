"""The priority form's guards (issue 19): it starts from the incident's impact and urgency; the
priority it says the choice gives, the one stored and the one announced are the matrix's impact ×
urgency (an asymmetric matrix tells them apart: the shipped one is symmetric); a blank impact or
reason is said under the field and nothing is sent; a change refused as stale is not announced as done."""

from __future__ import annotations

import pytest
from textual.widgets import Select

from desk.screens.dialogs.result import ResultDialog
from desk.screens.dialogs.set_priority import SetPriorityDialog
from desk.services import incidents

from test_actions_host import HostApp, drive, flat, row, screen_text, settle, type_text

# impact 1 × urgency 3 is priority 3; impact 3 × urgency 1 is priority 4
ASYMMETRIC = [[1, 2, 3], [2, 3, 4], [4, 4, 4]]


@pytest.fixture
def lopsided(desk, monkeypatch):
    monkeypatch.setitem(desk.config.data["incident"], "priority_matrix", ASYMMETRIC)
    return desk


async def _reason(pilot, text: str) -> None:
    pilot.app.screen.query_one("#reason").focus()
    await type_text(pilot, text)


def test_the_form_starts_from_the_incidents_impact_and_urgency(desk, data):
    a = data[0]  # impact 2, urgency 1
    app = HostApp(desk, "set_priority", [row(a)])

    async def scenario(pilot):
        screen = app.screen
        assert (screen.query_one("#impact", Select).value, screen.query_one("#urgency", Select).value) == ("2", "1")

    drive(app, scenario, size=(120, 40))


def test_impact_and_urgency_are_the_matrixs_both_ways_shown_stored_and_said(lopsided, data):
    desk, a = lopsided, data[0]
    app = HostApp(desk, "set_priority", [row(a)])
    label = desk.config.label("priority", 3, "en")

    async def scenario(pilot):
        screen = app.screen
        screen.query_one("#impact", Select).value = "1"
        screen.query_one("#urgency", Select).value = "3"
        await pilot.pause()
        assert f"Becomes: priority 3 {label}" in flat(screen_text(app))
        await _reason(pilot, "one user only, but today")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is app.screen_stack[0]
        assert f"incident {a.id} now has priority 3 {label}" in [str(n.message) for n in app._notifications]

    drive(app, scenario, size=(120, 40))
    after = incidents.get(desk, a.id)
    assert (after.impact, after.urgency, after.priority) == (1, 3, 3)


def test_a_blank_impact_is_said_under_the_field_and_nothing_is_sent(desk, data):
    a = data[0]
    app = HostApp(desk, "set_priority", [row(a)])

    async def scenario(pilot):
        screen = app.screen
        screen.query_one("#impact", Select).value = Select.NULL
        screen.query_one("#urgency", Select).value = "3"
        await _reason(pilot, "we learnt more")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SetPriorityDialog)
        assert str(screen.query_one("#impact-error").render()) == "pick one from the list"

    drive(app, scenario, size=(120, 40))
    assert incidents.get(desk, a.id).version == a.version


def test_a_missing_reason_is_said_once_under_the_field_and_never_sent(desk, data):
    a = data[0]
    app = HostApp(desk, "set_priority", [row(a)])

    async def scenario(pilot):
        screen = app.screen
        screen.query_one("#urgency", Select).value = "3"
        await _reason(pilot, "   ")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, SetPriorityDialog)
        assert str(screen.query_one("#reason-error").render()) == "Reason is required"
        assert str(screen.query_one("#dialog-error").render()).strip() == ""  # the service was never asked

    drive(app, scenario, size=(120, 40))
    assert incidents.get(desk, a.id).version == a.version


def test_a_change_refused_as_stale_is_not_announced_as_done(desk, data, clock):
    a = data[0]
    app = HostApp(desk, "set_priority", [row(a)])

    async def scenario(pilot):
        clock.advance(minutes=3)
        incidents.note(desk, "zhao", a.id, text="called back")  # someone else, meanwhile
        app.screen.query_one("#urgency", Select).value = "3"
        await _reason(pilot, "we learnt more")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ResultDialog)
        text = flat(screen_text(app))
        assert "changed by zhao" in text and "now has priority" not in text

    drive(app, scenario, size=(120, 40))
    after = incidents.get(desk, a.id)
    assert (after.urgency, after.version) == (1, a.version + 1)
