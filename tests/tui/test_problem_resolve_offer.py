"""The problem detail lists its linked incidents, one line each; resolving a problem offers to
resolve its open incidents (each on its own, with the version shown: a stale one is named and
the others proceed); `I` offers it again later. Snapshots of the detail with linked incidents at
80×24 and 120×40, English and Chinese."""

from __future__ import annotations

import pytest
from tui_helpers import screen_text, wait_until

from desk.screens.problem_incidents import ResolveIncidentsDialog
from desk.screens.problems import ProblemsScreen
from desk.screens.record_action import RecordActionDialog
from desk.screens.dialogs.result import ResultDialog
from desk.services import incidents, problems

try:
    from .test_problem_change_screens import _ids, open_list
except ImportError:
    from test_problem_change_screens import _ids, open_list


def seed(desk, clock):
    a = incidents.create(desk, "li", title="VPN drops every hour", impact=2, urgency=1, category="network",
                         service="network")
    clock.advance(minutes=5)
    b = incidents.create(desk, "zhao", title="VPN slow in branch 3 [b]x[/b]", impact=3, urgency=2,
                         category="network", service="network")
    clock.advance(minutes=5)
    p = problems.create(desk, "li", title="VPN concentrator drops sessions", incidents_=[a.id, b.id])
    problems.investigate(desk, "wang", p.id)
    problems.root_cause(desk, "wang", p.id, text="the concentrator firmware drops idle tunnels")
    lone = problems.create(desk, "lead", title="Printers jam after the driver update")
    problems.investigate(desk, "wang", lone.id)
    problems.root_cause(desk, "wang", lone.id, text="the driver")
    clock.advance(minutes=5)
    return {"a": a.id, "b": b.id, "p": p.id, "lone": lone.id}


async def _resolve(pilot, screen, problem_id: int, fix: str = "firmware 9.2") -> None:
    screen.table._move_to(_ids(screen).index(problem_id))
    await pilot.press("x")
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, RecordActionDialog), what="the resolve form")
    await pilot.press(*["space" if ch == " " else ch for ch in fix], "enter")


async def test_resolving_a_problem_offers_to_resolve_its_open_incidents(make_app, desk, clock):
    made = seed(desk, clock)
    app = make_app(seed=False, user="lead")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_list(pilot, ProblemsScreen)
        await _resolve(pilot, screen, made["p"])
        await wait_until(pilot, lambda: isinstance(app.screen, ResolveIncidentsDialog), what="the offer")
        assert problems.get(desk, made["p"]).status == "resolved"
        await pilot.pause()
        text = screen_text(app)
        assert f"#{made['a']} VPN drops every hour" in text and "[b]x[/b]" in text  # listed, literally
        assert incidents.get(desk, made["a"]).status != "resolved"  # nothing until the user says so
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is screen, what="the offer done")
        for key in ("a", "b"):
            detail = incidents.get(desk, made[key])
            assert detail.status == "resolved"
            assert [h.action for h in detail.history].count("resolve") == 1  # its own history row
            assert f"problem {made['p']}" in detail.history[-1].note
        messages = [str(n.message) for n in app._notifications]
        assert any(f"Incidents of problem {made['p']} resolved: 2." in m for m in messages), messages


async def test_a_stale_incident_is_named_and_the_others_are_resolved(make_app, desk, clock):
    made = seed(desk, clock)
    app = make_app(seed=False, user="lead")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_list(pilot, ProblemsScreen)
        await _resolve(pilot, screen, made["p"])
        await wait_until(pilot, lambda: isinstance(app.screen, ResolveIncidentsDialog), what="the offer")
        incidents.note(desk, "zhao", made["b"], text="the caller called again")  # meanwhile
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ResultDialog), what="the result")
        await pilot.pause()
        assert "changed meanwhile" in screen_text(app)
        assert incidents.get(desk, made["a"]).status == "resolved"
        assert incidents.get(desk, made["b"]).status != "resolved"  # not written over the note


async def test_not_now_resolves_nothing_and_i_offers_it_again(make_app, desk, clock):
    made = seed(desk, clock)
    app = make_app(seed=False, user="lead")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_list(pilot, ProblemsScreen)
        await _resolve(pilot, screen, made["p"])
        await wait_until(pilot, lambda: isinstance(app.screen, ResolveIncidentsDialog), what="the offer")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, what="not now")
        assert incidents.get(desk, made["a"]).status != "resolved"
        await pilot.press("7")  # every problem: the resolved one too
        await wait_until(pilot, lambda: made["p"] in _ids(screen) and not screen.table.busy, what="view 7")
        screen.table._move_to(_ids(screen).index(made["p"]))
        await wait_until(pilot, lambda: screen.table.cursor_row.status == "resolved", what="the row re-read")
        assert screen.check_action("act", ("resolve_incidents",)) is True
        await pilot.press("I")
        await wait_until(pilot, lambda: isinstance(app.screen, ResolveIncidentsDialog), what="the offer again")
        await pilot.click("#ok")
        await wait_until(pilot, lambda: incidents.get(desk, made["b"]).status == "resolved", what="resolved")


