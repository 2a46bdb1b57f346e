"""The knowledge form's guards (issue 19): a role that may not note the incident is offered no link
and ctrl+l does nothing; the article under the cursor is the one linked; an article not yet
published says so; a search that finds nothing says so; a link the service refuses stays in the form
with the reason."""

from __future__ import annotations

from desk.screens.dialogs.knowledge import KnowledgeDialog
from desk.services import agents, incidents, knowledge

from test_actions_host import HostApp, drive, flat, row, screen_text, settle, type_text


def test_a_role_that_may_not_note_the_incident_links_nothing(desk, data):
    a = data[0]
    knowledge.draft(desk, "li", title="VPN keeps dropping", body="Lower the MTU to 1400.")
    desk.user = "appr"  # an approver may search the knowledge base, not touch incidents
    app = HostApp(desk, "knowledge", [row(a)])

    async def scenario(pilot):
        await settle(pilot)
        assert "VPN keeps dropping" in screen_text(app)
        assert app.screen.query_one("#link").disabled
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert isinstance(app.screen, KnowledgeDialog)

    drive(app, scenario)
    assert incidents.get(desk, a.id).articles == [] and app.changed == []


def test_the_article_under_the_cursor_is_the_one_linked(desk, data):
    a = data[0]
    knowledge.draft(desk, "li", title="VPN keeps dropping", body="Lower the MTU to 1400.")
    knowledge.draft(desk, "li", title="VPN client crashes", body="Reinstall the client.")
    app = HostApp(desk, "knowledge", [row(a)])

    async def scenario(pilot):
        await type_text(pilot, "vpn")
        await settle(pilot)
        assert len(app.screen.articles) == 2
        await pilot.press("down")
        await settle(pilot)
        assert app.screen.current.id == app.screen.articles[1].id
        chosen = app.screen.current.id
        await pilot.press("ctrl+l")
        await settle(pilot)
        assert app.screen is app.screen_stack[0]
        assert [x.id for x in incidents.get(desk, a.id).articles] == [chosen]

    drive(app, scenario)


def test_a_draft_is_marked_and_a_search_that_finds_nothing_says_so(desk, data):
    knowledge.draft(desk, "li", title="VPN keeps dropping", body="Lower the MTU to 1400.")
    app = HostApp(desk, "knowledge", [row(data[0])])

    async def scenario(pilot):
        await settle(pilot)
        assert "VPN keeps dropping" in screen_text(app) and "draft" in flat(screen_text(app))
        await type_text(pilot, "zzqx")
        await settle(pilot)
        assert "no article matches" in screen_text(app)

    drive(app, scenario)


def test_a_link_the_service_refuses_stays_in_the_form_with_the_reason(desk, data):
    a = data[0]
    knowledge.draft(desk, "li", title="VPN keeps dropping", body="Lower the MTU to 1400.")
    app = HostApp(desk, "knowledge", [row(a)])

    async def scenario(pilot):
        await settle(pilot)
        agents.save_agent(desk, "admin", agent_login="li", name="Li", roles=["l1"], group="desk", active=False)
        await pilot.press("ctrl+l")  # li has left meanwhile
        await settle(pilot)
        assert isinstance(app.screen, KnowledgeDialog)
        assert "'li' is not an agent of this desk" in flat(str(app.screen.query_one("#dialog-error").render()))

    drive(app, scenario)
    assert incidents.get(desk, a.id).articles == [] and app.changed == []
