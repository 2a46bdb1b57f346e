"""The report review screen (F5): snapshots at 80×24 and 120×40 in English and Chinese with a
rendered draft, and a Pilot test for each key (c confirm, p approve, x return with comments, s
submit, r reload), each checked against the report as the services then hold it."""

from __future__ import annotations

from datetime import datetime

import pytest
from tui_helpers import seed_queue

from desk.i18n import t
from desk.services import agents, report_list, report_review, reports

SIZES = [(80, 24), (120, 40)]
KPI = "incident-kpi-monthly"


async def ready(pilot, loads: int = 1, timeout: float = 10.0):
    screen = pilot.app.screen
    waited = 0.0
    while waited < timeout:
        if screen.loads >= loads and screen.reader.pending == 0 and (screen.shows or not screen.items):
            await pilot.pause()
            return screen
        await pilot.pause(0.05)
        waited += 0.05
    raise AssertionError("the report screen did not draw")


@pytest.fixture
def rdesk(desk, clock):
    seed_queue(desk, clock)
    agents.save_agent(desk, "admin", agent_login="deptm", name="Dept", roles=["report_reviewer"])
    report_list.propose(desk, "repm", KPI, {"writer": "repw", "confirmer": "deptm", "reviewer": "repr"})
    report_list.confirm(desk, "repr", KPI)
    clock.now = datetime(2026, 12, 1, 9, 0)
    kpi = reports.generate(desk, "repw", KPI, "2026-11")
    reports.edit(desk, "repw", kpi.id, commentary="A busy month: **VPN** outages.")
    report_review.submit_for_review(desk, "repw", kpi.id)
    report_review.confirm(desk, "deptm", kpi.id)  # waiting for repr's review
    reports.generate(desk, "li", "customer-monthly", "2026-11")  # a draft of another writer
    return desk


@pytest.fixture
def make(rdesk):
    from desk.screens.report_review import ReportsApp

    def factory(login="repr", roles=("report_reviewer",), lang="en"):
        rdesk.lang = lang
        return ReportsApp(rdesk, login, roles)

    return factory


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_reports_snapshot(make, snap_compare, db_url, lang, size):
    if not db_url.endswith(".db"):
        pytest.skip("snapshots are taken on SQLite (the screen is the same on PostgreSQL)")

    async def run_before(pilot):
        await ready(pilot)

    assert snap_compare(make(lang=lang), terminal_size=size, run_before=run_before)


async def test_the_report_waiting_for_me_comes_first_rendered(make):
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        assert [(i.code, i.mine) for i in screen.items] == [(KPI, True), ("customer-monthly", False)]
        doc = screen.query_one("#rp-doc")
        assert "Monthly incident KPI report" in doc.source and "VPN" in doc.source


async def test_p_approves_then_s_submits(make, rdesk):
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        kpi = screen.items[0].id
        await pilot.press("p")
        await ready(pilot, loads=2)
        assert reports.get(rdesk, kpi).status == "approved"
        await pilot.press("s")
        await ready(pilot, loads=3)
        assert reports.get(rdesk, kpi).status == "submitted"
        assert "submitted" in str(screen.query_one("#rp-status").render())


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_a_step_names_the_report_by_its_title(make, rdesk, lang):
    """The result line read "Report 1 (incident-kpi-monthly, 2026-11): approved (version 5)": a code."""
    app = make(lang=lang)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        await pilot.press("p")
        await ready(pilot, loads=2)
        line = str(screen.query_one("#rp-status").render())
        title = reports.find(rdesk, KPI, "2026-11").name(lang)
        assert title in line and t("report.status.approved", lang) in line
        assert KPI not in line


