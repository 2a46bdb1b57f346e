"""The intake asks the request's class, channel and priority (code tables in config) and offers
known callers as the requester and the handler groups, both searched as you type (issue 14,
seed 003 phase 1: 确定服务请求类型和优先级). Pilot tests by keys."""

from __future__ import annotations

import pytest
from textual.widgets import Input, OptionList, Select
from tui_helpers import wait_until

from desk.models import Caller, Organisation, ServiceRequest
from desk.services import request_intake, requests
from desk.widgets.picker import Picker


@pytest.fixture
def intake_app(desk, clock):
    from desk.app import DeskApp, operator_for

    credit = Organisation.create(name="Credit department")
    Caller.create(name="Li Na", organisation=credit)
    Caller.create(name="Lin Tao")
    Caller.create(name="Wang Fang")

    def factory(user="li"):
        desk.lang, desk.user = "en", user
        return DeskApp(desk, operator_for(desk, user), keymap={})

    return factory


async def open_intake(pilot):
    await pilot.press("f3")
    await wait_until(pilot, lambda: pilot.app.screen.id == "requests", what="the request queue")
    await pilot.press("n")
    await wait_until(pilot, lambda: pilot.app.screen.id == "request-intake", what="the intake")
    screen = pilot.app.screen
    await wait_until(pilot, lambda: bool(screen.items) and screen.query_one("#group", Picker).value == ""
                     and len(screen.query_one("#group", Picker)._items) > 1, what="the checklist and the groups")
    return screen


async def typed(pilot, text: str):
    for ch in text:
        await pilot.press({" ": "space"}.get(ch, ch))


async def submit_checked(pilot, screen):
    """The four checks every service asks ticked, then ctrl+s: back on the queue when it is written."""
    for code in ("identity", "details", "type", "scope"):
        screen.query_one(f"#item-{code}").value = True
    await wait_until(pilot, lambda: screen.ready, what="a complete checklist")
    await pilot.press("ctrl+s")
    await wait_until(pilot, lambda: pilot.app.screen.id == "requests", what="back on the queue")


def newest() -> ServiceRequest:
    return ServiceRequest.select().order_by(ServiceRequest.id.desc()).first()


def test_requesters_are_known_callers_holding_the_text(desk, intake_app):
    assert request_intake.requesters(desk, "LI") == [("Li Na", "Credit department"), ("Lin Tao", "")]
    assert request_intake.requesters(desk, "") == []
    assert request_intake.requesters(desk, "nobody") == []


def test_a_group_given_at_intake_is_the_request_s_group_and_recorded(desk):
    made = requests.create(desk, "li", title="Port for a printer", checked=["all"], group="network")
    assert made.group == "network"
    assert any(h.action == "create" and "network" in str(h.changes) for h in made.history)


def test_an_unknown_group_at_intake_is_refused_and_nothing_is_written(desk):
    from desk.domain.errors import ValidationError

    before = ServiceRequest.select().count()
    with pytest.raises(ValidationError):
        requests.create(desk, "li", title="Port", checked=["all"], group="no-such-group")
    assert ServiceRequest.select().count() == before


async def test_enter_in_the_requester_takes_the_first_known_caller(intake_app):
    app = intake_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_intake(pilot)
        screen.query_one("#requester", Input).focus()
        await typed(pilot, "li n")
        found = screen.query_one("#requesters", OptionList)
        await wait_until(pilot, lambda: found.display and found.option_count == 1, what="the callers")
        await pilot.press("enter")
        assert screen.query_one("#requester", Input).value == "Li Na"
        assert not found.display and app.focused is screen.query_one("#request_class", Select)


async def test_tab_keeps_the_requester_as_typed(intake_app):
    app = intake_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_intake(pilot)
        screen.query_one("#requester", Input).focus()
        await typed(pilot, "Lin")
        found = screen.query_one("#requesters", OptionList)
        await wait_until(pilot, lambda: found.display and found.option_count == 1, what="the callers")
        await pilot.press("tab")
        assert screen.query_one("#requester", Input).value == "Lin"


async def test_class_channel_priority_and_group_chosen_by_keys_reach_the_request(intake_app):
    app = intake_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_intake(pilot)
        screen.query_one("#title", Input).focus()
        await typed(pilot, "Badge for a visitor")
        config = app.desk.config
        for name, table, value in (("request_class", "request_class", "business"),
                                   ("channel", "request_channel", "email"), ("priority", "priority", "2")):
            select = screen.query_one(f"#{name}", Select)
            select.focus()
            codes = config.codes(table)
            steps = codes.index(value) - codes.index(select.value)
            await pilot.press("enter")  # opens the list on the current entry
            await pilot.press(*(["down"] * steps if steps > 0 else ["up"] * -steps), "enter")
            await wait_until(pilot, lambda s=select, v=value: s.value == v, what=name)
        screen.query_one("#group-search", Input).focus()
        await typed(pilot, "network")
        await wait_until(pilot, lambda: screen.query_one("#group", Picker).value == "network", what="the group")
        await submit_checked(pilot, screen)
    made = newest()
    assert (made.title, made.request_class, made.channel, made.priority) == ("Badge for a visitor", "business",
                                                                            "email", 2)
    assert made.group.code == "network"


async def test_no_group_chosen_leaves_the_request_for_the_desk(intake_app):
    app = intake_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_intake(pilot)
        screen.query_one("#title", Input).focus()
        await typed(pilot, "Badge")
        await submit_checked(pilot, screen)
    made = newest()
    assert made.group is None and (made.request_class, made.channel, made.priority) == ("technical", "hotline", 3)
