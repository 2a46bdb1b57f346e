"""The filter bar's help line names the terms its list takes: the incident queue's names `ref:` (a
migrated or imported incident's number in its former tool); a list without external refs does not."""

from __future__ import annotations

import pytest
from tui_helpers import press, queue_ready, wait_until

from desk.i18n import t


def _hint(screen) -> str:
    return str(screen.bar.query_one("#filter-message").render())


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_the_incident_queue_s_filter_help_names_ref(make_app, lang):
    app = make_app(lang=lang)
    async with app.run_test(size=app.test_size) as pilot:
        screen = await queue_ready(pilot)
        await press(pilot, "slash", settle=False)
        await wait_until(pilot, lambda: screen.bar is not None and screen.bar.display, what="the filter bar")
        hint = _hint(screen)
        assert hint == t("tui.filter.hint_incident", lang)
        assert "ref:" in hint and ("former number" in hint if lang == "en" else "原编号" in hint)


async def test_the_request_queue_s_filter_help_does_not_offer_ref(make_app):
    from desk.screens.requests import RequestsScreen

    app = make_app()
    async with app.run_test(size=app.test_size) as pilot:
        await queue_ready(pilot)
        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(app.screen, RequestsScreen) and app.screen.is_mounted,
                         what="the request queue")
        screen = app.screen
        await press(pilot, "slash", settle=False)
        await wait_until(pilot, lambda: screen.bar is not None and screen.bar.display, what="the filter bar")
        assert _hint(screen) == t("tui.filter.hint_request", "en")
        assert "ref:" not in _hint(screen)
