"""The action keys end to end: a dialog is filled in and submitted with the keyboard, and the
database (read back through services.incidents.get) shows the change — or, for escape, a
refusal or a stale edit, shows nothing written."""

from __future__ import annotations

import pytest
from textual.widgets import Input, RadioButton, Static

from desk.domain.roles import L1, L2, LEAD
from desk.screens.actions import allowed
from desk.screens.detail import DetailScreen
from desk.screens.dialogs.assign import AssignDialog
from desk.screens.dialogs.result import ResultDialog
from desk.services import incidents, knowledge

from test_actions_host import HOSTILE, HostApp, drive, flat, pick, row, screen_text, settle, type_text


def snapshot(desk, ids):
    """What a user could notice about these incidents: version and history length."""
    return [(d.version, len(d.history), d.status, d.assignee) for d in (incidents.get(desk, i) for i in ids)]


# --- the contract ---------------------------------------------------------------------------

def test_allowed_mirrors_the_permission_table():
    assert allowed({L1}, "close") and allowed({L1}, "new") and allowed({L1}, "detail")
    assert not allowed({L2}, "close") and not allowed({L2}, "reopen") and not allowed({L2}, "new")
    assert allowed({L2}, "resolve") and allowed({LEAD}, "escalate")
    assert not allowed({"approver"}, "assign") and allowed({"approver"}, "knowledge")


def test_start_action_without_an_incident_warns_and_opens_nothing(desk, data):
    app = HostApp(desk, "assign", [])

    async def scenario(pilot):
        assert not isinstance(app.screen, AssignDialog)
        assert any("no incident selected" in str(n.message) for n in app._notifications)

    drive(app, scenario)


def test_unknown_action_is_a_programming_error(desk, data):
    from desk.screens.actions import start_action

    app = HostApp(desk)

    async def scenario(pilot):
        with pytest.raises(ValueError):
            start_action(app.screen, "explode", [row(data[0])])

    drive(app, scenario)


def test_detail_action_opens_the_detail_of_the_first_row(desk, data):
    app = HostApp(desk, "detail", [row(data[2]), row(data[0])])

    async def scenario(pilot):
        assert isinstance(app.screen, DetailScreen) and app.screen.incident_id == data[2].id

    drive(app, scenario)


# --- assign ---------------------------------------------------------------------------------

def test_assign_to_an_agent_found_by_search(desk, data):
    a = data[0]
    app = HostApp(desk, "assign", [row(a)])

    async def scenario(pilot):
        await type_text(pilot, "zhao")
        await pilot.press("tab")
        await type_text(pilot, "knows the VPN setup")
        await pilot.press("enter")
        await settle(pilot)
        assert not isinstance(app.screen, AssignDialog)

    drive(app, scenario)
    after = incidents.get(desk, a.id)
    assert (after.assignee, after.group, after.status) == ("zhao", "desk", "assigned")
    assert after.history[-1].actor == "li" and after.history[-1].note == "knows the VPN setup"
    assert app.changed == [[a.id]]


def test_assign_to_me_is_the_first_choice(desk, data):
    b = data[1]
    app = HostApp(desk, "assign", [row(b)])

    async def scenario(pilot):
        await pilot.press("ctrl+s")
        await settle(pilot)

    drive(app, scenario)
    assert incidents.get(desk, b.id).assignee == "li"


def test_assign_offers_the_tier_of_the_incident(desk, data):
    a = data[0]
    app = HostApp(desk, "assign", [row(a)])

    async def scenario(pilot):
        text = screen_text(app)
        assert "zhao" in text and "wang" not in text and "Network team" not in text  # tier 1: the desk

    drive(app, scenario, size=(120, 40))


