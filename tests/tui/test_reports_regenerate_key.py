"""The report review screen (F5) regenerates: `G` computes the selected draft's or returned report's
figures again (the commentary stays), refused in one line once the report is in sign-off; the `g`
form regenerates a period whose report is still the writer's instead of refusing it. And the key
line wraps between keys: every key is on screen at 80×24 in English and Chinese."""

from __future__ import annotations

from datetime import datetime

import pytest
from rich.cells import cell_len
from test_reports_screen import KPI, answered, generate_form, make, rdesk, ready  # noqa: F401 (fixtures)

from desk.i18n import t
from desk.services import incidents, report_review, reports
from desk.widgets.key_line import wrap_groups


def _returned_kpi(rdesk, clock):
    """The KPI report of November returned to repw, and one more November incident since."""
    kpi = reports.find(rdesk, KPI, "2026-11")
    report_review.return_(rdesk, "repr", kpi.id, comments="add the VPN context")
    clock.now = datetime(2026, 11, 20, 9, 0)
    incidents.create(rdesk, "li", title="VPN again", impact=2, urgency=2)
    clock.now = datetime(2026, 12, 2, 9, 0)
    return reports.get(rdesk, kpi.id)


def _opened(view) -> int:
    return view.figures["sections"]["volume"]["opened"]


async def test_shift_g_computes_a_returned_reports_figures_again_keeping_the_commentary(make, rdesk, clock):
    before = _returned_kpi(rdesk, clock)
    app = make(login="repw", roles=("report_writer",))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        assert screen.current == before.id  # waiting for its writer: first
        await pilot.press("G")
        await ready(pilot, loads=2)
        after = reports.get(rdesk, before.id)
        assert _opened(after) == _opened(before) + 1
        assert (after.status, after.commentary) == ("returned", before.commentary)
        said = str(screen.query_one("#rp-status").render())
        # by the report's title and period, as every step's line says (was "Report 1: figures …")
        assert "computed again" in said and "Monthly incident KPI report of 2026-11 (report" in said


async def test_shift_g_on_a_report_in_review_says_why_in_one_line_and_changes_nothing(make, rdesk, clock):
    kpi = reports.find(rdesk, KPI, "2026-11")  # in review (repr's step)
    app = make(login="repw", roles=("report_writer",))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("down")  # the customer report first (li's draft); the KPI report second
        await ready(pilot)
        assert screen.current == kpi.id
        await pilot.press("G")
        for _ in range(200):
            if screen.message:
                break
            await pilot.pause(0.05)
        said = str(screen.query_one("#rp-status").render())
        # the refusal is one line of its own, under the counts
        assert "in review" in said.splitlines()[-1] and "\n" not in screen.message.strip()
        assert reports.get(rdesk, kpi.id) == kpi


async def test_the_g_form_regenerates_a_returned_reports_period(make, rdesk, clock):
    before = _returned_kpi(rdesk, clock)
    app = make(login="repw", roles=("report_writer",))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        form = await generate_form(pilot)
        await pilot.press("down", "enter")  # the KPI report
        form.query_one("#rp-generate-period").value = "2026-11"
        await pilot.press("enter")
        await answered(pilot, form)
        await ready(pilot, loads=2)
        after = reports.get(rdesk, before.id)
        assert _opened(after) == _opened(before) + 1 and after.commentary == before.commentary
        assert len(reports.list_(rdesk)) == 2  # no second report of that period
        said = str(screen.query_one("#rp-status").render())
        assert screen.current == before.id and "computed again" in said and "Monthly incident KPI report" in said


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_every_key_is_on_screen_at_80_columns(make, lang):
    app = make(login="admin", roles=("admin",), lang=lang)  # the one user offered every key: the longest line
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        line = screen.query_one("#rp-keys")
        shown = str(line.render())
        groups = t("report.tui.keys", lang).split("   ")
        assert len(shown.splitlines()) == 2 and line.size.height == 2
        for group in groups:
            assert group in shown.splitlines()[0] or group in shown.splitlines()[1], group
        assert all(cell_len(s) <= line.content_region.width for s in shown.splitlines())  # nothing cut


def test_key_groups_wrap_between_keys_by_terminal_cells():
    assert wrap_groups("a one   b two   c three", 14) == ["a one   b two", "c three"]
    assert wrap_groups("甲 一二   乙 三四", 10) == ["甲 一二", "乙 三四"]  # 7 cells each: not 17 on one line
    assert wrap_groups("甲 一二   乙 三四", 17) == ["甲 一二   乙 三四"]
