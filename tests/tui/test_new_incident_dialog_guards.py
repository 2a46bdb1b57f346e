"""The new incident form's guards (issue 19): the start time typed is the desk's local time (a time of
day is today *there*, on its minute), never in the future but possibly this very minute; the title,
impact, urgency and a readable time are each enough to stop the form alone; the live priority is the
matrix's impact × urgency (an asymmetric matrix tells: the shipped one is symmetric); every field
chosen is stored, the category starting as "other"; a caller of blanks is no caller."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from textual.widgets import Input, Select

from desk.models import Organisation
from desk.screens.dialogs.new_incident import NewIncidentDialog, parse_started
from desk.services import incidents
from desk.timefmt import local

from test_actions_host import HostApp, drive, flat, screen_text, settle

SHANGHAI = ZoneInfo("Asia/Shanghai")


# --- the time typed (no screen) ------------------------------------------------------------------

def test_a_time_of_day_is_today_in_the_desks_zone_on_its_minute():
    now = datetime(2026, 11, 2, 17, 30, 25)  # stored (UTC): already 01:30:25 on the 3rd in Shanghai
    assert parse_started("01:00", now, SHANGHAI) == datetime(2026, 11, 2, 17, 0, 0)


def test_a_date_and_time_typed_are_the_desks_local_time_stored_as_utc():
    now = datetime(2026, 11, 2, 17, 30)
    assert parse_started("2026-11-02 08:40", now, SHANGHAI) == datetime(2026, 11, 2, 0, 40)
    assert parse_started("2026-11-02", now, SHANGHAI) == datetime(2026, 11, 1, 16, 0)


# --- the form ------------------------------------------------------------------------------------

def _fill(screen, **values) -> None:
    """Fill the form: title, impact and urgency by default; a value of None leaves the field empty."""
    fields = {"title": "Branch 7 cannot print", "impact": "2", "urgency": "3", "started": ""} | values
    for name, value in fields.items():
        widget = screen.query_one(f"#{name}")
        if isinstance(widget, Select):
            widget.value = Select.NULL if value is None else value
        else:
            widget.value = value or ""


async def _submit(pilot) -> None:
    await pilot.pause()
    await pilot.press("ctrl+s")
    await settle(pilot)


def _count() -> int:
    from desk.models import Incident

    return Incident.select().count()


@pytest.mark.parametrize("left_out,where,said", [
    ({"title": "   "}, "title", "Title is required"),
    ({"impact": None}, "impact", "choose the Impact"),
    ({"urgency": None}, "urgency", "choose the Urgency"),
    ({"started": "yesterday"}, "started", "write the time as YYYY-MM-DD HH:MM (or HH:MM for today)"),
])
def test_each_fault_alone_stops_the_form_and_is_said_under_its_field(desk, data, left_out, where, said):
    before = _count()
    app = HostApp(desk, "new", [])

    async def scenario(pilot):
        _fill(app.screen, **left_out)
        await _submit(pilot)
        assert isinstance(app.screen, NewIncidentDialog)
        assert str(app.screen.query_one(f"#{where}-error").render()) == said
        assert str(app.screen.query_one("#dialog-error").render()).strip() == ""  # the service was never asked

    drive(app, scenario, size=(120, 40))
    assert _count() == before


def test_a_start_still_to_come_is_refused_and_this_very_minute_is_not(desk, data, clock):
    now = local(clock.now, SHANGHAI)
    app = HostApp(desk, "new", [])

    async def scenario(pilot):
        _fill(app.screen, started=(now + timedelta(minutes=1)).strftime("%Y-%m-%d %H:%M"))
        await _submit(pilot)
        assert str(app.screen.query_one("#started-error").render()) == "that time is still to come"
        _fill(app.screen, started=now.strftime("%Y-%m-%d %H:%M"))  # the clock stands on a whole minute
        await _submit(pilot)
        assert app.screen is app.screen_stack[0]

    assert clock.now.second == 0
    drive(app, scenario, size=(120, 40))
    made = incidents.get(desk, app.changed[0][0], with_history=False)
    assert made.started_at == clock.now


def test_every_field_chosen_is_stored(desk, data):
    Organisation.create(name="North branch")
    app = HostApp(desk, "new", [])

    async def scenario(pilot):
        screen = app.screen
        assert screen.query_one("#category", Select).value == "other"  # where the form starts
        _fill(screen, caller="   ")
        screen.query_one("#organisation", Select).value = "North branch"
        screen.query_one("#service", Select).value = "email"
        screen.query_one("#category", Select).value = "hardware"
        screen.query_one("#source", Select).value = "email"
        await _submit(pilot)
        assert app.screen is app.screen_stack[0]

    drive(app, scenario, size=(120, 40))
    made = incidents.get(desk, app.changed[0][0], with_history=False)
    assert (made.organisation, made.service, made.category, made.source) == ("North branch", "email", "hardware",
                                                                           "email")
    assert made.caller == ""  # blanks are no caller


def test_the_live_priority_is_the_matrixs_impact_by_urgency(desk, data, monkeypatch):
    # impact 1 × urgency 3 is priority 3; impact 3 × urgency 1 would be 4
    monkeypatch.setitem(desk.config.data["incident"], "priority_matrix", [[1, 2, 3], [2, 3, 4], [4, 4, 4]])
    app = HostApp(desk, "new", [])

    async def scenario(pilot):
        _fill(app.screen, impact="1", urgency="3")
        await pilot.pause()
        label = desk.config.label("priority", 3, "en")
        assert f"Priority: 3 {label}" in flat(screen_text(app))

    drive(app, scenario, size=(120, 40))
