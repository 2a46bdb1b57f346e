"""Approve (p) and reject (x) as bulk actions on the request queue (issue 14), through the list
machinery's one bulk definition (desk.lists.request REQUESTS.bulk): an approver marks requests
waiting for them and decides them all, each in its own transaction with the version the approver
saw; a request someone changed meanwhile is refused and named, the others are decided."""

from __future__ import annotations

import pytest
from tui_helpers import screen_text, wait_until

from desk.screens.dialogs.result import ResultDialog
from desk.services import request_approval, requests

try:
    from .test_request_bulk import _all_view, _mark, _marked_form
    from .test_request_keys import fill, form, keys_app, open_form, row  # noqa: F401 (keys_app: a fixture)
except ImportError:
    from test_request_bulk import _all_view, _mark, _marked_form
    from test_request_keys import fill, form, keys_app, open_form, row  # noqa: F401

TITLES = ("VPN for the auditors", "Report database access", "Training account")


def _awaiting(desk, clock, title: str) -> int:
    """A request waiting for boss's approval (its only level)."""
    made = requests.create(desk, "li", title=title, requester="Zhang Wei", checked=["all"], accept=True)
    requests.dispatch(desk, "li", made.id, to="chen")
    request_approval.ask_approval(desk, "chen", made.id, approvers=["boss"])
    clock.advance(minutes=3)
    return made.id


async def test_p_approves_the_marked_and_names_the_stale_one_the_others_approved(keys_app, desk, clock):
    first, stale, third = (_awaiting(desk, clock, title) for title in TITLES)
    app = keys_app(user="boss")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await _all_view(pilot)
        await _mark(pilot, screen, [first, stale, third])
        requests.note(desk, "chen", stale, text="the auditors asked for two more accounts")  # after boss saw it
        dialog = await open_form(pilot, "p")
        assert "3 requests" in screen_text(app)
        fill(dialog, note="fine for this audit")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ResultDialog) and "refused" in screen_text(app),
                         what="the result")
        text = screen_text(app)
        assert "2 done, 1 refused" in text and f"R{stale}" in text and "changed meanwhile" in text
        await pilot.press("escape")
    assert [row(i).status for i in (first, stale, third)] == ["dispatched", "awaiting_approval", "dispatched"]
    decided = [request_approval.approvals(desk, i, 1)[0] for i in (first, stale, third)]
    assert [(a.decision, a.note) for a in decided] == [("approved", "fine for this audit"), (None, ""),
                                                       ("approved", "fine for this audit")]


async def test_x_rejects_every_marked_request_with_the_one_reason(keys_app, desk, clock):
    marked = [_awaiting(desk, clock, title) for title in TITLES[:2]]
    app = keys_app(user="boss")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await _all_view(pilot)
        await _mark(pilot, screen, marked)
        dialog = await open_form(pilot, "x")
        fill(dialog, reason="no budget this quarter")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: form(app) is None, what="the form to close")
        await wait_until(pilot, lambda: any("done for 2 requests" in str(n.message) for n in app._notifications),
                         what="the result")
    assert [(row(i).status, row(i).close_code) for i in marked] == [("closed", "approval_rejected")] * 2


async def test_x_without_a_reason_decides_nothing(keys_app, desk, clock):
    marked = [_awaiting(desk, clock, title) for title in TITLES[:2]]
    app = keys_app(user="boss")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await _all_view(pilot)
        await _mark(pilot, screen, marked)
        await open_form(pilot, "x")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert form(app) is not None  # the form stays, saying what is missing
        await pilot.press("escape")
    assert [row(i).status for i in marked] == ["awaiting_approval"] * 2


async def test_p_on_marked_requests_waiting_for_someone_else_approves_none(keys_app, desk, clock):
    marked = [_awaiting(desk, clock, title) for title in TITLES[:2]]
    app = keys_app(user="appr")  # an approver, but not the one these requests wait for
    async with app.run_test(size=app.test_size) as pilot:
        screen = await _all_view(pilot)
        await _mark(pilot, screen, marked)
        await open_form(pilot, "p")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ResultDialog) or form(app) is None
                         or "refused" in screen_text(app), what="the refusal")
        await pilot.pause()
    assert [row(i).status for i in marked] == ["awaiting_approval"] * 2


SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("state", ["form", "result"])
def test_snapshot(keys_app, desk, clock, snap_compare, db_url, monkeypatch, state, lang, size):
    if not db_url.endswith(".db"):
        pytest.skip("snapshots are taken on SQLite (the screen is the same on PostgreSQL)")
    monkeypatch.setattr("desk.screens.list_screen.POLL_SECONDS", 3600.0)  # as test_request_bulk's snapshots
    marked = [_awaiting(desk, clock, title) for title in TITLES]
    app = keys_app(lang=lang, user="boss", size=size)

    note = "the auditors asked for two more accounts"
    meanwhile = (lambda: requests.note(desk, "chen", marked[1], text=note)) if state == "result" else None

    async def run_before(pilot):
        await _marked_form(app, pilot, marked, "p", meanwhile)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
