"""A request made at the intake that the view on screen does not list is named as a service
request, not an incident ('Incident 6667 is not in this view', said on the request queue after
ctrl+s: walkE saw it in tmux), in English and Chinese."""

from __future__ import annotations

import pytest
from tui_helpers import wait_until

from desk.services import requests


@pytest.mark.parametrize("lang, said", [
    ("en", "Service request {id} is not in this view: it is listed under All open."),
    ("zh", "服务请求 {id} 不在当前视图中：它列在“全部未关闭”下。"),
])
async def test_a_new_request_outside_the_view_is_named_a_service_request(desk, clock, lang, said):
    from desk.app import DeskApp, operator_for

    desk.lang, desk.user = lang, "li"
    app = DeskApp(desk, operator_for(desk, "li"), keymap={})
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.press("f3")
        await wait_until(pilot, lambda: app.screen.id == "requests", what="the request queue")
        requests.create(desk, "li", title="Port for a printer", checked=["all"], accept=True)  # li's: listed
        await wait_until(pilot, lambda: app.screen.table.cursor_row is not None, what="the first read")
        made = requests.create(desk, "li", title="Badge for a visitor", checked=["all"])  # pending: not 'mine'
        app.screen.incidents_changed([made.id], created=made.id)
        expected = said.format(id=made.id)
        await wait_until(pilot, lambda: any(str(n.message) == expected for n in app._notifications),
                         what=repr(expected))
