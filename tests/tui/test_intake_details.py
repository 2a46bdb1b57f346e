"""The intake had no place for what is asked in detail, how to reach the requester, or where the work
is to be done (seed 003's form: 描述, 联系方式, 地点): an agent ticked 'Details complete' with the details
nowhere (walkE, in tmux). The CLI took them (`--description --contact --location`); the form now does,
in the order an agent asks them on the phone, each reached by tab."""

from __future__ import annotations

from textual.widgets import Input, TextArea
from tui_helpers import wait_until

from test_request_intake_fields import intake_app, newest, open_intake, submit_checked, typed  # noqa: F401 (the fixture)


async def test_description_contact_and_location_typed_in_the_intake_reach_the_request(intake_app):
    app = intake_app()
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_intake(pilot)
        screen.query_one("#title", Input).focus()
        await typed(pilot, "Badge for a visitor")
        await pilot.press("tab")
        assert app.focused is screen.query_one("#description", TextArea)
        await typed(pilot, "Two days, floors 3 and 5")
        await pilot.press("tab")
        assert app.focused is screen.query_one("#requester", Input)
        await typed(pilot, "Zoe Ma")
        await pilot.press("tab")
        assert app.focused is screen.query_one("#contact", Input)
        await typed(pilot, "ext 4411")
        await pilot.press("tab")
        assert app.focused is screen.query_one("#location", Input)
        await typed(pilot, "Head office lobby")
        await submit_checked(pilot, screen)
    made = newest()
    assert (made.title, made.description, made.requester, made.contact, made.location) == (
        "Badge for a visitor", "Two days, floors 3 and 5", "Zoe Ma", "ext 4411", "Head office lobby")
