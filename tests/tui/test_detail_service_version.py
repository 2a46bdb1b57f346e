"""The incident detail names the catalogue version of its service the incident was raised under,
and shows that version's response target (issue 13), not the one a later version set."""

from __future__ import annotations

from desk.services import catalogue_flow as flow
from desk.services import incidents

try:
    from .test_actions_host import HostApp, drive, row, screen_text
except ImportError:
    from test_actions_host import HostApp, drive, row, screen_text


def test_the_detail_shows_the_version_and_its_response_target(desk, clock):
    desk.user = "li"
    old = incidents.create(desk, "li", title="Mail stuck", impact=2, urgency=3, service="email")  # p3: 120 min
    draft = flow.open_draft(desk, "catm", code="email")
    flow.edit_draft(desk, "catm", draft, {"targets": {"3": {"response": 5, "resolve": 60}}})
    flow.submit(desk, "catm", draft)
    flow.approve(desk, "ops", draft)
    clock.advance(minutes=1)
    flow.publish(desk, "ops", draft)
    new = incidents.create(desk, "li", title="Mail stuck again", impact=2, urgency=3, service="email")
    app = HostApp(desk, "detail", [row(old), row(new)])

    async def scenario(pilot):
        text = screen_text(app)
        assert "Email and calendar, version 1" in text and "target 2h" in text

    drive(app, scenario, size=(120, 40))
    app = HostApp(desk, "detail", [row(new)])

    async def scenario_new(pilot):
        text = screen_text(app)
        assert "Email and calendar, version 2" in text and "target 5m" in text

    drive(app, scenario_new, size=(120, 40))
