"""The note (m), return (b) and confirm (y) keys: each dialog filled in with the keyboard and the
database (read back through services.incidents.get) shows the change; escape, an empty required
field, a refusal and a stale edit write nothing — and the stale edit names who and when."""

from __future__ import annotations

import pytest
from textual.widgets import Button, Input, TextArea

from desk.domain.roles import L1, L2, LEAD, VENDOR
from desk.screens.actions import allowed
from desk.screens.detail import DetailScreen
from desk.screens.dialogs.confirm import ConfirmDialog
from desk.screens.dialogs.note import NoteDialog
from desk.screens.dialogs.result import ResultDialog
from desk.screens.dialogs.return_ import ReturnDialog
from desk.services import incidents
from desk.timefmt import when, zone

from test_actions_host import HOSTILE, HostApp, drive, flat, row, screen_text, settle, type_text

DIALOGS = {"note": NoteDialog, "return": ReturnDialog, "confirm": ConfirmDialog}


def at_vendor(desk, incident):
    """The incident escalated twice: the desk → the network team → the network vendor."""
    incidents.escalate(desk, "li", incident.id, to="network", reason="VPN concentrator")
    return incidents.escalate(desk, "admin", incident.id, to="vendor-net", reason="firmware bug")


def state(desk, ids):
    """What a user could notice about these incidents."""
    return [(d.version, len(d.history), d.status, d.group, d.confirmed_at) for d in
            (incidents.get(desk, i) for i in ids)]


def target_for(action, desk, data):
    """An incident the action applies to, and who acts."""
    if action == "return":
        desk.user = "admin"
        return at_vendor(desk, data[0])
    return data[3] if action == "confirm" else data[0]


# --- the contract ---------------------------------------------------------------------------

def test_the_roles_that_may_use_the_new_keys():
    assert allowed({L1}, "note") and allowed({L2}, "note") and allowed({VENDOR}, "note")
    assert allowed({L2}, "return") and allowed({VENDOR}, "return") and allowed({LEAD}, "return")
    assert not allowed({L1}, "return")
    assert allowed({L1}, "confirm") and allowed({LEAD}, "confirm") and not allowed({L2}, "confirm")
    assert not allowed({"approver"}, "note") and not allowed({"approver"}, "confirm")


# --- note -----------------------------------------------------------------------------------

def test_a_note_of_several_lines_goes_into_the_history(desk, data):
    a = data[0]
    app = HostApp(desk, "note", [row(a)])

    async def scenario(pilot):
        assert app.screen.query_one("#text", TextArea).has_focus
        await type_text(pilot, "called Ann back")
        await pilot.press("enter")  # a new line, not a submit
        assert isinstance(app.screen, NoteDialog)
        await type_text(pilot, "branch 3 still drops")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is app.screen_stack[0]
        assert any(f"note added to incident {a.id}" in str(n.message) for n in app._notifications)

    drive(app, scenario)
    after = incidents.get(desk, a.id)
    assert after.history[-1].action == "note" and after.history[-1].actor == "li"
    assert after.history[-1].note == "called Ann back\nbranch 3 still drops"
    assert after.version == a.version + 1 and after.status == "new"
    assert app.changed == [[a.id]]


def test_an_empty_note_is_refused_and_nothing_is_written(desk, data):
    a = data[0]
    before = state(desk, [a.id])
    app = HostApp(desk, "note", [row(a)])

    async def scenario(pilot):
        await type_text(pilot, "   ")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, NoteDialog)
        assert "Work note (what was done, what the caller said) is required" in flat(screen_text(app))

    drive(app, scenario)
    assert state(desk, [a.id]) == before and app.changed == []


def test_a_note_is_kept_literally(desk, data):
    a = data[0]
    text = HOSTILE[:200]
    app = HostApp(desk, "note", [row(a)])

    async def scenario(pilot):
        app.screen.query_one("#text", TextArea).insert(text)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.is_running and app.screen is app.screen_stack[0]

    drive(app, scenario)
    assert incidents.get(desk, a.id).history[-1].note == text


def test_a_closed_incident_takes_no_note_and_says_why(desk, data):
    d = incidents.confirm(desk, "li", data[3].id)
    d = incidents.close(desk, "li", d.id)
    app = HostApp(desk, "note", [row(d)])

    async def scenario(pilot):
        await type_text(pilot, "late call")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, NoteDialog)  # refused: said here, the user may escape
        assert "does not apply to incident 4, which is Closed." in flat(screen_text(app))

    drive(app, scenario)
    assert incidents.get(desk, d.id).version == d.version


# --- return ---------------------------------------------------------------------------------

