"""The offer to resolve a resolved problem's open incidents (issue 19), on its own host: it starts
on `fixed` with the problem's fix as the note, requires a closure code, sends the code and note
chosen with the versions the user was shown, names a stale incident in the result, says when
there is nothing to resolve only if asked, stays usable after a refusal, and has the problem's
screen re-read its incidents."""

from __future__ import annotations

from test_actions_host import DIALOGS_TCSS, drive, settle
from textual.app import App
from textual.screen import Screen
from textual.widgets import Button, Select, Static
from tui_helpers import wait_until

from desk.domain.errors import DeskError
from desk.screens.problem_incidents import ResolveIncidentsDialog, offer
from desk.services import incidents, problems


class ProblemScreen(Screen):
    def __init__(self) -> None:
        super().__init__()
        self.changed: list[list[int]] = []

    def compose(self):
        yield Static("problem")

    def incidents_changed(self, ids) -> None:
        self.changed.append(ids)


class OfferHost(App):
    CSS_PATH = [str(DIALOGS_TCSS)]

    def __init__(self, desk, problem_id: int, quiet: bool = True) -> None:
        super().__init__()
        self.desk, self.problem_id, self.quiet = desk, problem_id, quiet
        self.under = ProblemScreen()

    def on_mount(self) -> None:
        self.push_screen(self.under)
        offer(self.under, problems.get(self.desk, self.problem_id), quiet=self.quiet)


def _resolved_problem(desk, clock, with_incidents: bool = True):
    made = [incidents.create(desk, "li", title=f"VPN drops {n}", impact=2, urgency=2, category="network",
                             service="network") for n in range(2)] if with_incidents else []
    clock.advance(minutes=5)
    p = problems.create(desk, "li", title="VPN concentrator drops sessions", incidents_=[i.id for i in made])
    problems.investigate(desk, "wang", p.id)
    problems.root_cause(desk, "wang", p.id, text="the concentrator firmware")
    problems.resolve(desk, "wang", p.id, fix="firmware 9.2")
    return p.id, [i.id for i in made]


def _dialog(app) -> ResolveIncidentsDialog:
    return app.screen


async def _offered(pilot):
    await wait_until(pilot, lambda: isinstance(pilot.app.screen, ResolveIncidentsDialog), what="the offer")


def test_ctrl_s_at_once_resolves_them_as_fixed_with_the_problem_s_fix(desk, clock):
    desk.user = "lead"
    pid, ids = _resolved_problem(desk, clock)
    app = OfferHost(desk, pid)

    async def scenario(pilot):
        await _offered(pilot)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is app.under, what="the offer done")
        await settle(pilot)
        assert app.under.changed == [[pid]]  # the problem's screen re-reads its incidents

    drive(app, scenario)
    for inc_id in ids:
        detail = incidents.get(desk, inc_id)
        assert (detail.status, detail.closure_code) == ("resolved", "fixed")
        assert detail.history[-1].note == f"Resolved with problem {pid}: firmware 9.2"


def test_the_code_and_note_chosen_are_recorded(desk, clock):
    desk.user = "lead"
    pid, ids = _resolved_problem(desk, clock)
    app = OfferHost(desk, pid)

    async def scenario(pilot):
        await _offered(pilot)
        dialog = _dialog(app)
        dialog.query_one("#code", Select).value = "workaround"
        dialog.query_one("#note").value = "  rebooted the concentrator  "
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is app.under, what="the offer done")

    drive(app, scenario)
    detail = incidents.get(desk, ids[0])
    assert (detail.closure_code, detail.history[-1].note) == ("workaround", "rebooted the concentrator")


def test_no_closure_code_is_said_on_the_form_and_nothing_is_resolved(desk, clock):
    desk.user = "lead"
    pid, ids = _resolved_problem(desk, clock)
    app = OfferHost(desk, pid)

    async def scenario(pilot):
        await _offered(pilot)
        dialog = _dialog(app)
        dialog.query_one("#code", Select).clear()
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is dialog
        error = str(dialog.query_one("#dialog-error", Static).render())
        assert "Closure code for the incidents" in error, error

    drive(app, scenario)
    assert all(incidents.get(desk, i).status != "resolved" for i in ids)


def test_an_incident_changed_meanwhile_is_named_and_the_other_resolved(desk, clock):
    from desk.screens.dialogs.result import ResultDialog

    desk.user = "lead"
    pid, ids = _resolved_problem(desk, clock)
    app = OfferHost(desk, pid)

    async def scenario(pilot):
        await _offered(pilot)
        incidents.note(desk, "zhao", ids[1], text="the caller called again")  # meanwhile
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: isinstance(app.screen, ResultDialog), what="the result")
        assert [r.stale for r in app.screen.outcome.results if r.id == ids[1]] == [True]

    drive(app, scenario)
    assert incidents.get(desk, ids[0]).status == "resolved"
    assert incidents.get(desk, ids[1]).status != "resolved"


def test_nothing_to_resolve_is_said_only_when_asked(desk, clock):
    desk.user = "lead"
    pid, _ = _resolved_problem(desk, clock, with_incidents=False)
    said = {}
    for quiet in (True, False):
        app = OfferHost(desk, pid, quiet=quiet)

        async def scenario(pilot, app=app, quiet=quiet):
            await settle(pilot)
            said[quiet] = [str(n.message) for n in app._notifications]
            assert app.screen is app.under

        drive(app, scenario)
    assert said[True] == []
    assert said[False] == [f"Problem {pid} has no open incidents to resolve."]


def test_a_refusal_of_the_whole_offer_leaves_the_form_usable(desk, clock, monkeypatch):
    desk.user = "lead"
    pid, ids = _resolved_problem(desk, clock)

    def refuse(*args, **kwargs):
        raise DeskError("error.not_allowed", login="lead", action="resolve")

    monkeypatch.setattr(problems, "resolve_incidents", refuse)
    app = OfferHost(desk, pid)

    async def scenario(pilot):
        await _offered(pilot)
        dialog = _dialog(app)
        await pilot.press("ctrl+s")
        await settle(pilot)
        await wait_until(pilot, lambda: not dialog.busy, what="the refusal")
        assert app.screen is dialog
        assert "may not" in str(dialog.query_one("#dialog-error", Static).render())
        assert not dialog.query_one("#ok", Button).disabled  # the user can try again

    drive(app, scenario)