async def test_i_is_greyed_on_an_unresolved_problem_and_no_offer_without_open_incidents(make_app, desk, clock):
    made = seed(desk, clock)
    app = make_app(seed=False, user="lead")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_list(pilot, ProblemsScreen)
        screen.table._move_to(_ids(screen).index(made["lone"]))
        await wait_until(pilot, lambda: screen.table.cursor_id == made["lone"], what="the cursor")
        assert screen.check_action("act", ("resolve_incidents",)) is None  # root cause known: not resolved
        await pilot.press("I")
        await pilot.pause()
        assert app.screen is screen
        await _resolve(pilot, screen, made["lone"], fix="new driver")
        await wait_until(pilot, lambda: problems.get(desk, made["lone"]).status == "resolved", what="resolved")
        await wait_until(pilot, lambda: not any(w.group == "problem-offer" for w in app.workers), what="the read")
        await pilot.pause()
        assert not isinstance(app.screen, ResolveIncidentsDialog)  # nothing to offer


async def test_the_detail_lists_each_linked_incident(make_app, desk, clock):
    made = seed(desk, clock)
    app = make_app(seed=False, user="lead")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_list(pilot, ProblemsScreen)
        screen.table._move_to(_ids(screen).index(made["p"]))
        await pilot.press("enter")
        await wait_until(pilot, lambda: getattr(app.screen, "detail", None) is not None, what="the detail")
        await pilot.pause()
        text = screen_text(app)
        assert f"#{made['a']} · New · P1 · VPN drops every hour" in text
        assert f"#{made['b']} · New · P3 · VPN slow in branch 3 [b]x[/b]" in text
        # the history in words: actions, field names and coded values by their labels
        assert "investigation started" in text and "Status: New → Under investigation" in text
        assert f"Incidents: — → #{made['a']}, #{made['b']}" in text
        assert "['new'" not in text


async def test_enter_on_the_problem_detail_opens_the_incident_under_the_cursor(make_app, desk, clock):
    from desk.screens.detail import DetailScreen

    made = seed(desk, clock)
    app = make_app(seed=False, user="lead")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_list(pilot, ProblemsScreen)
        screen.table._move_to(_ids(screen).index(made["p"]))
        await pilot.press("enter")
        await wait_until(pilot, lambda: getattr(app.screen, "detail", None) is not None, what="the detail")
        problem_detail = app.screen
        await pilot.press("down", "enter")  # the second linked incident
        await wait_until(pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.detail is not None
                         and app.screen.detail.id == made["b"], what="the incident's detail")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is problem_detail, what="back on the problem")


SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_snapshot_detail(make_app, snap_compare, db_url, desk, clock, lang, size):
    if not db_url.endswith(".db"):
        pytest.skip("snapshots are taken on SQLite (the screen is the same on PostgreSQL)")
    made = seed(desk, clock)
    app = make_app(seed=False, lang=lang, size=size, user="lead")

    async def run_before(pilot):
        screen = await open_list(pilot, ProblemsScreen)
        screen.table._move_to(_ids(screen).index(made["p"]))
        await pilot.press("enter")
        await wait_until(pilot, lambda: getattr(app.screen, "detail", None) is not None, what="the detail")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


async def test_the_detail_names_codes_by_their_labels_as_problem_show_does(make_app, desk, clock):
    """It showed 'Service  network', 'Category  network' and a bare priority, in Chinese too."""
    made = seed(desk, clock)
    detail = problems.get(desk, made["p"])
    assert (detail.service, detail.category) == ("network", "network")
    app = make_app(seed=False, user="lead", lang="zh")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_list(pilot, ProblemsScreen)
        screen.table._move_to(_ids(screen).index(made["p"]))
        await pilot.press("enter")
        await wait_until(pilot, lambda: getattr(app.screen, "detail", None) is not None, what="the detail")
        await pilot.pause()
        lines = {" ".join(line.split()[:1]): " ".join(line.split()[1:]) for line in screen_text(app).splitlines()
                 if line.strip()}
        config = desk.config
        assert lines["服务"] == config.label("service", "network", "zh") != "network"
        assert lines["类别"] == config.label("category", "network", "zh") != "network"
        assert lines["优先级"].startswith(f"{detail.priority} {config.label('priority', detail.priority, 'zh')}")