def test_return_offers_the_group_it_came_from_first_and_needs_a_reason(desk, data):
    desk.user = "admin"
    a = at_vendor(desk, data[0])
    app = HostApp(desk, "return", [row(a)])

    async def scenario(pilot):
        screen = app.screen
        text = screen_text(app)
        assert "Network team" in text and "Service desk" in text and "Network vendor" not in text
        assert screen.query_one("#target").value == "network"
        assert screen.query_one("#reason", Input).has_focus
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ReturnDialog)
        assert "Reason is required" in screen_text(app)
        assert incidents.get(desk, a.id).version == a.version
        await type_text(pilot, "not a firmware fault: the branch router")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is app.screen_stack[0]

    drive(app, scenario, size=(120, 40))
    after = incidents.get(desk, a.id)
    assert (after.group, after.tier, after.status, after.assignee) == ("network", 2, "assigned", "")
    assert after.history[-1].action == "return"
    assert after.history[-1].note == "not a firmware fault: the branch router"
    assert app.changed == [[a.id]]


def test_return_to_another_lower_group_found_by_search(desk, data):
    desk.user = "admin"
    a = at_vendor(desk, data[0])
    app = HostApp(desk, "return", [row(a)])

    async def scenario(pilot):
        app.screen.query_one("#target").search_input.focus()
        await type_text(pilot, "service desk")
        app.screen.query_one("#reason", Input).focus()
        await type_text(pilot, "a desk task after all")
        await pilot.press("ctrl+s")
        await settle(pilot)

    drive(app, scenario, size=(120, 40))
    after = incidents.get(desk, a.id)
    assert (after.group, after.tier) == ("desk", 1)


def test_return_with_no_group_matching_says_so_and_writes_nothing(desk, data):
    desk.user = "admin"
    a = at_vendor(desk, data[0])
    before = state(desk, [a.id])
    app = HostApp(desk, "return", [row(a)])

    async def scenario(pilot):
        app.screen.query_one("#target").search_input.focus()
        await type_text(pilot, "nowhere-at-all")
        app.screen.query_one("#reason", Input).focus()
        await type_text(pilot, "some reason")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReturnDialog)
        assert "choose the group to return it to" in screen_text(app)

    drive(app, scenario, size=(120, 40))
    assert state(desk, [a.id]) == before


def test_return_of_an_incident_on_the_first_tier_is_said_at_once(desk, data):
    a = data[0]  # still with the service desk
    desk.user = "admin"
    app = HostApp(desk, "return", [row(a)])

    async def scenario(pilot):
        assert "the incident is already with the service desk (tier 1)" in screen_text(app)
        assert app.screen.query_one("#ok", Button).disabled
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ReturnDialog)

    drive(app, scenario)
    assert incidents.get(desk, a.id).version == a.version


def test_second_line_returns_its_own_incident_but_not_another_groups(desk, data):
    a = incidents.escalate(desk, "li", data[0].id, to="network", reason="VPN concentrator")
    c = incidents.escalate(desk, "li", data[2].id, to="systems", reason="slow core")
    desk.user = "wang"  # second line, network team
    app = HostApp(desk, "return", [row(c)])

    async def refused(pilot):
        await type_text(pilot, "not ours")
        await pilot.press("enter")
        await settle(pilot)
        assert "wang may not return outside their group" in flat(screen_text(app))

    drive(app, refused)
    assert incidents.get(desk, c.id).version == c.version

    app = HostApp(desk, "return", [row(a)])

    async def done(pilot):
        await type_text(pilot, "a user's VPN client setting")
        await pilot.press("enter")
        await settle(pilot)

    drive(app, done)
    after = incidents.get(desk, a.id)
    assert (after.group, after.tier) == ("desk", 1) and after.history[-1].actor == "wang"


# --- confirm --------------------------------------------------------------------------------

def test_confirm_with_a_note_then_close_needs_no_more(desk, data):
    d = data[3]
    app = HostApp(desk, "confirm", [row(d)])

    async def scenario(pilot):
        text = flat(screen_text(app))
        assert "The caller confirms the resolution (200.9)" in text
        await type_text(pilot, "Cai Na: mail arrives again")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen is app.screen_stack[0]

    drive(app, scenario)
    after = incidents.get(desk, d.id)
    assert after.status == "resolved" and after.confirmed_at is not None
    assert after.history[-1].action == "confirm" and after.history[-1].note == "Cai Na: mail arrives again"
    assert app.changed == [[d.id]]
    assert incidents.close(desk, "li", d.id).status == "closed"  # confirmed: closing may follow