def test_assign_to_a_group(desk, data):
    b = incidents.escalate(desk, "li", data[1].id, to="network", reason="cabling")  # now with tier 2
    app = HostApp(desk, "assign", [row(b)])

    async def scenario(pilot):
        assert "Database team" in screen_text(app)
        await type_text(pilot, "systems L2")
        await pilot.press("enter")
        await settle(pilot)

    drive(app, scenario)
    after = incidents.get(desk, b.id)
    assert (after.group, after.tier, after.assignee) == ("systems", 2, "")


def test_assign_with_nothing_matching_says_so_under_the_field(desk, data):
    a = data[0]
    before = snapshot(desk, [a.id])
    app = HostApp(desk, "assign", [row(a)])

    async def scenario(pilot):
        await type_text(pilot, "nobody-here")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, AssignDialog)
        assert "choose someone or a group from the list" in screen_text(app)

    drive(app, scenario)
    assert snapshot(desk, [a.id]) == before


@pytest.mark.parametrize("action", ["assign", "escalate", "resolve", "close", "reopen", "new", "knowledge"])
def test_escape_cancels_and_writes_nothing(desk, data, action):
    target = data[3] if action in ("close", "reopen") else data[0]
    ids = [d.id for d in data]
    before = snapshot(desk, ids)
    app = HostApp(desk, action, [row(target)])

    async def scenario(pilot):
        assert app.screen is not app.screen_stack[0]
        await type_text(pilot, "abc")
        await pilot.press("escape")
        await settle(pilot)
        if action == "knowledge" and app.screen is not app.screen_stack[0]:
            await pilot.press("escape")
            await settle(pilot)
        assert app.screen is app.screen_stack[0]

    drive(app, scenario)
    assert snapshot(desk, ids) == before
    assert app.changed == []
    assert incidents.get(desk, ids[-1]).id == ids[-1]
    assert knowledge.search(desk, "") == []


def test_bulk_assign_reports_each_refused_row(desk, data, clock):
    a, b, c = data[0], data[1], data[2]
    taken = incidents.assign(desk, "zhao", c.id, to="me")  # li may not take zhao's incident (no reassign)
    app = HostApp(desk, "assign", [row(a), row(b), row(taken)])

    async def scenario(pilot):
        await pilot.press("enter")  # "me"
        await settle(pilot)
        assert isinstance(app.screen, ResultDialog)
        text = screen_text(app)
        assert "2 done, 1 refused" in text
        assert f"#{c.id}" in text and "li may not" in text
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.screen_stack[0]

    drive(app, scenario)
    assert incidents.get(desk, a.id).assignee == "li" and incidents.get(desk, b.id).assignee == "li"
    assert incidents.get(desk, c.id).assignee == "zhao"
    assert app.changed == [[a.id, b.id]]


def test_a_stale_edit_names_who_and_when_and_writes_nothing(desk, data, clock):
    a = data[0]
    app = HostApp(desk, "assign", [row(a)])  # the version the user saw

    async def scenario(pilot):
        clock.advance(minutes=3)
        incidents.note(desk, "zhao", a.id, text="called the caller back")  # someone else, meanwhile
        await type_text(pilot, "zhao")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ResultDialog)
        text = screen_text(app)
        assert "changed by zhao at 2026-11-02 17:33:00" in flat(text)

    drive(app, scenario)
    after = incidents.get(desk, a.id)
    assert after.assignee == "" and after.history[-1].actor == "zhao"
    assert app.changed == [[a.id]]  # the screens reload it


# --- escalate -------------------------------------------------------------------------------

def test_escalate_to_the_next_tier_needs_a_reason(desk, data):
    a = data[0]
    app = HostApp(desk, "escalate", [row(a)])

    async def scenario(pilot):
        screen = app.screen
        assert not screen.query_one("#mode").display  # an L1 agent: functional only
        await type_text(pilot, "network")
        await pilot.press("enter")
        await settle(pilot)
        assert "Reason is required" in screen_text(app)
        assert incidents.get(desk, a.id).version == a.version
        screen.query_one("#reason", Input).focus()
        await type_text(pilot, "router replaced, still drops")
        await pilot.press("enter")
        await settle(pilot)

    drive(app, scenario)
    after = incidents.get(desk, a.id)
    assert (after.group, after.tier) == ("network", 2)
    assert after.history[-1].action == "escalate" and after.history[-1].note == "router replaced, still drops"


