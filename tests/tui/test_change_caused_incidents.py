"""Incidents caused by a change, from the change queue and its detail (issue 18): `i` records
incidents the change caused, `I` removes one it did not cause (both histories say so), the
detail lists them and Enter opens one. Refusals (not a number, not its incident, no work begun)
are one message and write nothing. Snapshots of the change detail with caused incidents at 80×24
and 120×40, English and Chinese."""

from __future__ import annotations

import pytest
from change_helpers import change_form as _form, implementing
from tui_helpers import screen_text, wait_until

from desk.screens.changes import ChangesScreen
from desk.services import changes, incidents

try:
    from .test_problem_change_screens import _ids, open_list
except ImportError:
    from test_problem_change_screens import _ids, open_list


def seed(desk, clock):
    a = incidents.create(desk, "li", title="VPN down after the upgrade", impact=2, urgency=1, service="network")
    b = incidents.create(desk, "zhao", title="Branch 3 cannot log in [b]x[/b]", impact=3, urgency=2)
    c = implementing(desk, "Upgrade the VPN concentrator firmware", hours=2, reason="sessions drop",
                     implementation_plan="flash 9.2", backout_plan="flash 9.1 back")
    draft = changes.create(desk, "wang", title="Replace the core switch", services="network")
    clock.advance(minutes=5)
    return {"a": a.id, "b": b.id, "c": c.id, "draft": draft.id}


async def test_i_records_caused_incidents_and_capital_i_removes_one(make_app, desk, clock):
    made = seed(desk, clock)
    app = make_app(seed=False, user="lead")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_list(pilot, ChangesScreen)
        form = await _form(pilot, screen, made["c"], "i")
        await pilot.press(*"12x", "enter")  # not a list of numbers: said, nothing written
        await wait_until(pilot, lambda: "12x" in str(form.query_one("#dialog-error").render()), what="the refusal")
        assert changes.get(desk, made["c"]).incidents == []
        form.query_one("#text").value = f"{made['a']}, #{made['b']}"
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen, what="the form closed")
        assert [i.id for i in changes.get(desk, made["c"]).incidents] == [made["a"], made["b"]]
        assert incidents.get(desk, made["b"]).history[-1].action == "caused_by_change"
        form = await _form(pilot, screen, made["c"], "I")
        await pilot.press(*"999", "enter")  # not one of its incidents: said, nothing removed
        await wait_until(pilot, lambda: "999" in str(form.query_one("#dialog-error").render()), what="refused")
        assert len(changes.get(desk, made["c"]).incidents) == 2
        form.query_one("#text").value = str(made["b"])
        await pilot.press("enter")
        await wait_until(pilot, lambda: app.screen is screen, what="the form closed")
        assert [i.id for i in changes.get(desk, made["c"]).incidents] == [made["a"]]
        assert incidents.get(desk, made["b"]).history[-1].action == "not_caused_by_change"


async def test_the_keys_are_greyed_before_work_on_the_change_began(make_app, desk, clock):
    made = seed(desk, clock)
    app = make_app(seed=False, user="lead")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_list(pilot, ChangesScreen)
        screen.table._move_to(_ids(screen).index(made["draft"]))
        await wait_until(pilot, lambda: screen.table.cursor_id == made["draft"], what="the cursor")
        assert screen.check_action("act", ("link_incident",)) is None
        assert screen.check_action("act", ("unlink_incident",)) is None
        await pilot.press("i")
        await pilot.pause()
        assert app.screen is screen and changes.get(desk, made["draft"]).incidents == []
        screen.table._move_to(_ids(screen).index(made["c"]))
        await wait_until(pilot, lambda: screen.table.cursor_id == made["c"], what="the cursor")
        assert screen.check_action("act", ("link_incident",)) is True


async def test_the_change_detail_lists_its_incidents_and_enter_opens_one(make_app, desk, clock):
    from desk.screens.detail import DetailScreen

    made = seed(desk, clock)
    changes.link_incident(desk, "li", made["c"], [made["a"], made["b"]])
    app = make_app(seed=False, user="lead")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_list(pilot, ChangesScreen)
        screen.table._move_to(_ids(screen).index(made["c"]))
        await pilot.press("enter")
        await wait_until(pilot, lambda: getattr(app.screen, "detail", None) is not None, what="the detail")
        change_detail = app.screen
        await pilot.pause()
        text = screen_text(app)
        assert "Incidents it caused" in text
        assert f"#{made['b']} · New · P3 · Branch 3 cannot log in [b]x[/b]" in text  # literally
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.detail is not None
                         and app.screen.detail.id == made["a"], what="the incident's detail")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is change_detail, what="back on the change")


SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_snapshot_change_detail(make_app, snap_compare, db_url, desk, clock, lang, size):
    if not db_url.endswith(".db"):
        pytest.skip("snapshots are taken on SQLite (the screen is the same on PostgreSQL)")
    made = seed(desk, clock)
    changes.link_incident(desk, "li", made["c"], [made["a"], made["b"]])
    app = make_app(seed=False, lang=lang, size=size, user="lead")

    async def run_before(pilot):
        screen = await open_list(pilot, ChangesScreen)
        screen.table._move_to(_ids(screen).index(made["c"]))
        await pilot.press("enter")
        await wait_until(pilot, lambda: getattr(app.screen, "detail", None) is not None, what="the detail")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)
