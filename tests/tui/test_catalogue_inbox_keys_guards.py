"""Which keys of the catalogue's inboxes each role and status may take (issue 19;
tools/mutants/lists_catalogue_inbox.toml): the ops lead approves, returns and publishes (a
maintainer may review but never publish); accept is greyed on a requirement already decided."""

from __future__ import annotations

from tui_helpers import wait_until
from test_catalogue_inbox import inbox_desk, make, open_inbox  # noqa: F401  (inbox_desk: the fixture)

from desk.services import catalogue_flow as flow


async def test_the_ops_lead_may_approve_return_and_publish_a_maintainer_may_not_publish(inbox_desk):  # noqa: F811
    app = make(inbox_desk, user="ops")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_inbox(pilot)
        assert (screen.may("approve"), screen.may("return"), screen.may("publish")) == (True, True, True)
    app = make(inbox_desk, user="catm")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_inbox(pilot)
        assert (screen.may("approve"), screen.may("publish")) == (True, False)


async def test_accept_is_greyed_on_a_requirement_already_decided(inbox_desk):  # noqa: F811
    flow.accept_requirement(inbox_desk, "ops", inbox_desk.ids["slr"], code="tradingcover")
    app = make(inbox_desk, user="ops")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_inbox(pilot, "s", "RequirementsScreen")
        await pilot.press("4")  # all: the accepted one under the cursor
        await wait_until(pilot, lambda: getattr(screen.table.cursor_row, "status", None) == "accepted",
                         what="the accepted requirement under the cursor")
        assert screen.check_action("act", ("accept",)) is None and screen.check_action("act", ("reject",)) is None
