"""What an agent trips on in the request intake opened from the catalogue (F4 `n`), at 80×24:
found by walking the screens as a first-line agent."""

from __future__ import annotations

import pytest
from rich.cells import cell_len
from textual.widgets import Input
from tui_helpers import screen_text, wait_until


async def _intake_at_80(desk, pilot):
    app = pilot.app
    await pilot.press("f4")
    await wait_until(pilot, lambda: app.screen.id == "catalogue" and app.screen.loaded, what="the catalogue")
    await pilot.press("n")
    await wait_until(pilot, lambda: app.screen.id == "request-intake" and bool(app.screen.items)
                     and app.screen.shown_missing is not None, what="the intake with its checklist")
    await pilot.pause()
    return app.screen


def _app(desk):
    from desk.app import DeskApp, operator_for

    desk.lang, desk.user = "en", "li"
    return DeskApp(desk, operator_for(desk, "li"), keymap={})


async def test_what_is_missing_stays_in_view_at_80x24(desk, clock):
    """The form is taller than 24 rows: ctrl+s refused with the reason below the fold said nothing."""
    app = _app(desk)
    async with app.run_test(size=(80, 24)) as pilot:
        intake = await _intake_at_80(desk, pilot)
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is intake
        assert "Still missing: Title" in screen_text(app)


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_requester_hint_reads_whole_at_80_columns(desk, clock, lang):
    """The requester's placeholder was cut at 80 columns ('…, tab keeps what you')."""
    app = _app(desk)
    desk.lang = lang
    async with app.run_test(size=(80, 24)) as pilot:
        intake = await _intake_at_80(desk, pilot)
        field = intake.query_one("#requester", Input)
        assert field.content_region.width > 0
        assert cell_len(field.placeholder) <= field.content_region.width, field.placeholder


def test_the_base_checklist_items_are_capitalised_like_the_service_s_own(desk):
    """The intake listed 'requester identity verified' over the service's 'Needs a leader's approval'."""
    from desk.i18n import t
    from desk.services.request_intake import BASE_ITEMS

    labels = [t(f"request.checklist.{code}", "en") for code in BASE_ITEMS]
    assert all(label[0].isupper() for label in labels), labels
