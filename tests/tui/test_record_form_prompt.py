"""A drop-down of the record forms (the SLA hold's reason, a change's risk, …) says "choose…" until
a choice is made, under its label (walkD): it repeated the label ("Why the clock stops" over "Why the
clock stops ▼"; "Risk" over "Risk ▼"), which reads as a value already chosen."""

from __future__ import annotations

import pytest
from textual.widgets import Select

from desk.i18n import t
from desk.services import incidents

from test_actions_host import HostApp, drive, flat, row, screen_text, settle


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_hold_reason_asks_for_a_choice_instead_of_repeating_its_label(desk, data, lang):
    desk.lang = lang
    app = HostApp(desk, "sla_hold", [row(incidents.get(desk, data[0].id, with_history=False))])

    async def scenario(pilot):
        await settle(pilot)
        select = app.screen.query_one("#reason", Select)
        assert select.is_blank()
        text = flat(screen_text(app))
        label = t("sla.tui.reason", lang)
        assert text.count(label) == 1, text
        assert t("lists.action.choose", lang) in text

    drive(app, scenario)
