"""What the agent typed survives a refusal (issue 11, item 3): a stale edit shows who changed the
incident, and the same form opened again on it starts with the text typed — for every dialog with
free text. A change that went through forgets it."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select, TextArea

from desk.screens.dialogs.result import ResultDialog
from desk.services import incidents

try:
    from .test_actions_host import HostApp, flat, row, screen_text, seed, settle
except ImportError:
    from test_actions_host import HostApp, flat, row, screen_text, seed, settle


@pytest.fixture
def data(desk, clock):
    desk.user = "admin"
    return seed(desk, clock)


def _fill(dialog, action: str, text: str) -> str:
    """Fill the dialog's required fields; returns the id of its free-text field."""
    if action == "resolve":
        dialog.query_one("#code", Select).value = "fixed"
    if action == "escalate":
        dialog.query_one("#reason", Input).value = text
        return "reason"
    field = {"note": "text", "resolve": "resolution", "reopen": "reason", "return": "reason", "confirm": "note",
             "assign": "note"}[action]
    widget = dialog.query_one(f"#{field}")
    if isinstance(widget, TextArea):
        widget.load_text(text)
    else:
        widget.value = text
    return field


def _target(desk, data, action):
    if action in ("reopen", "confirm"):
        return data[3]  # resolved
    if action == "return":
        incidents.escalate(desk, "li", data[0].id, to="network", reason="VPN concentrator")
        return incidents.get(desk, data[0].id, with_history=False)
    return data[0]


def _value(dialog, field):
    widget = dialog.query_one(f"#{field}")
    return widget.text if isinstance(widget, TextArea) else widget.value


@pytest.mark.parametrize("action", ["note", "resolve", "reopen", "return", "confirm", "assign"])
def test_a_stale_refusal_keeps_the_typed_text_for_the_next_opening(desk, data, clock, action):
    import asyncio

    from desk.screens.actions import start_action

    target = _target(desk, data, action)
    app = HostApp(desk, action, [row(target)])
    typed = "rang the caller: the printer shows E-52\nthey will retry at noon"
    if action not in ("note", "resolve"):
        typed = typed.replace("\n", " ")

    async def main():
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            dialog = app.screen
            clock.advance(minutes=3)
            incidents.note(desk, "li", target.id, text="someone else, meanwhile")
            field = _fill(dialog, action, typed)
            await pilot.press("ctrl+s")
            await settle(pilot)
            assert isinstance(app.screen, ResultDialog)
            assert "What you typed is kept" in flat(screen_text(app))
            await pilot.press("escape")
            await settle(pilot)
            fresh = incidents.get(desk, target.id, with_history=False)
            start_action(app.screen, action, [row(fresh)])
            await settle(pilot)
            again = app.screen
            assert type(again) is type(dialog)
            assert _value(again, field) == typed
            await pilot.press("ctrl+s")  # sent this time, on the version now seen
            await settle(pilot)
            assert app.screen is app.screen_stack[0]
            start_action(app.screen, action, [row(incidents.get(desk, target.id, with_history=False))])
            await settle(pilot)
            if app.screen is not app.screen_stack[0] and action in ("note", "assign"):
                assert _value(app.screen, field) == ""  # done: forgotten

    asyncio.run(main())
    assert typed.splitlines()[0] in (incidents.get(desk, target.id).history[-1].note or "")


def test_the_typed_text_is_not_offered_on_another_incident(desk, data, clock):
    import asyncio

    from desk.screens.actions import start_action

    a, b = data[0], data[1]
    app = HostApp(desk, "note", [row(a)])

    async def main():
        async with app.run_test(size=(100, 30)) as pilot:
            await settle(pilot)
            incidents.note(desk, "li", a.id, text="meanwhile")
            app.screen.query_one("#text", TextArea).load_text("for incident a")
            await pilot.press("ctrl+s")
            await settle(pilot)
            await pilot.press("escape")
            await settle(pilot)
            start_action(app.screen, "note", [row(b)])
            await settle(pilot)
            assert app.screen.query_one("#text", TextArea).text == ""

    asyncio.run(main())
