"""R on the incident queue and the incident detail (issue 14; 200.2): an incident that is really a
service request is closed as 'converted to a service request' and the request opened from it, with
the reason and the intake checklist ticked; a refusal (the checklist not done) is said in the form
and writes nothing; the key is greyed where the role or the status does not allow it. The detail
shows the request the incident became. Snapshots of the form and of the detail's line, 80×24 and
120×40, English and Chinese."""

from __future__ import annotations

import pytest
from tui_helpers import open_form, queue_ready, screen_text, steady_cursors, wait_until

from desk.models import Incident, ServiceRequest
from desk.screens.dialogs.to_request import ToRequestDialog
from desk.services import request_convert

TITLE = "New monitor request"  # (seeded: new, on the desk)


def _seeded_id(desk, title: str = TITLE) -> int:
    return Incident.get(Incident.title == title).id


async def _on(pilot, incident_id: int):
    queue = await queue_ready(pilot)
    index = next(i for i in range(queue.table.total) if queue.table.id_at(i) == incident_id)
    queue.table._move_to(index)
    await pilot.pause()
    return queue


async def _form(pilot) -> ToRequestDialog:
    return await open_form(pilot, "R", ToRequestDialog)


async def _fill(pilot, dialog, reason: str, tick: bool) -> None:
    dialog.query_one("#reason").value = reason
    dialog.query_one("#checked").value = tick
    await pilot.pause()


async def test_r_turns_the_incident_into_a_request_the_agent_owns(make_app):
    app = make_app(user="li")
    async with app.run_test(size=app.test_size) as pilot:
        incident_id = _seeded_id(app.desk)
        queue = await _on(pilot, incident_id)
        dialog = await _form(pilot)
        await _fill(pilot, dialog, "Jo asks for a second monitor: nothing is broken", True)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is queue, what="the form to close")
        made = ServiceRequest.get(ServiceRequest.incident == incident_id)
        inc = Incident.get_by_id(incident_id)
        assert (inc.status, inc.closure_code) == ("closed", "to_request")
        assert (made.title, made.status, made.owner.login) == (TITLE, "accepted", "li")
        messages = [str(n.message) for n in app._notifications]
        assert any(f"request R{made.id} opened" in m for m in messages), messages


async def test_the_checklist_not_done_is_refused_in_the_form_and_nothing_written(make_app):
    app = make_app(user="li")
    async with app.run_test(size=app.test_size) as pilot:
        incident_id = _seeded_id(app.desk)
        await _on(pilot, incident_id)
        dialog = await _form(pilot)
        await _fill(pilot, dialog, "asks for a monitor", False)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "intake checklist is not complete" in str(
            dialog.query_one("#dialog-error").render()), what="the refusal")
        assert app.screen is dialog and Incident.get_by_id(incident_id).status == "new"
        assert ServiceRequest.select().count() == 0
        await pilot.press("escape")


@pytest.mark.parametrize("user,title", [("wang", "VPN drops every hour in branch 3"),  # second line: no
                                        ("li", "Password reset for new starter")])  # resolved: no
async def test_r_is_greyed_where_it_does_not_apply(make_app, user, title):
    app = make_app(user=user)
    async with app.run_test(size=app.test_size) as pilot:
        await queue_ready(pilot)
        await pilot.press("8")  # all: the resolved one too
        queue = await _on(pilot, _seeded_id(app.desk, title))
        assert not queue.check_action("act", ("to_request",))
        await pilot.press("R")
        await pilot.pause()
        assert not isinstance(app.screen, ToRequestDialog)


async def test_r_on_the_detail_converts_and_the_detail_names_the_request(make_app):
    app = make_app(user="lead")
    async with app.run_test(size=app.test_size) as pilot:
        incident_id = _seeded_id(app.desk)
        await _on(pilot, incident_id)
        await pilot.press("enter")
        await wait_until(pilot, lambda: getattr(app.screen, "detail", None) is not None, what="the detail")
        detail = app.screen
        dialog = await _form(pilot)
        await _fill(pilot, dialog, "a request", True)
        await pilot.press("ctrl+s")
        made = None

        def shown():
            nonlocal made
            made = ServiceRequest.get_or_none(ServiceRequest.incident == incident_id)
            return made is not None and app.screen is detail and f"R{made.id}" in screen_text(app)

        await wait_until(pilot, shown, what="the detail to name the request")
        assert f"Service request  R{made.id} (this incident became it)" in screen_text(app)
        assert "Converted to a service request" in screen_text(app)


SIZES = [(80, 24), (120, 40)]


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("state", ["form", "detail"])
def test_snapshot(make_app, snap_compare, db_url, desk, lang, size, state):
    if not db_url.endswith(".db"):
        pytest.skip("snapshots are taken on SQLite (the screen is the same on PostgreSQL)")
    app = make_app(lang=lang, size=size, user="li")
    incident_id = _seeded_id(desk)
    if state == "detail":
        request_convert.to_request(desk, "li", incident_id, reason="asks for a second monitor", checked=["all"])

    async def run_before(pilot):
        if state == "form":
            await _on(pilot, incident_id)
            dialog = await _form(pilot)
            await _fill(pilot, dialog, "asks for a second monitor", True)
            steady_cursors(app)
            await pilot.pause()
            return
        await queue_ready(pilot)
        await pilot.press("8")  # all: the closed incident too
        await _on(pilot, incident_id)
        await pilot.press("enter")
        await wait_until(pilot, lambda: getattr(app.screen, "detail", None) is not None, what="the detail")
        if size[1] < 30:  # the fields' end, where the request's line is
            app.screen.query_one("DetailBody").scroll_to(y=10, animate=False, immediate=True)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_snapshot_request_detail(make_app, snap_compare, db_url, desk, lang, size):
    """The request's side: its detail names the incident it was opened from."""
    if not db_url.endswith(".db"):
        pytest.skip("snapshots are taken on SQLite (the screen is the same on PostgreSQL)")
    app = make_app(lang=lang, size=size, user="li")
    made = request_convert.to_request(desk, "li", _seeded_id(desk), reason="asks for a second monitor",
                                      checked=["all"])

    async def run_before(pilot):
        from desk.screens.requests import RequestsScreen

        await queue_ready(pilot)
        await pilot.press("f3")
        await wait_until(pilot, lambda: isinstance(app.screen, RequestsScreen)
                         and app.screen.table.cursor_id == made.id, what="the request queue")
        await pilot.press("enter")
        await wait_until(pilot, lambda: f"#{made.incident}" in screen_text(app), what="the request detail")
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)
