"""The close form refused for want of the caller's confirmation names the box to tick (walkD): it
said the service's "…: confirm first.", which in a form holding the box "The caller confirmed the
resolution" read as if another step were needed elsewhere; the cursor goes to the box."""

from __future__ import annotations

import pytest
from textual.widgets import Checkbox

from desk.i18n import t

from test_actions_host import HostApp, drive, flat, row, screen_text, settle


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_closing_unconfirmed_names_the_box_and_puts_the_cursor_on_it(desk, data, lang):
    desk.lang = lang
    app = HostApp(desk, "close", [row(data[3])])

    async def scenario(pilot):
        await settle(pilot)
        app.screen.query_one("#code").focus()
        await pilot.press("ctrl+s")
        await settle(pilot)
        text = flat(screen_text(app))
        assert t("actions.close.confirmed", lang) in text.replace(t("actions.close.confirmed", lang), "", 1), text
        assert app.focused is app.screen.query_one("#confirmed", Checkbox)
        await pilot.press("space", "ctrl+s")
        await settle(pilot)

    drive(app, scenario)
    from desk.services import incidents
    assert incidents.get(desk, data[3].id, with_history=False).status == "closed"
