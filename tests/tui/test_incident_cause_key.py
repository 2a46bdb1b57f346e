"""C on the incident queue and the incident detail (issue 18): the marked incidents are recorded
as caused by a change picked from those whose work began, or, recorded against one, as not
caused by it after all; each incident on its own, in both histories. A role that may not record
causes has the key greyed; the incident's detail names the change recorded as its cause. Snapshots of
the form and of that detail at 80×24 and 120×40 in English and Chinese."""

from __future__ import annotations

import pytest
from change_helpers import implementing
from tui_helpers import open_form, queue_ready, screen_text, wait_until

from desk.screens.dialogs.cause import CauseDialog
from desk.services import changes, incidents

try:
    from .test_actions_host import HostApp, root_conftest, row, seed, settle, still, type_text
except ImportError:
    from test_actions_host import HostApp, root_conftest, row, seed, settle, still, type_text


async def _open(pilot) -> CauseDialog:
    return await open_form(pilot, "C", CauseDialog)


async def test_c_records_the_marked_incidents_as_caused_by_a_change_then_not(make_app):
    app = make_app(user="li")
    target = implementing(app.desk, "Upgrade the VPN concentrator firmware")
    implementing(app.desk, "Replace the printers")
    changes.create(app.desk, "wang", title="VPN draft not started")  # never offered: no work began
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        for key in ("space", "space"):
            await pilot.press(key)
            await queue_ready(pilot)
        marked = sorted(queue.table.marked)
        dialog = await _open(pilot)
        assert not dialog.query_one("#mode").display  # none is recorded against a change: nothing to remove
        await type_text(pilot, "vpn")
        assert dialog.query_one("#change").value == str(target.id)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is queue, what="the form to close")
        assert [i.id for i in changes.get(app.desk, target.id).incidents] == marked
        for incident_id in marked:
            assert incidents.get(app.desk, incident_id).history[-1].action == "caused_by_change"
        messages = [str(n.message) for n in app._notifications]
        assert any(f"Incidents recorded as caused by change {target.id}: 2." in m for m in messages), messages
        await pilot.press("escape")  # the marks cleared: C acts on the cursor row
        await queue_ready(pilot)
        queue.table._move_to([queue.table.id_at(i) for i in range(queue.table.total)].index(marked[0]))
        await wait_until(pilot, lambda: queue.table.cursor_id == marked[0] and not queue.table.marked,
                         what="the cursor on the first")
        dialog = await _open(pilot)
        assert dialog.query_one("#unlink").value  # recorded: the form starts on "not caused by it"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is queue, what="the form to close")
        assert [i.id for i in changes.get(app.desk, target.id).incidents] == marked[1:]
        assert incidents.get(app.desk, marked[0]).history[-1].action == "not_caused_by_change"


async def test_c_on_the_incident_detail_opens_the_form_for_that_incident(make_app):
    from desk.screens.detail import DetailScreen

    app = make_app(user="li")
    implementing(app.desk, "Upgrade the VPN concentrator firmware")
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        shown = queue.table.cursor_id
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.detail is not None,
                         what="the detail")
        dialog = await _open(pilot)
        assert [i for i, _ in dialog.rows] == [shown]
        await pilot.press("escape")
        await wait_until(pilot, lambda: isinstance(app.screen, DetailScreen), what="back on the detail")
        assert incidents.get(app.desk, shown).history[-1].action != "caused_by_change"  # escape wrote nothing


async def test_the_detail_names_the_change_recorded_as_its_cause_once_c_records_it(make_app):
    from desk.screens.detail import DetailScreen

    app = make_app(user="li")
    made = implementing(app.desk, "Upgrade the VPN concentrator firmware [b]x[/b]")
    async with app.run_test(size=app.test_size) as pilot:
        await queue_ready(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.detail is not None,
                         what="the detail")
        detail = app.screen
        assert "Caused by change" not in screen_text(app)
        await _open(pilot)
        await pilot.press("ctrl+s")  # the only change whose work began: already highlighted
        await wait_until(pilot, lambda: app.screen is detail and detail.detail.caused_by_change is not None,
                         what="the detail read again")
        await pilot.pause()
        shown = " ".join(screen_text(app).split())  # (a long value wraps in its column)
        assert f"Caused by change {made.id}: Upgrade the VPN concentrator firmware [b]x[/b]" in shown  # literally


async def test_c_is_greyed_for_a_role_that_may_not_record_causes(make_app):
    app = make_app(user="vend")
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        assert queue.check_action("act", ("cause",)) is None
        await pilot.press("C")
        await pilot.pause()
        assert app.screen is queue


# --- snapshots ---------------------------------------------------------------------------------------

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}


@pytest.fixture
def cause_snap_desk(tmp_path, clock):
    desk = root_conftest().make_desk(str(tmp_path / "snap.db"), clock)
    desk.user = "li"
    data = seed(desk, clock)
    made = implementing(desk, "Upgrade the VPN concentrator firmware [b]x[/b]")
    yield desk, data, made.id
    desk.close()


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("mode", ["link", "unlink"])
def test_snapshot(snap_compare, cause_snap_desk, mode, lang, size):
    desk, data, change_id = cause_snap_desk
    desk.lang = lang
    a, b, c, d = data
    if mode == "unlink":  # both recorded against the change: the form starts on "not caused by it"
        changes.link_incident(desk, "li", change_id, [a.id, c.id])
        a, c = (incidents.get(desk, x.id, with_history=False) for x in (a, c))
    app = HostApp(desk, "cause", [row(a), row(c)])

    async def run_before(pilot):
        await settle(pilot)
        still(app)

    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_snapshot_detail_caused_by_a_change(snap_compare, cause_snap_desk, lang, size):
    """The incident's detail names the change recorded as its cause (its title literally)."""
    desk, data, change_id = cause_snap_desk
    desk.lang = lang
    changes.link_incident(desk, "li", change_id, [data[0].id])
    app = HostApp(desk, "detail", [row(incidents.get(desk, data[0].id, with_history=False))])

    async def run_before(pilot):
        await settle(pilot)
        if size == "80x24":  # the fields take a line each there: a page down brings the field into view
            await pilot.press("pagedown")
            await settle(pilot)
        still(app)

    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)
