"""The incident detail: what it shows (fields, SLA, checklist, history with old → new and notes,
linked knowledge), the action keys and what the role and state grey out, and untrusted text
shown literally."""

from __future__ import annotations

import pytest

from desk.screens.detail import DetailScreen
from desk.screens.dialogs.assign import AssignDialog
from desk.screens.dialogs.reopen import ReopenDialog
from desk.screens.actions import start_action
from desk.services import incidents, knowledge

from test_actions_host import HOSTILE, HostApp, drive, row, screen_text, settle, type_text


def test_detail_shows_fields_sla_checklist_history_and_knowledge(desk, data, clock):
    d = data[3]
    art = knowledge.draft(desk, "li", title="Raise a mailbox quota", body="Admin centre → quota.", incident_id=d.id)
    app = HostApp(desk, "detail", [row(d)])

    async def scenario(pilot):
        text = screen_text(app)
        assert f"#{d.id}  Mailbox full" in text
        for expected in ("Resolved", "3 General", "Caller", "Cai Na", "Email and calendar, version 1", "met",
                         "Fixed permanently", "Version"):
            assert expected in text
        app.screen.query_one("#detail-body").scroll_end(animate=False)
        await pilot.pause()
        text = screen_text(app)
        assert "✔ caller" in text and "○ organisation" in text and "○ when it started" in text
        assert "2026-11-02 17:15  li" in text and "assigned" in text  # 09:15 UTC, shown in Asia/Shanghai
        assert "Status: New → Assigned" in text
        assert "Assignee: — → li" in text
        assert "I'll take it" in text
        assert "Archived old mail; quota raised to 10 GB." in text
        assert f"#{art.id}  Raise a mailbox quota  (draft)" in text

    drive(app, scenario, size=(120, 60))


@pytest.mark.parametrize("lang, expected", [
    ("en", ("Group: Service desk → Network team", "Tier: 1 → 2")),
    ("zh", ("工作组: 服务台 → 网络组", "支持层级: 1 → 2")),
])
def test_history_names_fields_and_groups_in_the_users_language(desk, data, lang, expected):
    escalated = incidents.escalate(desk, "li", data[0].id, to="network", reason="needs a router check")
    desk.lang = lang
    app = HostApp(desk, "detail", [row(escalated)])

    async def scenario(pilot):
        app.screen.query_one("#detail-body").scroll_end(animate=False)
        await pilot.pause()
        text = screen_text(app)
        for line in expected:
            assert line in text

    drive(app, scenario, size=(120, 60))


def test_detail_in_chinese(desk, data):
    desk.lang = "zh"
    app = HostApp(desk, "detail", [row(data[0])])

    async def scenario(pilot):
        text = screen_text(app)
        assert "状态" in text and "新建" in text and "紧急" in text and "剩余 3h30" in text

    drive(app, scenario, size=(120, 40))


def test_a_key_from_the_detail_acts_on_the_version_shown_and_reloads(desk, data):
    a = data[0]
    app = HostApp(desk, "detail", [row(a)])

    async def scenario(pilot):
        await pilot.press("a")
        await settle(pilot)
        dialog = app.screen
        assert isinstance(dialog, AssignDialog) and dialog.rows == [(a.id, a.version)]
        await type_text(pilot, "zhao")
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, DetailScreen)
        assert app.screen.detail.assignee == "zhao" and app.screen.detail.version == a.version + 1
        assert "zhao" in screen_text(app)

    drive(app, scenario, size=(120, 40))
    assert incidents.get(desk, a.id).assignee == "zhao"
    assert app.changed == [[a.id]]  # bubbled on to the app, which tells the queue


