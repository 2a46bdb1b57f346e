"""The close, reopen and note forms (issue 19): closing with another closure code records that code;
a reopening without the caller's reason and an empty note are said once under the field and never
sent to the service."""

from __future__ import annotations

from desk.services import incidents

from test_actions_host import HostApp, drive, pick, row, settle


def _said(screen, field: str) -> tuple[str, str]:
    return (str(screen.query_one(f"#{field}-error").render()),
            str(screen.query_one("#dialog-error").render()).strip())


def test_closing_with_another_closure_code_records_it(desk, data):
    d = data[3]  # resolved as fixed
    app = HostApp(desk, "close", [row(d)])

    async def scenario(pilot):
        await pick(pilot, "#code", ["down", "down"])  # below "keep": fixed, workaround
        app.screen.query_one("#confirmed").focus()
        await pilot.press("space", "ctrl+s")
        await settle(pilot)

    drive(app, scenario)
    after = incidents.get(desk, d.id)
    assert (after.status, after.closure_code) == ("closed", "workaround")


def test_a_reopening_without_a_reason_is_said_once_and_never_sent(desk, data):
    d = data[3]
    app = HostApp(desk, "reopen", [row(d)])

    async def scenario(pilot):
        await pilot.press("enter")
        await settle(pilot)
        assert _said(app.screen, "reason") == ("Reason (the caller does not confirm the resolution) is required", "")

    drive(app, scenario)
    assert incidents.get(desk, d.id).version == d.version


def test_an_empty_note_is_said_once_and_never_sent(desk, data):
    a = data[0]
    app = HostApp(desk, "note", [row(a)])

    async def scenario(pilot):
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert _said(app.screen, "text") == ("Work note (what was done, what the caller said) is required", "")

    drive(app, scenario)
    assert incidents.get(desk, a.id).version == a.version
