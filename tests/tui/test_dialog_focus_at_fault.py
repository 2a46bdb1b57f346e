"""A dialog refused for a missing field puts the cursor in that field (walkD): enter in the escalate
dialog's group search submits the form, and the 'Reason is required' it gets back left the cursor
in the search, so the reason typed next went on the group's search instead (and its list then said
there was no group of a higher tier)."""

from __future__ import annotations

from textual.widgets import Input

from desk.i18n import t

from test_actions_host import HostApp, drive, flat, row, screen_text, settle, type_text


def test_enter_on_a_picked_group_without_a_reason_moves_the_cursor_to_the_reason(desk, data):
    app = HostApp(desk, "escalate", [row(data[0])])

    async def scenario(pilot):
        await type_text(pilot, "network")
        await pilot.press("enter")
        await settle(pilot)
        focused = app.focused
        assert isinstance(focused, Input) and focused.id == "reason"
        await type_text(pilot, "link down")
        assert app.screen.query_one("#reason", Input).value == "link down"
        assert app.screen.query_one("#target-search", Input).value == "network"

    drive(app, scenario)


def test_a_missing_first_field_gets_the_cursor_before_a_later_one(desk, data):
    """Resolve with neither a code nor a resolution: the cursor goes to the first (the code)."""
    app = HostApp(desk, "resolve", [row(data[0])])

    async def scenario(pilot):
        app.screen.query_one("#resolution").focus()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.focused is not None and app.focused.id == "code"

    drive(app, scenario)


def test_a_group_not_picked_gets_the_cursor_back_in_the_search(desk, data):
    app = HostApp(desk, "escalate", [row(data[0])])

    async def scenario(pilot):
        await type_text(pilot, "zzz")
        app.screen.query_one("#reason", Input).focus()
        await type_text(pilot, "link down")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.focused is app.screen.query_one("#target-search", Input)

    drive(app, scenario)


def test_a_search_matching_no_group_says_so_not_that_there_is_no_higher_tier(desk, data):
    """'no group of a higher tier: escalate to the managers instead' is for a desk with none; a
    mistyped search over groups that are there says that nothing matches what was typed."""
    app = HostApp(desk, "escalate", [row(data[0])])

    async def scenario(pilot):
        await type_text(pilot, "zzz")
        await settle(pilot)
        text = flat(screen_text(app))
        assert t("actions.escalate.no_match", "en") in text
        assert t("actions.escalate.no_next", "en") not in text

    drive(app, scenario)
