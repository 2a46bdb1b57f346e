"""The request screens: the queue (F3) on the list machinery, the approval inbox, the intake
checklist and the request detail — Pilot tests per key (one request walked from intake to close
with keys only) and snapshots at 80×24 and 120×40 in English and Chinese.

Update the snapshots with `pytest tests/tui/test_requests_screens.py --snapshot-update`, then look
at the .svg files in __snapshots__/ before committing them."""

from __future__ import annotations

import time

import pytest
from tui_helpers import screen_text, steady_cursors, wait_until

from desk.models import ServiceRequest
from desk.services import agents, request_approval, request_intake, requests

SIZES = [(80, 24), (120, 40)]
LANGS = ["en", "zh"]
CODE_FIELDS = ("tab",) * 6  # the intake's contact, location, class, channel, priority and group fields, after the requester


def seed_requests(desk, clock) -> list[int]:
    """Requests in several states, an approver with one waiting for them, a Chinese and a hostile title."""
    agents.save_agent(desk, "admin", agent_login="boss", name="Boss", roles=["approver"], group=None)
    made = []

    def new(title, **kw):
        r = requests.create(desk, "li", title=title, requester="Zhang Wei", checked=["all"], **kw)
        made.append(r.id)
        clock.advance(minutes=9)
        return r.id

    a = new("New laptop for Ms Zhang", accept=True, service="desktop", add_approval=True)
    b = new("VPN access for a contractor", accept=True, service="network")
    c = new("共享邮箱：信贷部", service="email")
    d = new("[bold]not markup[/bold] \x1b[2J second monitor", accept=True)
    requests.dispatch(desk, "li", a, to="chen")
    request_approval.ask_approval(desk, "chen", a, approvers=["boss"])
    requests.dispatch(desk, "li", b, to="wang")
    requests.fulfil(desk, "wang", b, note="Account created")
    requests.dispatch(desk, "li", d, to="chen")
    del c
    return made


@pytest.fixture
def request_app(desk, clock):
    from desk.app import DeskApp, operator_for

    desk.request_ids = seed_requests(desk, clock)

    def factory(lang="en", user="admin", size=(120, 40)):
        desk.lang, desk.user = lang, user
        app = DeskApp(desk, operator_for(desk, user), keymap={})
        app.test_size = size
        return app

    return factory


def _screen(app):
    from desk.screens.requests import RequestsScreen

    screen = app.screen
    return screen if isinstance(screen, RequestsScreen) else None