def test_state_and_role_grey_out_what_cannot_be_done(desk, data):
    open_one, resolved = data[0], data[3]
    app = HostApp(desk, "detail", [row(open_one)])

    async def scenario(pilot):
        screen = app.screen
        assert screen.check_action("act", ("assign",)) is True
        assert screen.check_action("act", ("close",)) is None  # an open incident cannot close
        assert screen.check_action("act", ("reopen",)) is None
        await pilot.press("c")
        await settle(pilot)
        assert app.screen is screen  # nothing opened

    drive(app, scenario)

    desk.user = "wang"  # second line: may resolve, may not close or reopen
    app = HostApp(desk, "detail", [row(resolved)])

    async def scenario2(pilot):
        screen = app.screen
        assert screen.check_action("act", ("reopen",)) is None
        assert screen.check_action("act", ("close",)) is None
        assert screen.check_action("act", ("knowledge",)) is True
        await pilot.press("o")
        await settle(pilot)
        assert app.screen is screen

    drive(app, scenario2)


def test_reopen_from_the_detail(desk, data):
    d = data[3]
    app = HostApp(desk, "detail", [row(d)])

    async def scenario(pilot):
        await pilot.press("o")
        await settle(pilot)
        assert isinstance(app.screen, ReopenDialog)
        await type_text(pilot, "still full")
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.detail.status == "assigned"

    drive(app, scenario)
    assert incidents.get(desk, d.id).reopen_count == 1


def test_escape_goes_back(desk, data):
    app = HostApp(desk, "detail", [row(data[0])])

    async def scenario(pilot):
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.screen_stack[0]

    drive(app, scenario)


def test_a_missing_incident_is_said_plainly(desk, data):
    app = HostApp(desk, "detail", [(999, 1)])

    async def scenario(pilot):
        assert "There is no incident 999." in screen_text(app)
        assert app.screen.check_action("act", ("assign",)) is None

    drive(app, scenario)


def test_hostile_text_in_the_detail_shows_literally(desk, data, clock):
    bad = incidents.create(desk, "li", title=HOSTILE[:500], impact=3, urgency=3, caller="[red]Mallory[/red]",
                           description=HOSTILE)
    incidents.note(desk, "li", bad.id, text="[@click=app.quit]click me[/] \x1b]52;c;ZXZpbA==\x07")
    app = HostApp(desk, "detail", [(bad.id, 2)])

    async def scenario(pilot):
        text = screen_text(app)
        assert "[bold]loud[/bold] [@click=app.quit]quit[/] ␛[2J␛]52;c;ZXZpbA==␇ �evil" in text
        assert "[red]Mallory[/red]" in text
        assert "\x1b" not in text and "\u202e" not in text
        body = app.screen.query_one("#detail-body")
        body.scroll_end(animate=False)
        await pilot.pause()
        text = screen_text(app)
        assert "[@click=app.quit]click me[/] ␛]52;c;ZXZpbA==␇" in text
        await pilot.click("#detail-body", offset=(8, 4))
        await settle(pilot)
        assert app.is_running

    drive(app, scenario, size=(120, 40))


def test_the_detail_screen_is_kept_and_shows_the_next_incident(desk, data):
    first, second = data[0], data[3]
    app = HostApp(desk, "detail", [row(first)])

    async def scenario(pilot):
        screen = app.screen
        assert "VPN drops every hour" in screen_text(app)
        await pilot.press("escape")
        await settle(pilot)
        assert app.screen is app.screen_stack[0]
        start_action(app.screen, "detail", [row(second)])
        await settle(pilot)
        assert app.screen is screen  # the same screen, reused: nothing composed again
        text = screen_text(app)
        assert f"#{second.id}  Mailbox full" in text and "VPN drops" not in text
        assert screen.check_action("act", ("reopen",)) is True  # greyed by the new incident's state
        assert screen.check_action("act", ("assign",)) is None

    drive(app, scenario, size=(120, 40))


def test_the_escalation_count_says_it_counts_escalations_to_the_managers(desk, data):
    # After `e Escalate` to the network team the detail read 'Escalations / reopened  0 / 0×': the
    # count is the hierarchical one (to the incident manager and leaders), and says so.
    escalated = incidents.escalate(desk, "li", data[0].id, to="network", reason="needs a router check")
    app = HostApp(desk, "detail", [row(escalated)])

    async def scenario(pilot):
        text = screen_text(app)
        assert "Escalations" not in text
        assert "To managers / reopened  0 / 0×" in text

    drive(app, scenario, size=(120, 60))
