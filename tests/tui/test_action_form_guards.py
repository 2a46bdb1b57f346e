"""What the incident action forms require and offer before they submit (issue 19): escalate offers the
next tier's groups and says under each field what is missing; return offers the lower tiers, the
previous one first, and wants its reason; resolve offers a knowledge draft only to those who may
draft one, and drafts nothing when the service refused the resolution."""

from __future__ import annotations

from textual.widgets import Input

from desk.screens.dialogs.escalate import EscalateDialog
from desk.screens.dialogs.return_ import ReturnDialog
from desk.services import incidents, knowledge

from test_actions_host import HostApp, drive, pick, row, settle, type_text


def _offered(screen) -> list[str]:
    return [item.value for item in screen.query_one("#target")._items]


def _under(screen, field: str) -> str:
    return str(screen.query_one(f"#{field}-error").render())


def _bottom(screen) -> str:
    return str(screen.query_one("#dialog-error").render()).strip()


def _state(desk, incident_id):
    got = incidents.get(desk, incident_id)
    return got.version, len(got.history), got.group


def test_escalate_offers_the_next_tiers_groups_and_says_under_each_field_what_is_missing(desk, data):
    a = data[0]  # with the service desk (tier 1)
    before = _state(desk, a.id)
    app = HostApp(desk, "escalate", [row(a)])

    async def scenario(pilot):
        screen = app.screen
        assert set(_offered(screen)) == {"network", "systems", "database", "apps", "security"}  # tier 2
        screen.query_one("#target").search_input.focus()
        await type_text(pilot, "nowhere-at-all")  # no group chosen
        screen.query_one("#reason", Input).focus()
        await type_text(pilot, "   ")  # blanks are no reason
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, EscalateDialog)
        assert _under(screen, "reason") == "Reason is required"
        assert _under(screen, "target") == "choose the group to escalate to"

    drive(app, scenario, size=(120, 40))
    assert _state(desk, a.id) == before


def test_an_escalation_without_a_reason_is_said_once_under_the_field_and_never_sent(desk, data):
    a = data[0]
    before = _state(desk, a.id)
    app = HostApp(desk, "escalate", [row(a)])

    async def scenario(pilot):
        screen = app.screen
        await type_text(pilot, "network")  # the group chosen
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert isinstance(app.screen, EscalateDialog)
        assert (_under(screen, "reason"), _under(screen, "target"), _bottom(screen)) == ("Reason is required", "", "")

    drive(app, scenario, size=(120, 40))
    assert _state(desk, a.id) == before


def test_return_offers_the_lower_tiers_the_previous_first_and_wants_a_reason(desk, data):
    desk.user = "admin"
    incidents.escalate(desk, "li", data[0].id, to="network", reason="VPN concentrator")
    a = incidents.escalate(desk, "admin", data[0].id, to="vendor-net", reason="firmware bug")
    before = _state(desk, a.id)
    app = HostApp(desk, "return", [row(a)])

    async def scenario(pilot):
        screen = app.screen
        offered = _offered(screen)
        assert offered[-1] == "desk" and "network" in offered[:-1] and "vendor-net" not in offered
        await pilot.press("ctrl+s")  # the group it came from is chosen; no reason
        await settle(pilot)
        assert isinstance(app.screen, ReturnDialog)
        assert (_under(screen, "reason"), _bottom(screen)) == ("Reason is required", "")  # said once, not sent

    drive(app, scenario, size=(120, 40))
    assert _state(desk, a.id) == before


def test_a_vendor_is_offered_no_knowledge_draft_when_resolving(desk, data):
    desk.user = "vend"
    app = HostApp(desk, "resolve", [row(data[0])])

    async def scenario(pilot):
        assert not app.screen.query_one("#draft").display

    drive(app, scenario)


def test_a_refused_resolution_drafts_no_article(desk, data):
    desk.user = "wang"  # second line: the desk's incident is outside wang's group
    a = data[0]
    app = HostApp(desk, "resolve", [row(a)])

    async def scenario(pilot):
        await pick(pilot, "#code", ["down"])
        app.screen.query_one("#resolution").focus()
        await type_text(pilot, "Pinned the MTU")
        app.screen.query_one("#draft").focus()
        await pilot.press("space", "ctrl+s")
        await settle(pilot)
        assert "wang may not resolve outside their group" in str(app.screen.query_one("#dialog-error").render())

    drive(app, scenario)
    assert incidents.get(desk, a.id).status == "new" and knowledge.search(desk, "MTU") == []


def test_return_chooses_the_group_it_came_from_even_when_it_is_not_first(desk, data):
    desk.user = "admin"
    incidents.escalate(desk, "li", data[0].id, to="systems", reason="the server")  # not the first of tier 2
    a = incidents.escalate(desk, "admin", data[0].id, to="vendor-net", reason="firmware bug")
    app = HostApp(desk, "return", [row(a)])

    async def scenario(pilot):
        screen = app.screen
        assert _offered(screen)[0] != "systems" and screen.query_one("#target").value == "systems"

    drive(app, scenario, size=(120, 40))


def test_resolve_says_under_each_field_what_is_missing_and_sends_nothing(desk, data):
    a = data[0]
    before = _state(desk, a.id)
    app = HostApp(desk, "resolve", [row(a)])

    async def scenario(pilot):
        screen = app.screen
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert _under(screen, "code") == "choose a closure code"
        await pick(pilot, "#code", ["down"])  # a code, and still no resolution
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert (_under(screen, "code"), _under(screen, "resolution"), _bottom(screen)) == (
            "", "Resolution (what restored the service) is required", "")

    drive(app, scenario)
    assert _state(desk, a.id) == before


def test_a_field_the_service_says_is_missing_is_named_in_the_users_words(desk):
    from desk.domain.errors import ValidationError
    from desk.screens.actions import explain

    assert explain(ValidationError("error.required", field="reason"), desk) == "the reason is required"
    desk.lang = "zh"
    assert explain(ValidationError("error.required", field="reason"), desk) == "原因为必填项"


def test_an_unknown_group_typed_in_a_form_is_answered_with_the_codes_it_takes(desk):
    # A first-line agent typed the name they read ('Network') in the dispatch form and was sent to
    # `desk codes group`, a command they cannot run from the form.
    from desk.domain.errors import ValidationError
    from desk.screens.actions import explain

    said = explain(ValidationError("error.unknown_group", code="Network"), desk)
    assert "'Network'" in said and "`network` (Network team)" in said and "desk codes" not in said
    desk.lang = "zh"
    said = explain(ValidationError("error.unknown_group", code="Network"), desk)
    assert "“Network”" in said and "`network` (网络组)" in said and "desk codes" not in said
