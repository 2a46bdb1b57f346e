"""The request queue's action form on marked requests (desk/screens/request_action.py) that a removed
or inverted line would let pass (issue 19; tools/mutants/screens_request_action.toml): it opens when
any marked request can take the action, whichever comes first, a form none of them can take
writes nothing even when submitted, and what was typed waits on a request refused as changed."""

from __future__ import annotations

from tui_helpers import screen_text, wait_until

from desk.models import History
from desk.screens.dialogs.result import ResultDialog
from desk.services import requests

try:
    from .test_request_bulk import _all_view, _mark
    from .test_request_keys import fill, form, keys_app, open_form, ready, row  # noqa: F401 (keys_app: a fixture)
except ImportError:
    from test_request_bulk import _all_view, _mark
    from test_request_keys import fill, form, keys_app, open_form, ready, row  # noqa: F401


async def test_the_form_opens_when_a_later_marked_request_can_take_the_action(keys_app, desk):
    fresh = requests.create(desk, "li", title="Keyboard", checked=["all"]).id  # pending, after the dispatched one
    app = keys_app(user="li")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await _all_view(pilot)
        await _mark(pilot, screen, [desk.made["dispatched"], fresh])
        dialog = await open_form(pilot, "a")
        await wait_until(pilot, lambda: dialog.checked, what="the check")
        assert not dialog.blocked
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ResultDialog), what="the result")
        assert "1 done, 1 refused" in screen_text(app) and f"R{desk.made['dispatched']}" in screen_text(app)
    assert row(fresh).status == "accepted"


async def test_a_form_none_of_the_marked_can_take_writes_nothing_when_submitted(keys_app, desk):
    closing = [desk.made["pending"], desk.made["waiting"]]  # neither is resolved
    before = History.select().count()
    app = keys_app(user="li")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await _all_view(pilot)
        await _mark(pilot, screen, closing)
        dialog = await open_form(pilot, "c")
        await wait_until(pilot, lambda: dialog.blocked, what="the refusal")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog and not dialog.busy
    assert History.select().count() == before
    assert [row(i).status for i in closing] == ["pending", "awaiting_requester"]


async def test_the_reason_typed_waits_on_a_marked_request_changed_meanwhile(keys_app, desk, clock):
    """Two requests rejected with one reason; one was changed after the approver saw it (refused, named):
    opening x on it again shows the reason typed, the other is rejected."""
    try:
        from .test_request_bulk_approval import TITLES, _awaiting
    except ImportError:
        from test_request_bulk_approval import TITLES, _awaiting

    marked = [_awaiting(desk, clock, title) for title in TITLES[:2]]
    app = keys_app(user="boss")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await _all_view(pilot)
        await _mark(pilot, screen, marked)
        requests.note(desk, "chen", marked[1], text="the auditors asked for two more accounts")
        dialog = await open_form(pilot, "x")
        fill(dialog, reason="no budget this quarter")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ResultDialog), what="the result")
        await pilot.press("escape")  # the result
        await pilot.press("escape")  # the marks
        screen = await ready(pilot)
        assert not screen.table.marked
        screen.table._move_to(next(i for i in range(screen.table.total) if screen.table.id_at(i) == marked[1]))
        await pilot.pause()
        again = await open_form(pilot, "x")
        assert again.rows == [(marked[1], row(marked[1]).version)]
        assert again.typed()["reason"] == "no budget this quarter"
        await pilot.press("escape")
    assert [row(i).status for i in marked] == ["closed", "awaiting_approval"]
