"""F5 had no key for the writer to hand a draft to its sign-off steps (seed 000 step 3 → 4): a writer
generated it with `g` and then had to leave for `desk report submit-for-review` (walkE, in tmux, as
chen.jie). `u` submits the selected draft for review, offered to writers only."""

from __future__ import annotations

import pytest

from desk.services import reports
from test_reports_screen import KPI, make, rdesk, ready  # noqa: F401 (the fixtures)


async def test_u_submits_the_writer_s_draft_for_review(make, rdesk):
    draft = reports.generate(rdesk, "repw", KPI, "2026-10")
    app = make(login="repw", roles=("report_writer",))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        screen.query_one("#rp-list").highlighted = [i.id for i in screen.items].index(draft.id)
        await pilot.pause()
        assert screen.current == draft.id
        await pilot.press("u")
        await ready(pilot, loads=2)
        assert reports.get(rdesk, draft.id).status == "confirming"
        assert "is now waiting for the content confirmation" in str(screen.query_one("#rp-status").render())


@pytest.mark.parametrize("login,roles,offered", [
    ("repw", ("report_writer",), True),
    ("repr", ("report_reviewer",), False),
])
async def test_the_key_line_offers_u_to_writers(make, login, roles, offered):
    app = make(login=login, roles=roles)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        assert ("u submit for review" in screen.query_one("#rp-keys").keys_text) is offered
