"""`n` on the catalogue screen (F4) opens the request intake with the service under the cursor
chosen, its own checklist items offered (issue 13: the requests screen now offers it); the request
made is raised under that service. `desk catalogue browse`, an app without the requests screen,
keeps `n` greyed (tests/tui/test_catalogue_screen.py)."""

from __future__ import annotations

from textual.widgets import Checkbox, Input, OptionList
from tui_helpers import wait_until

from desk.models import ServiceRequest
from desk.services import request_reads


async def test_n_opens_the_intake_for_the_service_under_the_cursor(desk, clock):
    from desk.app import DeskApp, operator_for

    desk.lang, desk.user = "en", "li"
    app = DeskApp(desk, operator_for(desk, "li"), keymap={})
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f4")
        await wait_until(pilot, lambda: app.screen.id == "catalogue" and app.screen.loaded, what="the catalogue")
        catalogue = app.screen
        assert catalogue.check_action("new_request", ()) is True
        code = catalogue.current.code
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen.id == "request-intake" and app.screen.service == code
                         and bool(app.screen.items), what="the intake with the service chosen")
        intake = app.screen
        assert app.focused is intake.query_one("#title", Input)  # the service is chosen: the title is next
        # ... and its list of services, 4 rows for nothing, is not shown; typing a search shows it again
        services = intake.query_one("#services", OptionList)
        await pilot.pause()
        assert not services.display and services.region.height == 0
        intake.query_one("#service-search", Input).value = "net"
        await wait_until(pilot, lambda: services.display and services.option_count > 0, what="the list back")
        await pilot.click("#title")
        for ch in "Access":
            await pilot.press(ch)
        for box in intake.query("#items Checkbox").results(Checkbox):
            box.value = True
        await wait_until(pilot, lambda: intake.ready, what="the checklist ticked")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is catalogue, what="back on the catalogue")
    made = ServiceRequest.select().order_by(ServiceRequest.id.desc()).first()
    assert made is not None and made.title == "Access"
    assert request_reads.get(desk, made.id).service == code
