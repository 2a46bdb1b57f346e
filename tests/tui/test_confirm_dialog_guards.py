"""The confirm form's guard (issue 19): a note of blanks is no note, so the confirmation's history row
carries none (the history would otherwise show an empty-looking note)."""

from __future__ import annotations

from desk.services import incidents

from test_actions_host import HostApp, drive, row, settle, type_text


def test_a_note_of_blanks_is_recorded_as_no_note(desk, data):
    d = data[3]  # resolved
    app = HostApp(desk, "confirm", [row(d)])

    async def scenario(pilot):
        await type_text(pilot, "   ")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is app.screen_stack[0]

    drive(app, scenario)
    after = incidents.get(desk, d.id)
    assert after.confirmed_at is not None
    assert (after.history[-1].action, after.history[-1].note) == ("confirm", "")
