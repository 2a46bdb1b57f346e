"""Holding and resuming a request's SLA clock from the request queue and detail (issue 15): `h`
holds it (a reason its statuses do not give, and a note), `H` resumes it, as `desk sla hold/resume
R12` do, with the same refusals: a status that pauses the clock itself is not resumed by hand, a
held clock is not held again, nothing is written then. Greyed by role and status like every
request key; snapshots of the hold form at 80×24 and 120×40 in English and Chinese.

Update the snapshots with `pytest tests/tui/test_request_clock_keys.py --snapshot-update`, then
look at the .svg files in __snapshots__/ before committing them."""

from __future__ import annotations

import pytest
from test_request_keys import keys_app, on_row, ready, row, shown  # noqa: F401 (keys_app: a fixture)
from textual.widgets import Input, Select
from tui_helpers import steady_cursors, wait_until

from desk.lists.request import REQUESTS
from desk.services import requests, sla_hold, sla_views

SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def clock_app(keys_app):
    """test_request_keys' app over its seeded requests, as chen (second line, who handles them)
    unless told otherwise."""
    return lambda lang="en", user="chen", size=(120, 40): keys_app(lang=lang, user=user, size=size)


def dialog(app):
    from desk.screens.record_action import RecordActionDialog

    return app.screen if isinstance(app.screen, RecordActionDialog) else None


async def open_dialog(pilot, key: str):
    await pilot.press(key)
    await wait_until(pilot, lambda: dialog(pilot.app) is not None and dialog(pilot.app).checked is not None,
                     what=f"the {key} form read its request")
    return dialog(pilot.app)


def toasts(app) -> str:
    return " ".join(str(n.message) for n in app._notifications)


def state(desk, request_id: int) -> str:
    return sla_views.view(desk, requests.KIND, request_id).state


def reasons_offered(form) -> list[str]:
    return [value for _label, value in form.query_one("#reason", Select)._options if isinstance(value, str)]


async def test_h_holds_the_clock_and_H_resumes_it(clock_app, desk):
    app = clock_app()
    target = desk.made["dispatched"]
    assert state(desk, target) != "paused"
    async with app.run_test(size=app.test_size) as pilot:
        await on_row(pilot, target)
        form = await open_dialog(pilot, "h")
        assert reasons_offered(form) == ["vendor"]  # caller, approval and cost are statuses of a request
        form.query_one("#reason", Select).value = "vendor"
        form.query_one("#note", Input).value = "the storage vendor sizes the share"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: dialog(app) is None and state(desk, target) == "paused", what="held")
        assert "Hold SLA clock done" in toasts(app)
        await ready(pilot)
        form = await open_dialog(pilot, "H")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: dialog(app) is None and state(desk, target) != "paused", what="resumed")
    (pause,) = sla_views.view(desk, requests.KIND, target).ledger
    assert (pause.reason, pause.note) == ("vendor", "the storage vendor sizes the share")
    assert row(target).status == "dispatched"


async def test_a_hold_without_a_reason_writes_nothing(clock_app, desk):
    app = clock_app()
    target = desk.made["dispatched"]
    version = row(target).version
    async with app.run_test(size=app.test_size) as pilot:
        await on_row(pilot, target)
        form = await open_dialog(pilot, "h")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "required" in shown(app), what="the missing reason")
        assert dialog(app) is form
    assert row(target).version == version and state(desk, target) != "paused"


async def test_a_status_that_pauses_the_clock_is_not_resumed_by_hand(clock_app, desk):
    """Awaiting the requester pauses the clock by its status: H is refused with the status named
    (the CLI's words), the form stays open, nothing is written."""
    app = clock_app()
    target = desk.made["waiting"]
    version = row(target).version
    async with app.run_test(size=app.test_size) as pilot:
        await on_row(pilot, target)
        form = await open_dialog(pilot, "H")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "pauses its SLA clock" in shown(app), what="the refusal")
        assert dialog(app) is form and "awaiting the requester" in shown(app).lower()
    assert (row(target).version, state(desk, target)) == (version, "paused")


async def test_a_held_clock_is_not_held_again(clock_app, desk):
    app = clock_app()
    target = desk.made["dispatched"]
    sla_hold.hold_request(desk, "chen", target, reason="vendor")
    version = row(target).version
    async with app.run_test(size=app.test_size) as pilot:
        await on_row(pilot, target)
        form = await open_dialog(pilot, "h")
        form.query_one("#reason", Select).value = "vendor"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "paused already" in shown(app), what="the refusal")
        assert dialog(app) is form
    assert row(target).version == version


async def test_the_keys_grey_by_role_and_status(clock_app, desk):
    # the queue asks the permission the service asks
    assert REQUESTS.permissions["sla_hold"] == REQUESTS.permissions["sla_resume"] == sla_hold._request()[2]
    closed = desk.made["pending"]
    requests.cancel(desk, "li", closed, reason="bought one herself")
    app = clock_app(user="chen")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await on_row(pilot, desk.made["dispatched"])
        assert screen.check_action("act", ("sla_hold",)) is True
        assert screen.check_action("act", ("sla_resume",)) is True
        screen = await on_row(pilot, closed)
        assert screen.check_action("act", ("sla_hold",)) is None  # a closed request's clock has stopped
        await pilot.press("h")
        await pilot.pause()
        assert dialog(app) is None
    app = clock_app(user="boss")  # an approver does not handle requests
    async with app.run_test(size=app.test_size) as pilot:
        screen = await on_row(pilot, desk.made["dispatched"])
        assert screen.check_action("act", ("sla_hold",)) is None
        await pilot.press("h")
        await pilot.pause()
        assert dialog(app) is None and "Hold SLA clock" in toasts(app)
    assert state(desk, desk.made["dispatched"]) != "paused"


async def test_the_detail_takes_h_and_shows_the_held_clock(clock_app, desk):
    app = clock_app()
    target = desk.made["dispatched"]
    async with app.run_test(size=app.test_size) as pilot:
        await on_row(pilot, target)
        await pilot.press("enter")
        await wait_until(pilot, lambda: getattr(app.screen, "loaded", False), what="the detail")
        detail = app.screen
        form = await open_dialog(pilot, "h")
        form.query_one("#reason", Select).value = "vendor"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is detail and detail.loaded and detail.detail.sla.state == "paused",
                         what="the detail re-read")
        assert "waiting for the vendor" in shown(app)
        form = await open_dialog(pilot, "H")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is detail and detail.loaded and detail.detail.sla.state != "paused",
                         what="resumed in the detail")
    assert state(desk, target) != "paused"


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_snapshot_hold_form(clock_app, desk, snap_compare, db_url, lang, size):
    if not db_url.endswith(".db"):
        pytest.skip("snapshots are taken on SQLite (the screen is the same on PostgreSQL)")
    app = clock_app(lang=lang, size=size)

    async def run_before(pilot):
        await on_row(pilot, desk.made["dispatched"])
        await open_dialog(pilot, "h")
        await wait_until(pilot, lambda: dialog(pilot.app).checked is True, what="the form ready")
        steady_cursors(pilot.app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)