def test_a_shift_lead_may_escalate_hierarchically(desk, data):
    desk.user = "lead"
    c = data[2]
    app = HostApp(desk, "escalate", [row(c)])

    async def scenario(pilot):
        screen = app.screen
        assert screen.query_one("#mode").display
        await pilot.click("#hierarchical")
        await pilot.pause()
        assert not screen.query_one("#target-box").display
        screen.query_one("#reason", Input).focus()
        await type_text(pilot, "all branches down for 1 h")
        await pilot.press("ctrl+s")
        await settle(pilot)

    drive(app, scenario)
    after = incidents.get(desk, c.id)
    assert after.escalation_level == 1 and after.tier == 1
    assert after.history[-1].action == "escalate_hierarchical"


def test_bulk_escalate_refuses_rows_already_at_the_top(desk, data):
    a, b = data[0], data[1]
    top = incidents.escalate(desk, "li", b.id, to="network", reason="x")
    top = incidents.escalate(desk, "admin", b.id, to="vendor-net", reason="y")
    app = HostApp(desk, "escalate", [row(a), row(top)])

    async def scenario(pilot):
        await type_text(pilot, "network L2")
        app.screen.query_one("#reason", Input).focus()
        await type_text(pilot, "needs the network team")
        await pilot.press("enter")
        await settle(pilot)
        text = screen_text(app)
        assert "1 done, 1 refused" in text and "top tier" in text

    drive(app, scenario)
    assert incidents.get(desk, a.id).group == "network"
    assert incidents.get(desk, b.id).version == top.version


# --- resolve --------------------------------------------------------------------------------

def test_resolve_with_a_code_and_resolution_and_a_knowledge_draft(desk, data):
    a = data[0]
    app = HostApp(desk, "resolve", [row(a)])

    async def scenario(pilot):
        await pick(pilot, "#code", ["down", "down"])  # below the prompt: fixed, workaround
        app.screen.query_one("#resolution").focus()
        await type_text(pilot, "Pinned the VPN MTU to 1400.")
        app.screen.query_one("#draft").focus()
        await pilot.press("space")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is app.screen_stack[0]

    drive(app, scenario)
    after = incidents.get(desk, a.id)
    assert (after.status, after.closure_code, after.resolution) == ("resolved", "workaround",
                                                                    "Pinned the VPN MTU to 1400.")
    assert [x.title for x in after.articles] == ["VPN drops every hour"]
    assert after.history[-1].action == "note" and after.history[-2].action == "resolve"
    assert knowledge.search(desk, "MTU")[0].status == "draft"


def test_resolve_says_what_is_missing_under_each_field(desk, data):
    a = data[0]
    app = HostApp(desk, "resolve", [row(a)])

    async def scenario(pilot):
        await pilot.press("ctrl+s")
        await settle(pilot)
        text = screen_text(app)
        assert "choose a closure code" in text and "Resolution (what restored the service) is required" in text

    drive(app, scenario)
    assert incidents.get(desk, a.id).version == a.version


def test_a_refusal_from_the_service_stays_in_the_dialog(desk, data):
    desk.user = "wang"  # second line: the desk's incident is outside wang's group
    a = data[0]
    app = HostApp(desk, "resolve", [row(a)])

    async def scenario(pilot):
        await pick(pilot, "#code", ["down"])
        app.screen.query_one("#resolution").focus()
        await type_text(pilot, "done")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "wang may not resolve outside their group" in screen_text(app)
        assert app.screen is not app.screen_stack[0]

    drive(app, scenario)
    assert incidents.get(desk, a.id).status == "new"


# --- close and reopen -----------------------------------------------------------------------