async def test_x_returns_with_comments_and_escape_writes_nothing(make, rdesk):
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        kpi = screen.items[0].id
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert reports.get(rdesk, kpi).status == "reviewing"
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("enter")  # no comments: refused in the dialog
        await pilot.pause()
        assert "required" in str(app.screen.query_one("#rp-dialog-error").render())
        for key in "more on vendors":
            await pilot.press("space" if key == " " else key)
        await pilot.press("enter")
        await ready(pilot, loads=2)
        view = reports.get(rdesk, kpi)
        assert (view.status, view.return_note) == ("returned", "more on vendors")


async def test_c_confirms_for_the_named_confirmer_and_a_refusal_shows_one_line(make, rdesk, clock):
    kpi = reports.find(rdesk, KPI, "2026-11").id
    report_review.return_(rdesk, "repr", kpi, comments="again")
    report_review.submit_for_review(rdesk, "repw", kpi)  # confirming: deptm's step
    app = make()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        assert [i.code for i in screen.items] == ["customer-monthly", KPI]  # nothing is waiting for repr
        await pilot.press("down")
        await ready(pilot)
        await pilot.press("c")  # repr is not the confirmer
        await pilot.pause(0.2)
        await ready(pilot)
        assert "deptm" in str(screen.query_one("#rp-status").render())
        assert reports.get(rdesk, kpi).status == "confirming"
    app = make(login="deptm")
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        await pilot.press("c")
        await ready(pilot, loads=2)
        assert reports.get(rdesk, kpi).status == "reviewing"


async def test_r_reads_again_and_keys_are_greyed_out_for_a_writer(make, rdesk):
    app = make(login="repw", roles=("report_writer",))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        assert screen.check_action("approve", ()) is None and screen.check_action("submit", ()) is None
        await pilot.press("p")  # greyed out: nothing happens
        await pilot.pause()
        reports.generate(rdesk, "repw", "requests-weekly", "2026-W48")
        await pilot.press("r")
        await ready(pilot, loads=2)
        assert "requests-weekly" in [i.code for i in screen.items]


async def test_in_the_app_on_its_f_key(rdesk, monkeypatch):
    """With its line in desk.app.SCREENS pointing at this screen, F5 opens it in the app (its tab in
    the header, the app's operator): what taking the tab needs, without every snapshot's header."""
    from desk import app as desk_app
    from desk.app import DeskApp, ScreenEntry, operator_for

    entries = [e if e.id != "reports" else ScreenEntry("reports", e.title_key, "f5",
                                                       "desk.screens.report_review:ReportsScreen")
               for e in desk_app.SCREENS]
    monkeypatch.setattr(desk_app, "SCREENS", entries)
    rdesk.user = "repr"
    app = DeskApp(rdesk, operator_for(rdesk, "repr"), keymap={})
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        await pilot.press("f5")
        await pilot.pause()
        screen = await ready(pilot)
        assert type(screen).__name__ == "ReportsScreen"
        assert [(i.code, i.mine) for i in screen.items][0] == (KPI, True)
        await pilot.press("p")
        await ready(pilot, loads=2)
        assert reports.find(rdesk, KPI, "2026-11").status == "approved"


# --- g: generate a draft from the screen -------------------------------------------------------------------

async def generate_form(pilot):
    await pilot.press("g")
    for _ in range(200):  # the report list is read in the screen's thread, then the form opens
        if type(pilot.app.screen).__name__ == "GenerateDialog":
            await pilot.pause()
            return pilot.app.screen
        await pilot.pause(0.05)
    raise AssertionError("the generate form did not open")


async def answered(pilot, form, tries: int = 1):
    for _ in range(400):
        if form.tries >= tries:
            await pilot.pause()
            return
        await pilot.pause(0.05)
    raise AssertionError("the report was not generated")


