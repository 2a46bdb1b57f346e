"""Holding and resuming an incident's SLA clock from the incident queue and the incident detail
(issue 15): `h` holds it (a reason, a note), `H` resumes it, as `desk sla hold 12` / `desk sla
resume 12` do, in the form requests use (desk/screens/clock_keys.py). A refusal is said on the
form's message line in the CLI's words (each compared with what the service says to the CLI, after
the form wrote nothing): a clock held already, one not held, a status that pauses the clock itself
(`[sla.pausing.incident]`), a role taken away meanwhile; a stale version closes the form with who
changed the incident. Greyed by role and status; listed by `?` and moved by `[keymap]`.

Snapshots of the form (ready, and refused) at 80×24 and 120×40 in English and Chinese: update
them with `pytest tests/tui/test_incident_clock_keys.py --snapshot-update`, then look at the .svg
files in __snapshots__/ before committing them."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Select
from tui_helpers import press, queue_ready, seed_queue, steady_cursors, wait_until

from desk.domain.errors import DeskError
from desk.domain.permissions import KEY_ACTIONS
from desk.services import agents, incidents, sla_hold, sla_views

try:
    from .test_actions_host import HostApp, flat, root_conftest, row, screen_text, seed, settle
except ImportError:
    from test_actions_host import HostApp, flat, root_conftest, row, screen_text, seed, settle


def dialog(app):
    from desk.screens.record_action import RecordActionDialog

    return app.screen if isinstance(app.screen, RecordActionDialog) else None


async def open_dialog(pilot, key: str):
    """Press the key; the form, once it has read the incident (OK enabled, or a refusal said)."""
    await pilot.press(key)
    await wait_until(pilot, lambda: dialog(pilot.app) is not None and dialog(pilot.app).checked is not None,
                     what=f"the {key} form read its incident")
    return dialog(pilot.app)


async def on_incident(pilot, incident_id: int):
    """The queue's "All" view with the cursor on this incident."""
    await queue_ready(pilot)
    await press(pilot, "8")
    queue = await queue_ready(pilot)
    for _ in range(queue.table.total):
        if queue.table.cursor_id == incident_id:
            return queue
        await pilot.press("down")
    assert queue.table.cursor_id == incident_id
    return queue


def shown(app) -> str:
    return flat(screen_text(app))


def toasts(app) -> str:
    return " ".join(str(n.message) for n in app._notifications)


def state(desk, incident_id: int) -> str:
    return sla_views.view(desk, incidents.KIND, incident_id).state


def version(desk, incident_id: int) -> int:
    return incidents.get(desk, incident_id, with_history=False).version


def reasons_offered(form) -> list[str]:
    return [value for _label, value in form.query_one("#reason", Select)._options if isinstance(value, str)]


def cli_words(call) -> str:
    """What the CLI says for the same refusal (desk/cli.py prints the error's message)."""
    with pytest.raises(DeskError) as caught:
        call()
    return caught.value.message("en")


async def test_h_holds_the_clock_on_the_queue_and_H_resumes_it(make_app, desk):
    app = make_app(user="li")
    target = desk.seeded_ids[8]  # new, priority 3: well within its target (a clock held past its breach stays breached)
    async with app.run_test(size=app.test_size) as pilot:
        queue = await on_incident(pilot, target)
        form = await open_dialog(pilot, "h")
        assert reasons_offered(form) == ["caller", "vendor", "approval", "cost"]  # no incident status pauses it
        form.query_one("#reason", Select).value = "vendor"
        form.query_one("#note", Input).value = "the carrier replaces the line card"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: dialog(app) is None and state(desk, target) == "paused", what="held")
        assert f"Incident {target}: Hold SLA clock done" in toasts(app)
        await wait_until(pilot, lambda: queue.table.cursor_row.version == version(desk, target),
                         what="the queue to re-read the row")
        await open_dialog(pilot, "H")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: dialog(app) is None and state(desk, target) != "paused", what="resumed")
    (pause,) = sla_views.view(desk, incidents.KIND, target).ledger
    assert (pause.reason, pause.note, pause.ended_at is not None) == ("vendor", "the carrier replaces the line card",
                                                                      True)
    assert incidents.get(desk, target, with_history=False).status == "new"


async def test_escape_writes_nothing_and_a_hold_needs_a_reason(make_app, desk):
    app = make_app(user="li")
    target = desk.seeded_ids[8]
    before = version(desk, target)
    async with app.run_test(size=app.test_size) as pilot:
        queue = await on_incident(pilot, target)
        form = await open_dialog(pilot, "h")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "Why the clock stops: required" in shown(app), what="the missing reason")
        assert dialog(app) is form
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is queue, what="back on the queue")
    assert (version(desk, target), state(desk, target)) == (before, "running")