def test_close_needs_the_confirmation_then_closes(desk, data):
    d = data[3]
    app = HostApp(desk, "close", [row(d)])

    async def scenario(pilot):
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert "Closing needs the caller's confirmation" in screen_text(app)
        assert incidents.get(desk, d.id).version == d.version
        app.screen.query_one("#confirmed").focus()
        await pilot.press("space", "ctrl+s")
        await settle(pilot)
        assert app.screen is app.screen_stack[0]

    drive(app, scenario)
    after = incidents.get(desk, d.id)
    assert (after.status, after.closure_code) == ("closed", "fixed")
    assert [h.action for h in after.history][-2:] == ["confirm", "close"]


def test_bulk_close_reports_the_rows_that_cannot_close(desk, data):
    a, d = data[0], data[3]
    app = HostApp(desk, "close", [row(a), row(d)])

    async def scenario(pilot):
        app.screen.query_one("#confirmed").focus()
        await pilot.press("space", "ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, ResultDialog)
        text = screen_text(app)
        assert "1 done, 1 refused" in text
        assert f"#{a.id}" in text and "cannot confirm an incident that is New" in text

    drive(app, scenario)
    assert incidents.get(desk, d.id).status == "closed"
    assert snapshot(desk, [a.id])[0][0] == a.version
    assert app.changed == [[d.id]]


def test_reopen_with_the_callers_reason(desk, data):
    d = data[3]
    app = HostApp(desk, "reopen", [row(d)])

    async def scenario(pilot):
        await pilot.press("enter")
        await settle(pilot)
        assert "Reason (the caller does not confirm the resolution) is required" in screen_text(app)
        await type_text(pilot, "still bounces")
        await pilot.press("enter")
        await settle(pilot)

    drive(app, scenario)
    after = incidents.get(desk, d.id)
    assert (after.status, after.reopen_count, after.assignee) == ("assigned", 1, "li")
    assert after.history[-1].note == "still bounces"


# --- new incident ---------------------------------------------------------------------------

def test_new_incident_with_the_checklist_and_the_live_priority(desk, data, clock):
    app = HostApp(desk, "new", [])

    async def scenario(pilot):
        screen = app.screen
        await type_text(pilot, "Branch 7 cannot print")
        screen.query_one("#caller").focus()
        await type_text(pilot, "Du Fei")
        assert "Priority: set impact and urgency" in screen_text(app)
        await pick(pilot, "#impact", ["down", "down"])  # below the prompt: 1, 2
        await pick(pilot, "#urgency", ["down"])  # 1
        assert "Priority: 1 Urgent" in screen_text(app)
        screen.query_one("#started").focus()
        await type_text(pilot, "08:40")
        screen.query_one("#description").focus()
        await type_text(pilot, "Jobs stay queued.")
        text = screen_text(app)
        assert "✔ caller" in text and "✔ symptoms" in text and "✔ when it started" in text
        assert "○ organisation" in text and "○ service" in text
        await pilot.click("#class-service_request")
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is app.screen_stack[0]

    drive(app, scenario, size=(120, 40))
    created = incidents.get(desk, 5)
    assert (created.title, created.caller, created.impact, created.urgency, created.priority) == (
        "Branch 7 cannot print", "Du Fei", 2, 1, 1)
    assert created.classification == "service_request" and created.owner == "li"
    assert created.started_at.strftime("%H:%M") == "00:40"  # 08:40 typed in Asia/Shanghai, stored as UTC
    assert app.changed == [[5]]


def test_new_incident_validates_before_writing(desk, data):
    app = HostApp(desk, "new", [])

    async def scenario(pilot):
        app.screen.query_one("#started").focus()
        await type_text(pilot, "yesterday")
        await pilot.press("ctrl+s")
        await settle(pilot)
        text = screen_text(app)
        assert "Title is required" in text
        assert "choose the Impact" in text and "choose the Urgency" in text
        assert "write the time as YYYY-MM-DD HH:MM" in text

    drive(app, scenario, size=(120, 40))
    with pytest.raises(Exception):
        incidents.get(desk, 5)


# --- knowledge ------------------------------------------------------------------------------

def test_knowledge_search_and_link(desk, data, clock):
    a = data[0]
    art = knowledge.draft(desk, "li", title="VPN keeps dropping", body="Lower the MTU to 1400.")
    knowledge.draft(desk, "li", title="Printer jams", body="Open tray 2.")
    app = HostApp(desk, "knowledge", [row(a)])

    async def scenario(pilot):
        await type_text(pilot, "mtu")
        await settle(pilot)
        text = screen_text(app)
        assert "VPN keeps dropping" in text and "Lower the MTU to 1400." in text and "Printer jams" not in text
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert app.screen is app.screen_stack[0]

    drive(app, scenario)
    assert [x.id for x in incidents.get(desk, a.id).articles] == [art.id]
    assert app.changed == [[a.id]]


# --- untrusted text -------------------------------------------------------------------------

def test_a_hostile_title_shows_literally_in_a_dialog(desk, data):
    bad = incidents.create(desk, "li", title=HOSTILE[:500], impact=3, urgency=3)
    app = HostApp(desk, "assign", [row(bad), row(data[0])])

    async def scenario(pilot):
        text = screen_text(app)
        assert "#5 [bold]loud[/bold] [@click=app.quit]quit[/] ␛[2J␛]52;c;ZXZpb…" in text  # cut at 60
        assert "\x1b" not in text and "\u202e" not in text
        heading = app.screen.query_one("#heading", Static)
        await pilot.click(heading, offset=(25, 1))  # on "[@click=app.quit]"
        await settle(pilot)
        assert app.is_running and isinstance(app.screen, AssignDialog)

    drive(app, scenario, size=(120, 40))


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_radio_labels_follow_the_language(desk, data, lang):
    desk.lang = lang
    desk.user = "lead"
    app = HostApp(desk, "escalate", [row(data[0])])

    async def scenario(pilot):
        label = str(app.screen.query_one("#hierarchical", RadioButton).label)
        assert label == ("to the incident manager and leaders" if lang == "en" else "管理升级：上报事件经理和领导")

    drive(app, scenario)


def test_knowledge_marks_what_is_already_linked(desk, data):
    a = data[0]
    art = knowledge.draft(desk, "li", title="VPN keeps dropping", body="Lower the MTU.", incident_id=a.id)
    app = HostApp(desk, "knowledge", [(a.id, a.version + 1)])

    async def scenario(pilot):
        assert "✔ linked" in screen_text(app)
        assert app.screen.query_one("#link").disabled
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert app.screen is not app.screen_stack[0]

    drive(app, scenario)
    assert [x.id for x in incidents.get(desk, a.id).articles] == [art.id]
    assert app.changed == []


@pytest.mark.parametrize("error", ["busy", "crash"])
def test_errors_are_said_plainly_never_as_a_traceback(desk, data, monkeypatch, error):
    from desk.domain.errors import DatabaseBusy

    def broken(*args, **kwargs):
        raise DatabaseBusy() if error == "busy" else RuntimeError("disk on fire")

    monkeypatch.setattr(incidents, "reopen", broken)
    d = data[3]
    app = HostApp(desk, "reopen", [row(d)])

    async def scenario(pilot):
        await type_text(pilot, "still bounces")
        await pilot.press("enter")
        await settle(pilot)
        text = flat(screen_text(app))
        expected = ("the database is busy (another writer held it too long): nothing was changed, try again"
                    if error == "busy" else "unexpected error (RuntimeError)")
        assert expected in text and "Traceback" not in text
        assert app.is_running and app.screen is not app.screen_stack[0]  # still open: try again or escape

    drive(app, scenario)
    assert incidents.get(desk, d.id).version == d.version
