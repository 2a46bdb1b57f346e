"""The service form's guards (issue 19): it says which service and version the incident is under now
and does not offer that service again; a change refused as stale is not announced as done."""

from __future__ import annotations

from desk.screens.dialogs.result import ResultDialog
from desk.services import incidents

from test_actions_host import HostApp, drive, flat, row, screen_text, settle, type_text


def _offered(screen) -> list[str]:
    return [item.value for item in screen.query_one("#service")._items]


def test_the_form_names_the_service_now_and_offers_the_others(desk, data):
    a = data[0]  # under the network service, version 1
    label = desk.config.label("service", "network", "en")
    app = HostApp(desk, "set_service", [row(a)])

    async def scenario(pilot):
        assert f"Now under: {label}, version 1" in flat(screen_text(app))
        offered = _offered(app.screen)
        assert "network" not in offered and {"email", "core-banking"} <= set(offered)

    drive(app, scenario, size=(120, 40))


def test_a_change_refused_as_stale_is_not_announced_as_done(desk, data, clock):
    a = data[0]
    app = HostApp(desk, "set_service", [row(a)])

    async def scenario(pilot):
        clock.advance(minutes=3)
        incidents.note(desk, "zhao", a.id, text="called back")  # someone else, meanwhile
        await type_text(pilot, "email")
        assert app.screen.query_one("#service").value == "email"
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ResultDialog)
        text = flat(screen_text(app))
        assert "changed by zhao" in text and "is now under" not in text

    drive(app, scenario, size=(120, 40))
    assert incidents.get(desk, a.id).service == "network"