async def test_a_held_clock_is_not_held_again_in_the_cli_words(make_app, desk):
    app = make_app(user="li")
    target = desk.seeded_ids[8]
    sla_hold.hold_incident(desk, "li", target, reason="caller")
    before = version(desk, target)
    async with app.run_test(size=app.test_size) as pilot:
        await on_incident(pilot, target)
        form = await open_dialog(pilot, "h")
        form.query_one("#reason", Select).value = "vendor"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "paused already" in shown(app), what="the refusal")
        assert dialog(app) is form  # the form stays open with what was typed
        said = cli_words(lambda: sla_hold.hold_incident(desk, "li", target, reason="vendor"))
        assert said == "the SLA clock is paused already: resume it first" and said in shown(app)
    assert version(desk, target) == before


async def test_a_running_clock_is_not_resumed_in_the_cli_words(make_app, desk):
    app = make_app(user="li")
    target = desk.seeded_ids[8]
    before = version(desk, target)
    async with app.run_test(size=app.test_size) as pilot:
        await on_incident(pilot, target)
        form = await open_dialog(pilot, "H")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "not paused" in shown(app), what="the refusal")
        assert dialog(app) is form
        assert cli_words(lambda: sla_hold.resume_incident(desk, "li", target)) in shown(app)
    assert version(desk, target) == before


async def test_a_role_taken_away_meanwhile_is_refused_in_the_cli_words(make_app, desk):
    """The keys follow the roles the TUI started with; the service reads them again: an agent
    whose role an administrator changed meanwhile is refused on the form's line, nothing held."""
    app = make_app(user="li")
    target = desk.seeded_ids[8]
    async with app.run_test(size=app.test_size) as pilot:
        await on_incident(pilot, target)
        form = await open_dialog(pilot, "h")
        agents.save_agent(desk, "admin", agent_login="li", name="Li", roles=["vendor"], group="vendor-net")
        form.query_one("#reason", Select).value = "vendor"
        await pilot.press("ctrl+s")
        said = cli_words(lambda: sla_hold.hold_incident(desk, "li", target, reason="vendor"))
        await wait_until(pilot, lambda: said in shown(app), what="the refusal")
        assert "may not" in said and dialog(app) is form
    assert state(desk, target) == "running"


async def test_a_stale_version_closes_the_form_saying_who_changed_it(make_app, desk):
    app = make_app(user="li")
    target = desk.seeded_ids[8]
    async with app.run_test(size=app.test_size) as pilot:
        queue = await on_incident(pilot, target)
        seen = queue.table.cursor_row.version
        form = await open_dialog(pilot, "h")
        incidents.note(desk, "zhao", target, text="called the branch back")  # someone else, meanwhile
        form.query_one("#reason", Select).value = "caller"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: dialog(app) is None, what="the form to close")
        said = cli_words(lambda: sla_hold.hold_incident(desk, "li", target, reason="caller", expect_version=seen))
        assert "was changed by zhao" in said and said in toasts(app)
        await wait_until(pilot, lambda: queue.table.cursor_row.version == version(desk, target),
                         what="the queue to re-read the row")
    assert state(desk, target) == "running"


@pytest.fixture
def pausing_desk(tmp_path, clock):
    """A desk whose config has an incident status pause the clock: in progress = waiting for the vendor."""
    from conftest import fast_config

    config = fast_config()
    pausing = config.data["sla"].get("pausing", {})
    config.data["sla"] = {**config.data["sla"], "pausing": {**pausing, "incident": {"in_progress": "vendor"}}}
    config.__dict__.pop("_sla", None)  # (the settings are built from the data once: again, with it)
    made = root_conftest().make_desk(str(tmp_path / "pausing.db"), clock, config)
    made.seeded_ids = seed_queue(made, clock)
    yield made
    made.close()


async def test_a_status_that_pauses_the_clock_is_neither_offered_nor_resumed_by_hand(make_app, pausing_desk):
    target = pausing_desk.seeded_ids[1]  # in progress: its status holds the clock
    app = make_app(pausing_desk, user="li")
    before = version(pausing_desk, target)
    assert state(pausing_desk, target) == "paused"
    async with app.run_test(size=app.test_size) as pilot:
        await on_incident(pilot, target)
        form = await open_dialog(pilot, "h")
        assert reasons_offered(form) == ["caller", "approval", "cost"]  # its status gives `vendor`
        await pilot.press("escape")
        form = await open_dialog(pilot, "H")
        await pilot.press("ctrl+s")
        said = cli_words(lambda: sla_hold.resume_incident(pausing_desk, "li", target))
        assert said == ("the incident is In progress, which pauses its SLA clock: "
                        "the clock runs again when its status changes")
        await wait_until(pilot, lambda: said in shown(app), what="the refusal")
        assert dialog(app) is form
    assert (version(pausing_desk, target), state(pausing_desk, target)) == (before, "paused")


