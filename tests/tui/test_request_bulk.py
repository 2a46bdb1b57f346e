"""Marks and bulk actions on the request queue (issue 14), through the list machinery's one bulk
definition (desk.lists.request REQUESTS.bulk): space marks requests, and a (accept), d (dispatch),
c (close), p (approve) and x (reject; those two in test_request_bulk_approval.py) act on every
marked one, each in its own transaction with the version the agent saw.
A stale request among them is refused and named, the others are done, and the result says so."""

from __future__ import annotations

import pytest
from tui_helpers import screen_text, steady_cursors, wait_until

from desk.lists.request import REQUESTS
from desk.screens.dialogs.result import ResultDialog
from desk.services import requests

try:
    from .test_request_keys import fill, form, keys_app, open_form, ready, row  # noqa: F401 (keys_app: a fixture)
except ImportError:
    from test_request_keys import fill, form, keys_app, open_form, ready, row  # noqa: F401


async def _all_view(pilot):
    await pilot.press("f3")
    screen = await ready(pilot)
    await pilot.press(str(screen.SPEC.views.index("all") + 1))
    return await ready(pilot)


async def _mark(pilot, screen, ids) -> None:
    """Space on each of these requests (the cursor put on it first)."""
    table = screen.table
    for request_id in ids:
        table._move_to(next(i for i in range(table.total) if table.id_at(i) == request_id))
        await pilot.pause()
        assert table.cursor_id == request_id
        await pilot.press("space")
        await ready(pilot)
    assert set(ids) <= set(table.marked)


async def _marked_form(app, pilot, marked, key: str, meanwhile=None) -> None:
    """The "all" view, `marked` marked and `key`'s bulk form open; with `meanwhile` (someone else's
    change after the marking) the form is submitted and its result shown. Steady for a snapshot."""
    screen = await _all_view(pilot)
    await _mark(pilot, screen, marked)
    await open_form(pilot, key)
    if meanwhile is not None:
        meanwhile()
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ResultDialog), what="the result")
    steady_cursors(app)
    await pilot.pause()


def _resolved(desk, clock, title: str) -> int:
    made = requests.create(desk, "li", title=title, requester="Zhang Wei", checked=["all"], accept=True)
    requests.dispatch(desk, "li", made.id, to="chen")
    requests.fulfil(desk, "chen", made.id, note="done")
    requests.callback(desk, "li", made.id, satisfaction=5)
    clock.advance(minutes=3)
    return made.id


def test_the_bulk_actions_are_the_kind_s_one_definition():
    assert REQUESTS.bulk == {"accept", "dispatch", "approve", "reject", "close"}
    assert REQUESTS.bulk <= set(REQUESTS.actions)


async def test_d_dispatches_every_marked_request(keys_app, desk, clock):
    targets = [desk.made["pending"], requests.create(desk, "li", title="Desk phone for the new starter",
                                                      checked=["all"], accept=True).id]
    requests.accept(desk, "li", targets[0])
    app = keys_app(user="li")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await _all_view(pilot)
        await _mark(pilot, screen, targets)
        dialog = await open_form(pilot, "d")
        assert "2 requests" in screen_text(app)
        fill(dialog, to="chen")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: form(app) is None, what="the form to close")
        await wait_until(pilot, lambda: any("done for 2 requests" in str(n.message) for n in app._notifications),
                         what="the result")
    assert [(row(i).status, row(i).handler.login) for i in targets] == [("dispatched", "chen")] * 2


async def test_c_closes_the_marked_and_names_the_stale_one_the_others_closed(keys_app, desk, clock):
    first, stale, third = (_resolved(desk, clock, title) for title in ("Toner, floor 3", "VPN token", "Desk lamp"))
    app = keys_app(user="li")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await _all_view(pilot)
        await _mark(pilot, screen, [first, stale, third])
        requests.note(desk, "zhao", stale, text="the requester called again")  # after the agent saw it
        await open_form(pilot, "c")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ResultDialog) and "refused" in screen_text(app),
                         what="the result")
        text = screen_text(app)
        assert "2 done, 1 refused" in text and f"R{stale}" in text and "changed meanwhile" in text
        await pilot.press("escape")
    assert [row(i).status for i in (first, stale, third)] == ["closed", "resolved", "closed"]


async def test_a_bulk_action_on_requests_none_of_which_can_take_it_is_refused_before_typing(keys_app, desk, clock):
    app = keys_app(user="li")
    closing = [desk.made["pending"], desk.made["waiting"]]  # neither is resolved: c cannot close them
    async with app.run_test(size=app.test_size) as pilot:
        screen = await _all_view(pilot)
        await _mark(pilot, screen, closing)
        dialog = await open_form(pilot, "c")
        assert dialog.blocked and "cannot close" in screen_text(app)
        await pilot.press("escape")
    assert [row(i).status for i in closing] == ["pending", "awaiting_requester"]


async def test_a_accepts_every_marked_request_and_a_refused_one_is_named(keys_app, desk, clock):
    pending = [desk.made["pending"], requests.create(desk, "li", title="Keyboard", checked=["all"]).id]
    app = keys_app(user="li")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await _all_view(pilot)
        await _mark(pilot, screen, pending + [desk.made["dispatched"]])
        await open_form(pilot, "a")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ResultDialog) and "refused" in screen_text(app),
                         what="the result")
        assert "2 done, 1 refused" in screen_text(app) and f"R{desk.made['dispatched']}" in screen_text(app)
    assert [row(i).status for i in pending] == ["accepted", "accepted"]
    assert row(desk.made["dispatched"]).status == "dispatched"


@pytest.mark.parametrize("key", ["e", "m"])
async def test_keys_outside_the_bulk_set_act_on_the_cursor_row_alone(keys_app, desk, clock, key):
    app = keys_app(user="lead")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await _all_view(pilot)
        await _mark(pilot, screen, [desk.made["pending"], desk.made["dispatched"]])
        table = screen.table
        table._move_to(next(i for i in range(table.total) if table.id_at(i) == desk.made["dispatched"]))
        await pilot.pause()
        dialog = await open_form(pilot, key)
        assert dialog.rows == [(desk.made["dispatched"], row(desk.made["dispatched"]).version)]
        await pilot.press("escape")


SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("state", ["form", "result"])
def test_snapshot(keys_app, desk, clock, snap_compare, db_url, monkeypatch, state, lang, size):
    if not db_url.endswith(".db"):
        pytest.skip("snapshots are taken on SQLite (the screen is the same on PostgreSQL)")
    # no live refresh: the rows someone else changed would be highlighted for a moment, or not,
    # depending on when the poll runs (the queue re-reads the rows the user's own action wrote)
    monkeypatch.setattr("desk.screens.list_screen.POLL_SECONDS", 3600.0)
    marked = [_resolved(desk, clock, title) for title in ("Toner, floor 3", "VPN token", "Desk lamp")]
    app = keys_app(lang=lang, user="li", size=size)

    meanwhile = (lambda: requests.note(desk, "zhao", marked[1], text="the requester called again")) if state == "result" else None

    async def run_before(pilot):
        await _marked_form(app, pilot, marked, "c", meanwhile)

    assert snap_compare(app, terminal_size=size, run_before=run_before)