async def ready(pilot, timeout: float = 8.0):
    """The request queue shows its current view completely."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await pilot.pause(0.02)
        screen = _screen(pilot.app)
        if screen is None or not screen.is_mounted:
            continue
        table = screen.table
        if table.busy or table.gen != screen._gen or table.total is None:
            continue
        top = table.scroll_offset.y
        height = max(1, table.size.height - 1)
        if all(table.row_at(i) is not None for i in range(top, min(top + height, table.total))):
            await pilot.pause()
            return screen
    raise AssertionError("the request queue did not finish loading")


async def to_requests(pilot, view: str | None = None):
    await pilot.press("f3")
    screen = await ready(pilot)
    if view is not None:
        await pilot.press(str(screen.SPEC.views.index(view) + 1))
        screen = await ready(pilot)
    return screen


async def typed(pilot, text: str):
    for ch in text:
        await pilot.press({" ": "space", ":": "colon", ",": "comma", ".": "full_stop"}.get(ch, ch))


def status_of(request_id: int) -> str:
    return ServiceRequest.get_by_id(request_id).status


# --- Pilot: keys -------------------------------------------------------------------------------------

async def test_one_request_from_intake_to_close_with_keys_only(request_app):
    app = request_app()
    async with app.run_test(size=app.test_size) as pilot:
        await to_requests(pilot, "all")
        await pilot.press("n")
        await wait_until(pilot, lambda: app.screen.id == "request-intake", what="the intake screen")
        intake = app.screen
        await typed(pilot, "desktop")
        await wait_until(pilot, lambda: intake.query_one("#services").option_count == 1, what="the search")
        await pilot.press("enter")  # picks the service, focus on the title
        await wait_until(pilot, lambda: intake.service == "desktop", what="the service's checklist")
        await pilot.press("ctrl+s")  # nothing ticked yet: refused, the screen says what is missing
        assert app.screen is intake and "Still missing" in screen_text(app)
        await typed(pilot, "Docking station")
        await pilot.press("tab")
        await typed(pilot, "For the new joiner")
        await pilot.press("tab")
        await typed(pilot, "Li Na")
        await pilot.press(*CODE_FIELDS)  # past the contact and location, the class, channel and priority, the group search
        for _ in intake.items:  # each checklist item (the base ones and the service's own): tab, space
            await pilot.press("tab", "space")
        await wait_until(pilot, lambda: intake.ready, what="a complete checklist")
        assert "Ready" in screen_text(app)
        await pilot.press("ctrl+s")
        screen = await ready(pilot)
        new_id = max(r.id for r in ServiceRequest.select(ServiceRequest.id))
        made = ServiceRequest.get_by_id(new_id)
        assert (made.title, made.description, made.requester, made.status) == (
            "Docking station", "For the new joiner", "Li Na", "pending")
        await wait_until(pilot, lambda: screen.table.cursor_id == new_id, what="the cursor on the new request")
        for key, fields, status in (("a", [], "accepted"), ("d", ["chen", ""], "dispatched"),
                                    ("f", ["Delivered to desk 4"], "resolved"), ("b", ["5", "great"], "resolved"),
                                    ("c", [""], "closed")):
            await pilot.press(key)
            await wait_until(pilot, lambda: app.screen.__class__.__name__ == "RequestAction", what=key)
            if not fields:
                await pilot.press("ctrl+s")
            for text in fields:
                await typed(pilot, text)
                await pilot.press("enter")
            await wait_until(pilot, lambda s=status: status_of(new_id) == s and _screen(app) is not None,
                             what=f"{key} -> {status}")
            screen = await ready(pilot)
            await wait_until(pilot, lambda s=status: screen.table.cursor_row is not None
                             and screen.table.cursor_row.status == s, what=f"the row repainted after {key}: {screen.table.cursor_row}")
        done = ServiceRequest.get_by_id(new_id)
        assert (done.close_code, done.satisfaction, done.completion_note) == ("succeeded", 5, "Delivered to desk 4")


async def test_enter_opens_the_detail_and_escape_goes_back(request_app, desk):
    app = request_app()
    async with app.run_test(size=app.test_size) as pilot:
        screen = await to_requests(pilot, "all")
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen.id == "request-detail", what="the detail")
        await wait_until(pilot, lambda: "History" in screen_text(app), what="the detail read")
        assert f"R{screen.table.cursor_id}" in screen_text(app)
        await pilot.press("escape")
        await ready(pilot)


async def test_an_approver_lands_on_the_inbox_and_p_approves(request_app, desk):
    app = request_app(user="boss")
    a = desk.request_ids[0]
    async with app.run_test(size=app.test_size) as pilot:
        screen = await to_requests(pilot)
        assert screen.view == "approvals" and screen.table.total == 1 and screen.table.cursor_id == a
        await pilot.press("p")
        await wait_until(pilot, lambda: app.screen.__class__.__name__ == "RequestAction", what="the form")
        await typed(pilot, "ok")
        await pilot.press("enter")
        await wait_until(pilot, lambda: status_of(a) == "dispatched", what="the approval")
        screen = await ready(pilot)
        assert screen.table.total == 0


async def test_x_rejects_with_a_reason_and_an_empty_reason_writes_nothing(request_app, desk):
    app = request_app(user="boss")
    a = desk.request_ids[0]
    async with app.run_test(size=app.test_size) as pilot:
        await to_requests(pilot)
        await pilot.press("x")
        await wait_until(pilot, lambda: app.screen.__class__.__name__ == "RequestAction", what="the form")
        await pilot.press("enter", "enter")  # no reason
        assert status_of(a) == "awaiting_approval" and app.screen.__class__.__name__ == "RequestAction"
        await pilot.press("shift+tab")
        await typed(pilot, "no budget")
        await pilot.press("enter", "enter")
        await wait_until(pilot, lambda: status_of(a) == "closed", what="the rejection")
        assert ServiceRequest.get_by_id(a).close_code == "approval_rejected"


async def test_a_refused_action_says_why_and_escape_writes_nothing(request_app, desk):
    app = request_app(user="li")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await to_requests(pilot, "all")
        pending = desk.request_ids[2]
        while screen.table.cursor_id != pending:
            await pilot.press("down")
        await pilot.press("c")  # close a pending request: greyed, the status line says why
        assert app.screen is screen
        await pilot.press("a")
        await wait_until(pilot, lambda: app.screen.__class__.__name__ == "RequestAction", what="the form")
        await pilot.press("escape")
        await ready(pilot)
        assert status_of(pending) == "pending"


async def test_keys_the_role_may_not_use_are_greyed(request_app):
    app = request_app(user="boss")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await to_requests(pilot)
        assert screen.check_action("act", ("approve",)) is True
        assert screen.check_action("act", ("accept",)) is None and screen.check_action("act", ("new",)) is None


async def test_a_running_queue_auto_closes_silent_resolved_requests(request_app, desk, clock):
    resolved = desk.request_ids[1]  # fulfilled in the seed, nobody called back
    clock.advance(days=6)
    app = request_app(user="li")
    async with app.run_test(size=app.test_size) as pilot:
        await to_requests(pilot, "all")
        await wait_until(pilot, lambda: status_of(resolved) == "closed", what="the auto-close")
        assert ServiceRequest.get_by_id(resolved).auto_closed


async def test_an_approver_s_queue_does_not_auto_close(request_app, desk, clock):
    resolved = desk.request_ids[1]
    clock.advance(days=6)
    app = request_app(user="boss")
    async with app.run_test(size=app.test_size) as pilot:
        await to_requests(pilot)
        await pilot.pause(0.5)
        assert status_of(resolved) == "resolved"


# --- snapshots ---------------------------------------------------------------------------------------

def _driver(keys, wait_detail=False, intake=None):
    async def run_before(pilot):
        # Moving focus down the intake form scrolls it with a 0.2 s animation that a screenshot can
        # catch half-way: without animations the form is where it ends up, every run.
        pilot.app.animation_level = "none"
        await to_requests(pilot)
        for key in keys:
            await pilot.press(key)
        if wait_detail:
            await wait_until(pilot, lambda: getattr(pilot.app.screen, "loaded", False), what="the detail")
        if intake is not None:
            screen = pilot.app.screen
            published = len(request_intake.services(pilot.app.desk, "", 20))
            await wait_until(pilot, lambda: bool(screen.items) and screen.shown_missing is not None
                             and screen.query_one("#services").option_count == published
                             and len(screen.query_one("#group")._items) > 1, what="the checklist and the groups")
            await intake(pilot, screen)
            form = screen.query_one("#intake")
            # Settled: what the screen says is missing is what is missing, and the focused field has
            # been scrolled into view (focus scrolls after the next refresh, later under load).
            await wait_until(pilot, lambda: screen.shown_missing == screen.missing()
                             and form.region.contains_region(pilot.app.focused.region), what="the form settled")
        elif keys and keys[-1] in "1234567":
            await ready(pilot)
        steady_cursors(pilot.app)
        await pilot.pause()

    return run_before


async def _half(pilot, screen):
    await typed(pilot, "Docking station")
    await pilot.press("tab", "tab", "tab", *CODE_FIELDS, "space")  # (past the description and the requester)
    await wait_until(pilot, lambda: len(screen.ticked()) == 1, what="one item")


async def _ready(pilot, screen):
    await typed(pilot, "Docking station")
    await pilot.press("tab", "tab", *CODE_FIELDS)  # (past the description)
    for _ in range(4):
        await pilot.press("tab", "space")
    await wait_until(pilot, lambda: screen.ready, what="ready")


STATES = {
    "queue": (["3"], {}),
    "detail": (["7", "enter"], {"wait_detail": True}),
    "intake_empty": (["n"], {"intake": lambda pilot, screen: pilot.pause()}),
    "intake_half": (["n", "tab", "tab"], {"intake": _half}),
    "intake_ready": (["n", "tab", "tab"], {"intake": _ready}),
}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("state", [*STATES, "inbox"])
def test_snapshot(request_app, snap_compare, db_url, state, lang, size):
    if not db_url.endswith(".db"):
        pytest.skip("snapshots are taken on SQLite (the screen is the same on PostgreSQL)")
    if state == "inbox":
        app = request_app(lang=lang, user="boss", size=size)
        keys, options = [], {}
    else:
        app = request_app(lang=lang, size=size)
        keys, options = STATES[state]
    assert snap_compare(app, terminal_size=size, run_before=_driver(keys, **options))
