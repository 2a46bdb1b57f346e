"""Snapshots of the incident detail scrolled to its SLA pause ledger (issue 15: "snapshots … of the
pause ledger in the detail"): a hold of 2h10 for the caller with its note, resumed by another agent,
and a hold still open, at 80×24 and 120×40 in English and Chinese, on a fixed clock.

Update them with `pytest tests/tui/test_detail_ledger_snapshots.py --snapshot-update`, then look at
the .svg files in __snapshots__/ before committing them."""

from __future__ import annotations

import pytest

from desk.services import incidents, sla_hold
from desk.widgets.detail_body import DetailBody

try:
    from .test_actions_host import HostApp, root_conftest, row, seed, settle, still
except ImportError:
    from test_actions_host import HostApp, root_conftest, row, seed, settle, still

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}


@pytest.fixture
def ledger_desk(tmp_path, clock):
    made = root_conftest().make_desk(str(tmp_path / "ledger.db"), clock)
    made.user = "li"
    inc = seed(made, clock)[0]
    sla_hold.hold_incident(made, "li", inc.id, reason="caller", note="calls back after lunch")
    clock.advance(minutes=130)
    sla_hold.resume_incident(made, "zhao", inc.id)
    clock.advance(minutes=20)
    sla_hold.hold_incident(made, "li", inc.id, reason="vendor", note="the carrier replaces the line card")
    yield made, inc.id
    made.close()


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_snapshot(snap_compare, ledger_desk, lang, size):
    desk, incident_id = ledger_desk
    desk.lang = lang
    app = HostApp(desk, "detail", [row(incidents.get(desk, incident_id, with_history=False))])
    heading = "SLA pauses" if lang == "en" else "SLA 暂停记录"

    async def run_before(pilot):
        await settle(pilot)
        body = app.screen.query_one(DetailBody)
        line = next(i for i, text in enumerate(body.text.splitlines()) if text.startswith(heading))
        body.scroll_to(y=line - 1, animate=False)  # (the ledger at the top, with its blank line above)
        still(app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)
