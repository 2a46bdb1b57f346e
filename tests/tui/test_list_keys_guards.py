"""What a list's key acts on and when it is refused (desk/screens/list_keys.py), on the request queue,
that a removed or inverted line would let pass (issue 19; tools/mutants/screens_list_keys.toml): a
key outside the bulk set checks the cursor row even with rows marked, a bulk key on marked rows
does not, space unmarks, esc clears the marks before the filter, a key the role may not use is
greyed out and refused, and a key on an empty list says there is no row."""

from __future__ import annotations

from tui_helpers import wait_until

from desk.services import request_approval, requests

try:
    from .test_request_bulk import _all_view, _mark
    from .test_request_keys import form, keys_app, open_form, ready, row  # noqa: F401 (keys_app: a fixture)
except ImportError:
    from test_request_bulk import _all_view, _mark
    from test_request_keys import form, keys_app, open_form, ready, row  # noqa: F401


def _said(app, words: str) -> bool:
    return any(words in str(n.message) for n in app._notifications)


async def _cursor_on(pilot, screen, request_id: int) -> None:
    table = screen.table
    table._move_to(next(i for i in range(table.total) if table.id_at(i) == request_id))
    await pilot.pause()
    assert table.cursor_id == request_id


async def test_a_key_outside_the_bulk_set_is_refused_for_the_cursor_row_s_status_with_rows_marked(keys_app, desk):
    app = keys_app(user="lead")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await _all_view(pilot)
        await _mark(pilot, screen, [desk.made["dispatched"]])
        await _cursor_on(pilot, screen, desk.made["pending"])  # escalate starts from accepted or dispatched
        await pilot.press("e")
        await wait_until(pilot, lambda: _said(app, "does not apply"), what="the refusal")
        assert form(app) is None
    assert row(desk.made["pending"]).status == "pending"


async def test_a_bulk_key_on_marked_rows_is_not_refused_for_the_cursor_row_s_status(keys_app, desk):
    pending = [desk.made["pending"], requests.create(desk, "li", title="Keyboard", checked=["all"]).id]
    app = keys_app(user="li")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await _all_view(pilot)
        await _mark(pilot, screen, pending)
        await _cursor_on(pilot, screen, desk.made["dispatched"])  # accept cannot start from dispatched
        dialog = await open_form(pilot, "a")
        assert sorted(i for i, _version in dialog.rows) == sorted(pending)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: form(app) is None, what="the form to close")
    assert [row(i).status for i in pending] == ["accepted", "accepted"]


async def test_space_on_a_marked_row_unmarks_it(keys_app, desk):
    app = keys_app(user="li")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await _all_view(pilot)
        await _mark(pilot, screen, [desk.made["pending"]])
        await _cursor_on(pilot, screen, desk.made["pending"])
        await pilot.press("space")
        await ready(pilot)
        assert desk.made["pending"] not in screen.table.marked


async def test_esc_clears_the_marks_first_and_the_filter_after(keys_app, desk):
    app = keys_app(user="li")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await _all_view(pilot)
        await pilot.press("slash", *"toner", "enter")
        screen = await ready(pilot)
        assert screen.filter_text == "toner" and screen.table.total == 1
        await _mark(pilot, screen, [desk.made["pending"]])
        await pilot.press("escape")
        screen = await ready(pilot)
        assert not screen.table.marked and screen.filter_text == "toner"
        await pilot.press("escape")
        screen = await ready(pilot)
        assert screen.filter_text == "" and screen.table.total == len(desk.made)


async def test_a_key_the_role_may_not_use_is_greyed_and_refused_by_name(keys_app, desk):
    waiting = requests.create(desk, "li", title="VPN for the auditors", checked=["all"], accept=True).id
    requests.dispatch(desk, "li", waiting, to="chen")
    request_approval.ask_approval(desk, "chen", waiting, approvers=["boss"])
    app = keys_app(user="li")  # first line: approve applies to the row's status, not to li's role
    async with app.run_test(size=app.test_size) as pilot:
        screen = await _all_view(pilot)
        await _cursor_on(pilot, screen, waiting)
        assert screen.check_action("act", ("approve",)) is None  # greyed in the key bar
        await pilot.press("p")  # pressed anyway
        await wait_until(pilot, lambda: _said(app, "your role may not do this"), what="the refusal")
        assert form(app) is None
    assert row(waiting).status == "awaiting_approval"


async def test_a_bulk_key_with_nothing_marked_acts_on_the_cursor_row(keys_app, desk):
    app = keys_app(user="li")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await _all_view(pilot)
        await _cursor_on(pilot, screen, desk.made["pending"])
        dialog = await open_form(pilot, "a")
        assert dialog.rows == [(desk.made["pending"], row(desk.made["pending"]).version)]
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: form(app) is None, what="the form to close")
    assert row(desk.made["pending"]).status == "accepted"


async def test_a_key_on_an_empty_list_says_there_is_no_row(keys_app, desk):
    app = keys_app(user="li")
    async with app.run_test(size=app.test_size) as pilot:
        await _all_view(pilot)
        await pilot.press("slash", *"nothing like this", "enter")
        screen = await ready(pilot)
        assert screen.table.total == 0
        await pilot.press("a")
        await wait_until(pilot, lambda: _said(app, "nothing under the cursor"), what="the message")
        assert form(app) is None
