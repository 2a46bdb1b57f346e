"""The incident's detail names the problem it is linked to (issue 18): "Problem 3: its title
(under investigation)", the title literally and the status by its label, beside "Caused by change"
in the same links section; nothing when it is linked to none. Snapshots at 80×24 and 120×40 in
English and Chinese."""

from __future__ import annotations

import pytest
from tui_helpers import open_detail_of, screen_text

from desk.services import incidents, problems

try:
    from .test_actions_host import HostApp, root_conftest, row, seed, settle, still
except ImportError:
    from test_actions_host import HostApp, root_conftest, row, seed, settle, still

TITLE = "VPN tunnel resets [b]x[/b]"  # markup in a title stays text


async def test_the_detail_names_the_linked_problem_with_its_status_label(make_app):
    app = make_app(user="li")
    desk = app.desk
    linked, other = (incidents.create(desk, "li", title=f"VPN drops {n}", impact=2, urgency=2) for n in (1, 2))
    p = problems.create(desk, "li", title=TITLE, incidents_=[linked.id])
    problems.investigate(desk, "lead", p.id)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_detail_of(pilot, linked.id)
        shown = " ".join(screen_text(app).split())
        assert f"Problem {p.id}: {TITLE} (under investigation)" in shown
        await pilot.press("escape")
        await open_detail_of(pilot, other.id)
        assert "Problem " not in screen_text(app)  # linked to none: no field


SIZES = {"80x24": (80, 24), "120x40": (120, 40)}


@pytest.fixture
def problem_snap_desk(tmp_path, clock):
    desk = root_conftest().make_desk(str(tmp_path / "snap.db"), clock)
    desk.user = "li"
    data = seed(desk, clock)
    problems.create(desk, "li", title=TITLE, incidents_=[data[0].id])
    yield desk, data
    desk.close()


@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_snapshot_detail_with_a_problem(snap_compare, problem_snap_desk, lang, size):
    desk, data = problem_snap_desk
    desk.lang = lang
    app = HostApp(desk, "detail", [row(incidents.get(desk, data[0].id, with_history=False))])

    async def run_before(pilot):
        await settle(pilot)
        if size == "80x24":  # the fields take a line each there: a page down brings the field into view
            await pilot.press("pagedown")
            await settle(pilot)
        still(app)

    assert snap_compare(app, terminal_size=SIZES[size], run_before=run_before)
