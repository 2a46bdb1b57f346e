"""Two known callers of the same name (王磊 of the data centre and 王磊 of the Qingdao branch: common
in a bank of thousands) are both offered as the intake's requester, each with its organisation,
where the intake crashed on the second (walkE saw a traceback in tmux typing 王 in a demo desk)."""

from __future__ import annotations

from textual.widgets import Input, OptionList
from tui_helpers import wait_until

from desk.models import Caller, Organisation
from test_request_intake_fields import intake_app, open_intake, typed  # noqa: F401 (the fixture)


async def test_namesakes_in_two_organisations_are_both_offered_and_enter_takes_the_first(desk, intake_app):
    for org in ("Data centre", "Qingdao branch"):
        Caller.create(name="Wang Lei", organisation=Organisation.create(name=org))
    app = intake_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_intake(pilot)
        screen.query_one("#requester", Input).focus()
        await typed(pilot, "wang l")
        found = screen.query_one("#requesters", OptionList)
        await wait_until(pilot, lambda: found.display and found.option_count == 2, what="both namesakes")
        shown = [str(found.get_option_at_index(i).prompt) for i in range(2)]
        assert shown == ["Wang Lei  Data centre", "Wang Lei  Qingdao branch"]
        await pilot.press("enter")
        assert screen.query_one("#requester", Input).value == "Wang Lei"
