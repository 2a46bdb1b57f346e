"""The caused-by-a-change form's guards (issue 19): no change picked is said under the field; the form
says which incidents are recorded against a change and starts on recording unless every one is;
removing the cause of an incident that has none is refused by name and counted apart from those done;
recording or removing a cause on an incident changed meanwhile writes nothing."""

from __future__ import annotations

from change_helpers import implementing
from textual.widgets import RadioButton

from desk.screens.dialogs.result import ResultDialog
from desk.services import changes, incidents

from test_actions_host import HostApp, drive, flat, row, screen_text, settle, type_text


def _fresh(desk, incident_id):
    return incidents.get(desk, incident_id, with_history=False)


def test_a_partly_recorded_marking_says_which_and_starts_on_recording(desk, data):
    change = implementing(desk, "Upgrade the VPN concentrator firmware")
    changes.link_incident(desk, "li", change.id, [data[0].id])
    a, b = _fresh(desk, data[0].id), data[1]
    app = HostApp(desk, "cause", [row(a), row(b)])

    async def scenario(pilot):
        screen = app.screen
        assert screen.query_one("#mode").display and screen.query_one("#recorded").display
        assert f"Incident {a.id} is recorded as caused by change {change.id}." in flat(screen_text(app))
        assert screen.query_one("#link", RadioButton).value and not screen.query_one("#unlink", RadioButton).value

    drive(app, scenario, size=(120, 40))


def test_removing_a_cause_none_has_is_refused_by_name_and_not_counted_done(desk, data):
    change = implementing(desk, "Upgrade the VPN concentrator firmware")
    changes.link_incident(desk, "li", change.id, [data[0].id])
    a, b = _fresh(desk, data[0].id), data[1]
    app = HostApp(desk, "cause", [row(a), row(b)])

    async def scenario(pilot):
        app.screen.query_one("#unlink", RadioButton).value = True
        await pilot.pause()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ResultDialog)
        text = flat(screen_text(app))
        assert "1 done, 1 refused" in text
        assert f"incident {b.id} is not recorded as caused by any change" in text
        assert "Incidents no longer recorded as caused by a change: 1." in text

    drive(app, scenario, size=(120, 40))
    assert changes.change_of(desk, a.id) is None
    assert _fresh(desk, b.id).version == b.version


def test_recording_a_cause_on_an_incident_changed_meanwhile_writes_nothing(desk, data, clock):
    change = implementing(desk, "Upgrade the VPN concentrator firmware")
    a = data[0]
    app = HostApp(desk, "cause", [row(a)])

    async def scenario(pilot):
        clock.advance(minutes=3)
        incidents.note(desk, "zhao", a.id, text="called back")  # someone else, meanwhile
        assert app.screen.query_one("#change").value == str(change.id)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ResultDialog) and "changed by zhao" in flat(screen_text(app))

    drive(app, scenario, size=(120, 40))
    assert changes.change_of(desk, a.id) is None


def test_removing_a_cause_from_an_incident_changed_meanwhile_writes_nothing(desk, data, clock):
    change = implementing(desk, "Upgrade the VPN concentrator firmware")
    changes.link_incident(desk, "li", change.id, [data[0].id])
    a = _fresh(desk, data[0].id)
    app = HostApp(desk, "cause", [row(a)])

    async def scenario(pilot):
        assert app.screen.query_one("#unlink", RadioButton).value  # every one recorded: starts on removing
        clock.advance(minutes=3)
        incidents.note(desk, "zhao", a.id, text="called back")  # someone else, meanwhile
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ResultDialog) and "changed by zhao" in flat(screen_text(app))

    drive(app, scenario, size=(120, 40))
    assert changes.change_of(desk, a.id) == change.id


def test_no_change_picked_is_said_under_the_field_and_nothing_is_written(desk, data):
    implementing(desk, "Upgrade the VPN concentrator firmware")
    a = data[0]
    app = HostApp(desk, "cause", [row(a)])

    async def scenario(pilot):
        await type_text(pilot, "nothing matches this")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert str(app.screen.query_one("#change-error").render()) == "choose the change that caused them"
        assert str(app.screen.query_one("#dialog-error").render()).strip() == ""

    drive(app, scenario, size=(120, 40))
    assert changes.change_of(desk, a.id) is None and _fresh(desk, a.id).version == a.version