async def test_the_keys_grey_by_role_and_status(make_app, desk):
    # the keys ask the permission the service asks
    assert KEY_ACTIONS["sla_hold"] == KEY_ACTIONS["sla_resume"] == sla_hold.clocked("incident")[2]
    app = make_app(user="admin")
    closed = desk.seeded_ids[3]
    async with app.run_test(size=app.test_size) as pilot:
        queue = await on_incident(pilot, desk.seeded_ids[8])
        assert queue.check_action("act", ("sla_hold",)) is queue.check_action("act", ("sla_resume",)) is True
        queue = await on_incident(pilot, closed)
        assert queue.check_action("act", ("sla_hold",)) is None  # a closed incident's clock has stopped
        await pilot.press("h")
        await pilot.pause()
        assert dialog(app) is None
        assert f"Hold SLA clock does not apply to incident {closed}, which is Closed." in toasts(app)
    app = make_app(user="vend")  # a vendor notes what it holds, but does not hold the clock
    async with app.run_test(size=app.test_size) as pilot:
        queue = await queue_ready(pilot)
        assert queue.check_action("act", ("sla_hold",)) is None and queue.check_action("act", ("sla_resume",)) is None
        await pilot.press("h")
        await pilot.pause()
        assert dialog(app) is None


async def test_the_detail_takes_h_and_H_and_shows_the_pause_ledger(make_app, desk, clock):
    from desk.screens.detail import DetailScreen

    app = make_app(user="li")
    target = desk.seeded_ids[8]
    async with app.run_test(size=(120, 60)) as pilot:
        await on_incident(pilot, target)
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.detail is not None
                         and app.screen.detail.id == target, what="the detail")
        detail = app.screen
        assert detail.check_action("act", ("sla_hold",)) is True
        form = await open_dialog(pilot, "h")
        form.query_one("#reason", Select).value = "caller"
        form.query_one("#note", Input).value = "calls back after lunch"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is detail and detail.detail.sla.state == "paused",
                         what="the detail re-read, held")
        assert "still paused" in shown(app)
        clock.advance(minutes=130)
        await open_dialog(pilot, "H")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is detail and detail.detail.sla.state != "paused",
                         what="the detail re-read, resumed")
        text = shown(app)
        assert "paused 2h10 waiting for the caller" in text and "(li → li)" in text, text
        assert "calls back after lunch" in text


async def test_help_lists_the_keys_and_a_keymap_moves_them(make_app, desk):
    from desk.screens.detail import DetailScreen
    from desk.screens.help import key_rows

    def listed(screen) -> dict[str, tuple[str, str]]:
        return {bid: (keys, text) for _section, rows in key_rows(screen, "en") for keys, text, _on, bid in rows}

    app = make_app(user="li", keymap={"sla_hold": "x"})
    async with app.run_test(size=app.test_size) as pilot:
        queue = await on_incident(pilot, desk.seeded_ids[8])
        rows = listed(queue)
        assert rows["sla_hold"] == ("x", "Hold SLA clock") and rows["sla_resume"] == ("H", "Resume SLA clock")
        form = await open_dialog(pilot, "x")
        assert form.title_text == f"Incident {desk.seeded_ids[8]} · Hold SLA clock"
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is queue, what="back on the queue")
        await pilot.press("enter")
        await wait_until(pilot, lambda: isinstance(app.screen, DetailScreen) and app.screen.detail is not None,
                         what="the detail")
        rows = listed(app.screen)
        assert rows["sla_hold"] == ("x", "Hold SLA clock") and rows["sla_resume"] == ("H", "Resume SLA clock")


# --- snapshots ---------------------------------------------------------------------------------------

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}


@pytest.fixture
def clock_snap_desk(tmp_path, clock):
    made = root_conftest().make_desk(str(tmp_path / "snap.db"), clock)
    made.user = "li"
    data = seed(made, clock)
    yield made, data
    made.close()


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("look", ["ready", "refused"])
def test_snapshot(snap_compare, clock_snap_desk, look, lang, size):
    desk, data = clock_snap_desk
    desk.lang = lang
    if look == "refused":
        sla_hold.hold_incident(desk, "li", data[0].id, reason="caller")
    app = HostApp(desk, "sla_hold", [row(incidents.get(desk, data[0].id, with_history=False))])

    async def run_before(pilot):
        await settle(pilot)
        if look == "refused":
            dialog(app).query_one("#reason", Select).value = "vendor"
            await pilot.press("ctrl+s")
            await wait_until(pilot, lambda: dialog(app).query_one("#dialog-error").has_class("shown"),
                             what="the refusal")
        steady_cursors(app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)