def test_confirm_without_a_note(desk, data):
    d = data[3]
    app = HostApp(desk, "confirm", [row(d)])

    async def scenario(pilot):
        await pilot.press("ctrl+s")
        await settle(pilot)

    drive(app, scenario)
    after = incidents.get(desk, d.id)
    assert after.confirmed_at is not None and after.history[-1].note == ""


def test_confirming_twice_is_refused_in_the_dialog(desk, data):
    d = incidents.confirm(desk, "li", data[3].id)
    app = HostApp(desk, "confirm", [row(d)])

    async def scenario(pilot):
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmDialog)
        assert "the caller has already confirmed the resolution" in flat(screen_text(app))

    drive(app, scenario)
    assert incidents.get(desk, d.id).version == d.version


# --- every new dialog -----------------------------------------------------------------------

@pytest.mark.parametrize("action", list(DIALOGS))
def test_escape_writes_nothing(desk, data, action):
    target = target_for(action, desk, data)
    ids = [x.id for x in data]
    before = state(desk, ids)
    app = HostApp(desk, action, [row(target)])

    async def scenario(pilot):
        assert isinstance(app.screen, DIALOGS[action])
        await type_text(pilot, "abc")
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.screen_stack[0]

    drive(app, scenario)
    assert state(desk, ids) == before and app.changed == []


@pytest.mark.parametrize("action", list(DIALOGS))
def test_a_stale_edit_names_who_changed_it_and_when(desk, data, clock, action):
    target = target_for(action, desk, data)
    app = HostApp(desk, action, [row(target)])  # the version the user saw

    async def scenario(pilot):
        clock.advance(minutes=3)
        incidents.note(desk, "admin", target.id, text="called the caller back")  # someone else, meanwhile
        stamp = when(incidents.get(desk, target.id).history[-1].at, zone(desk.config), "%Y-%m-%d %H:%M:%S")  # (the desk's zone)
        await type_text(pilot, "my reason")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ResultDialog)
        assert f"changed by admin at {stamp}" in flat(screen_text(app))

    drive(app, scenario)
    after = incidents.get(desk, target.id)
    assert after.version == target.version + 1 and after.history[-1].actor == "admin"
    assert app.changed == [[target.id]]  # the screens reload it


# --- from the detail ------------------------------------------------------------------------

@pytest.mark.parametrize("action,key", [("note", "m"), ("return", "b"), ("confirm", "y")])
def test_the_key_in_the_detail_acts_and_the_detail_reloads(desk, data, action, key):
    target = target_for(action, desk, data)
    app = HostApp(desk, "detail", [row(target)])

    async def scenario(pilot):
        detail = app.screen
        assert isinstance(detail, DetailScreen) and detail.check_action("act", (action,)) is True
        await pilot.press(key)
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, DIALOGS[action]) and dialog.rows == [(target.id, target.version)]
        await type_text(pilot, "from the detail")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is detail and detail.detail.version == target.version + 1
        assert "from the detail" in screen_text(app) or action == "return"

    drive(app, scenario, size=(120, 40))
    after = incidents.get(desk, target.id)
    assert after.history[-1].action == action and after.history[-1].note == "from the detail"
    assert app.changed == [[target.id]]


def test_the_detail_greys_out_the_new_keys_by_state_and_role(desk, data):
    open_one, resolved = data[0], data[3]
    app = HostApp(desk, "detail", [row(open_one)])

    async def on_open(pilot):
        screen = app.screen
        assert screen.check_action("act", ("note",)) is True
        assert screen.check_action("act", ("confirm",)) is False  # not resolved: off the key bar
        assert screen.check_action("act", ("return",)) is None  # li (first line) may not return
        await pilot.press("y")
        await settle(pilot)
        assert app.screen is screen

    drive(app, on_open)

    app = HostApp(desk, "detail", [row(resolved)])

    async def on_resolved(pilot):
        screen = app.screen
        assert screen.check_action("act", ("note",)) is True
        assert screen.check_action("act", ("confirm",)) is True
        assert screen.check_action("act", ("return",)) is None  # resolved: nothing to return

    drive(app, on_resolved)

    closed = incidents.close(desk, "li", incidents.confirm(desk, "li", resolved.id).id)
    app = HostApp(desk, "detail", [row(closed)])

    async def on_closed(pilot):
        screen = app.screen
        for action, key in (("note", "m"), ("confirm", "y"), ("return", "b")):
            assert screen.check_action("act", (action,)) is (False if action == "confirm" else None)
            await pilot.press(key)
            await settle(pilot)
            assert app.screen is screen

    drive(app, on_closed)
    assert incidents.get(desk, closed.id).version == closed.version