async def test_g_generates_last_weeks_draft_and_selects_it(make, rdesk):
    app = make(login="repw", roles=("report_writer",))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        form = await generate_form(pilot)
        assert [c.code for c in form.choices] == ["customer-monthly", KPI, "requests-weekly", "sla-quarterly"]
        await pilot.press("down", "down", "enter")  # the weekly request report: its period follows it
        assert form.query_one("#rp-generate-period").value == "2026-W48"  # the last closed week on 1 Dec
        await pilot.press("enter")
        await answered(pilot, form)
        await ready(pilot, loads=2)
        made = reports.find(rdesk, "requests-weekly", "2026-W48")
        assert made is not None and (made.status, made.writer) == ("draft", "repw")
        assert screen.current == made.id and screen.items[screen.query_one("#rp-list").highlighted].id == made.id
        said = str(screen.query_one("#rp-status").render())  # by its title and period (was "Report 3 generated")
        assert f"{made.name('en')} of 2026-W48 is generated as a draft (report {made.id})" in said


async def test_g_refuses_a_period_generated_already_in_the_form(make, rdesk):
    kpi = reports.find(rdesk, KPI, "2026-11")
    app = make(login="repw", roles=("report_writer",))
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        form = await generate_form(pilot)
        await pilot.press("down", "enter", "enter")  # the KPI report of 2026-11: in review already
        await answered(pilot, form)
        assert app.screen is form
        said = str(form.query_one("#rp-generate-said").render())
        assert "generated already" in said and f"report {kpi.id}" in said
        assert reports.get(rdesk, kpi.id).version == kpi.version and len(reports.list_(rdesk)) == 2
        await pilot.press("escape")
        await pilot.pause()
        assert type(app.screen).__name__ == "ReportsScreen"


async def test_g_says_why_the_service_refuses_a_writer(make, rdesk):
    app = make(login="li", roles=("l1",))  # the KPI report names repw as its writer
    async with app.run_test(size=(120, 40)) as pilot:
        await ready(pilot)
        form = await generate_form(pilot)
        await pilot.press("down", "enter")
        form.query_one("#rp-generate-period").value = "2026-10"
        await pilot.press("enter")
        await answered(pilot, form)
        assert "only repw" in str(form.query_one("#rp-generate-said").render())
        assert reports.find(rdesk, KPI, "2026-10") is None


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_generate_form_snapshot(make, snap_compare, db_url, lang, size):
    if not db_url.endswith(".db"):
        pytest.skip("snapshots are taken on SQLite (the screen is the same on PostgreSQL)")

    async def run_before(pilot):
        await ready(pilot)
        await generate_form(pilot)

    assert snap_compare(make(login="repw", roles=("report_writer",), lang=lang), terminal_size=size,
                        run_before=run_before)


@pytest.mark.parametrize("login,roles,shown,hidden", [
    ("repw", ("report_writer",), ["g generate", "G generate again", "r reload"],
     ["c confirm", "p approve", "x return", "s submit"]),
    ("repr", ("report_reviewer",), ["c confirm content", "p approve", "x return to writer", "r reload"],
     ["g generate"]),
])
async def test_the_key_line_offers_only_the_keys_the_user_may_press(make, login, roles, shown, hidden):
    """A writer read `p approve   x return to writer   s submit` and pressing them did nothing."""
    app = make(login=login, roles=roles)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot)
        line = screen.query_one("#rp-keys").keys_text
        assert all(key in line for key in shown), line
        assert not any(key in line for key in hidden), line


@pytest.mark.parametrize("lang", ["en", "zh"])
async def test_what_a_step_did_reads_whole_at_80_columns(make, rdesk, lang):
    """At 80×24 `p` answered 'Report 1 (incident-kpi-monthly,' — the sentence cut after the counts."""
    from tui_helpers import screen_text

    app = make(lang=lang)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await ready(pilot)
        await pilot.press("p")
        await ready(pilot, loads=2)
        view = reports.get(rdesk, screen.items[0].id)
        said = t("report.tui.changed", lang, id=view.id, name=view.name(lang), period=view.period,
                 status=t(f"report.status.{view.status}", lang))
        assert screen.message == said
        await pilot.pause()
        assert said in screen_text(app)
