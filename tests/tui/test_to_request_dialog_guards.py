"""The form that turns an incident into a service request (issue 19): the reason is required, said
under the field, and nothing is written without it; the service code typed (spaces around it are
not part of it) is the request's service; a conversion refused as stale writes nothing and names
who changed the incident."""

from __future__ import annotations

from desk.models import ServiceRequest
from desk.screens.dialogs.result import ResultDialog
from desk.screens.dialogs.to_request import ToRequestDialog
from desk.services import incidents, request_reads

from test_actions_host import HostApp, drive, flat, row, screen_text, settle


async def _fill(pilot, reason: str, service: str = "", tick: bool = True) -> None:
    screen = pilot.app.screen
    screen.query_one("#reason").value = reason
    screen.query_one("#service").value = service
    screen.query_one("#checked").value = tick
    await pilot.pause()
    await pilot.press("ctrl+s")
    await settle(pilot)


def test_a_conversion_without_a_reason_is_said_under_the_field_and_nothing_is_written(desk, data):
    b = data[1]
    app = HostApp(desk, "to_request", [row(b)])

    async def scenario(pilot):
        await _fill(pilot, "   ")
        assert isinstance(app.screen, ToRequestDialog)
        assert str(app.screen.query_one("#reason-error").render()) == "Why it is a service request is required"
        assert str(app.screen.query_one("#dialog-error").render()).strip() == ""  # the service was never asked

    drive(app, scenario)
    assert incidents.get(desk, b.id).status == "new" and ServiceRequest.select().count() == 0


def test_the_service_code_typed_is_the_requests_service(desk, data):
    b = data[1]  # no service of its own
    app = HostApp(desk, "to_request", [row(b)])

    async def scenario(pilot):
        await _fill(pilot, "asks for a new mailbox", "  email  ")
        assert app.screen is app.screen_stack[0]

    drive(app, scenario)
    made = ServiceRequest.get(ServiceRequest.incident == b.id)
    assert request_reads.get(desk, made.id, with_history=False).service == "email"
    assert incidents.get(desk, b.id).status == "closed"


def test_a_conversion_refused_as_stale_writes_nothing(desk, data, clock):
    b = data[1]
    app = HostApp(desk, "to_request", [row(b)])

    async def scenario(pilot):
        clock.advance(minutes=3)
        incidents.note(desk, "zhao", b.id, text="called back")  # someone else, meanwhile
        await _fill(pilot, "asks for a new mailbox")
        assert isinstance(app.screen, ResultDialog)
        text = flat(screen_text(app))
        assert "changed by zhao" in text and "opened from it" not in text

    drive(app, scenario)
    assert incidents.get(desk, b.id).status == "new" and ServiceRequest.select().count() == 0
