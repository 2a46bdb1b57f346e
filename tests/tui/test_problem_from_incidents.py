"""P on the incident queue (issue 18): the marked incidents raise a new problem (title, category
and service taken from them) or are linked to an existing one picked from a list. One
transaction: every incident or none, each with its own history row; a stale incident refuses the
whole and keeps what was typed; a refusal is said in the form. Snapshots of the form at 80×24 and
120×40 in English and Chinese."""

from __future__ import annotations

import pytest
from tui_helpers import open_form, queue_ready, wait_until

from desk.screens.dialogs.problem import ProblemDialog
from desk.screens.dialogs.result import ResultDialog
from desk.services import incidents, problems

try:
    from .test_actions_host import HostApp, flat, root_conftest, row, screen_text, seed, settle, still, type_text
except ImportError:
    from test_actions_host import HostApp, flat, root_conftest, row, screen_text, seed, settle, still, type_text


async def _mark_two(pilot, queue) -> list[int]:
    for key in ("space", "space"):
        await pilot.press(key)
        await queue_ready(pilot)
    marked = sorted(queue.table.marked)
    assert len(marked) == 2
    return marked


async def _open(pilot) -> ProblemDialog:
    return await open_form(pilot, "P", ProblemDialog)


def _history(desk, incident_id: int) -> list[str]:
    return [h.action for h in incidents.get(desk, incident_id).history]


async def test_p_raises_a_problem_from_the_marked_incidents(make_app):
    app = make_app(user="li")
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        marked = await _mark_two(pilot, queue)
        dialog = await _open(pilot)
        assert sorted(i for i, _ in dialog.rows) == marked
        first = incidents.get(app.desk, marked[0], with_history=False)
        assert dialog.query_one("#problem_title").value == first.title  # prefilled from the incidents
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is queue, what="the form to close")
        found = [p for p in problems.list_(app.desk)[1] if p.title == first.title]
        assert len(found) == 1 and found[0].incidents == 2
        detail = problems.get(app.desk, found[0].id)
        assert [i.id for i in detail.incidents] == marked
        assert detail.history[0].changes["incidents"] == [None, marked]  # the problem's side
        for incident_id in marked:  # each incident's side, in its own history
            assert _history(app.desk, incident_id)[-1] == "link_problem"
        messages = [str(n.message) for n in app._notifications]
        assert any(f"Problem {found[0].id} raised from 2 incidents." in m for m in messages), messages


async def test_p_links_the_marked_incidents_to_a_problem_picked_from_the_list(make_app):
    app = make_app(user="li")
    target = problems.create(app.desk, "lead", title="Branch routers lose their VPN tunnels")
    other = problems.create(app.desk, "lead", title="Printers jam")
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        marked = await _mark_two(pilot, queue)
        dialog = await _open(pilot)
        await pilot.click("#link")
        await wait_until(pilot, lambda: dialog.query_one("#link-box").display, what="the picker")
        assert not dialog.query_one("#new-box").display
        await type_text(pilot, "vpn tunnels")
        assert dialog.query_one("#problem").value == str(target.id)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is queue, what="the form to close")
        assert [i.id for i in problems.get(app.desk, target.id).incidents] == marked
        assert problems.get(app.desk, other.id).incidents == []
        for incident_id in marked:
            assert _history(app.desk, incident_id)[-1] == "link_problem"
            assert problems.problem_of(app.desk, incident_id) == target.id


async def test_link_without_a_choice_is_refused_in_the_form(make_app):
    app = make_app(user="li")
    async with app.run_test(size=app.test_size) as pilot:
        await queue_ready(pilot)
        dialog = await _open(pilot)
        await pilot.click("#link")
        await type_text(pilot, "nothing matches this")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert app.screen is dialog
        assert "choose the problem to link them to" in flat(screen_text(app))
        assert problems.list_(app.desk)[0] == 0


async def test_an_incident_linked_already_refuses_the_whole_and_says_so_in_the_form(make_app):
    app = make_app(user="li")
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        marked = await _mark_two(pilot, queue)
        held = problems.create(app.desk, "lead", title="Held", incidents_=[marked[1]])
        dialog = await _open(pilot)
        text = flat(screen_text(app))
        assert f"Incident {marked[1]} is linked to problem {held.id} already" in text  # said before typing
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "is linked to problem" in str(dialog.query_one("#dialog-error").render())
                         and not dialog.busy, what="the refusal")
        assert app.screen is dialog  # the form stays: the user may change it or escape
        assert problems.list_(app.desk)[0] == 1  # no second problem: all or nothing
        assert problems.problem_of(app.desk, marked[0]) is None
        assert "link_problem" not in _history(app.desk, marked[0])


async def test_a_stale_incident_refuses_the_whole_and_keeps_the_title_typed(make_app):
    app = make_app(user="li")
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        marked = await _mark_two(pilot, queue)
        dialog = await _open(pilot)
        dialog.query_one("#problem_title").value = "VPN and mail fail together"
        incidents.note(app.desk, "zhao", marked[0], text="meanwhile")  # another agent
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ResultDialog), what="the result")
        assert "changed meanwhile" in flat(screen_text(app))
        assert problems.list_(app.desk)[0] == 0
        assert all("link_problem" not in _history(app.desk, i) for i in marked)
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is queue, what="the queue")
        await wait_until(pilot, lambda: not queue.table.marked or all(v for v in queue.table.marked.values()),
                         what="the rows re-read")
        dialog = await _open(pilot)  # the same form again: what was typed is back
        assert dialog.query_one("#problem_title").value == "VPN and mail fail together"


async def test_p_is_greyed_for_a_role_that_may_not_raise_problems(make_app):
    app = make_app(user="vend")
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        assert queue.check_action("act", ("problem",)) is None
        await pilot.press("P")
        await pilot.pause()
        assert app.screen is queue
    app = make_app(user="li")
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        assert queue.check_action("act", ("problem",)) is True


# --- snapshots ---------------------------------------------------------------------------------------

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}


@pytest.fixture
def problem_snap_desk(tmp_path, clock):
    desk = root_conftest().make_desk(str(tmp_path / "snap.db"), clock)
    desk.user = "li"
    data = seed(desk, clock)
    problems.create(desk, "lead", title="Branch routers lose their VPN tunnels [b]x[/b]")
    yield desk, data
    desk.close()


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("mode", ["new", "link"])
def test_snapshot(snap_compare, problem_snap_desk, mode, lang, size):
    desk, data = problem_snap_desk
    desk.lang = lang
    a, b, c, d = data
    app = HostApp(desk, "problem", [row(a), row(c)])

    async def run_before(pilot):
        await settle(pilot)
        if mode == "link":
            await pilot.click("#link")
            await type_text(pilot, "vpn")
        await settle(pilot)
        still(app)

    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)
