"""The request queue's keys for the rest of the workflow (issue 14): escalate (e), return to the
desk (r), ask for approval (l), ask for cost confirmation (k), confirm the cost (y), wait for the
requester (w), resume (g), cancel (delete) and turn into an incident (i) — a Pilot test per key, the status checked before a
form opens (greyed keys, a form on a request that moved on), a stale edit that keeps what was
typed, the same keys on the detail screen, and snapshots of the new forms at 80×24 and 120×40 in
English and Chinese.

Update the snapshots with `pytest tests/tui/test_request_keys.py --snapshot-update`, then look at
the .svg files in __snapshots__/ before committing them."""

from __future__ import annotations

import time

import pytest
from textual.widgets import Input
from tui_helpers import screen_text, wait_until

from desk.models import History, ServiceRequest
from desk.services import agents, requests

SIZES = [(80, 24), (120, 40)]
LANGS = ["en", "zh"]


def seed(desk, clock) -> dict[str, int]:
    """One request in each status the new keys start from (raised and dispatched by li)."""
    agents.save_agent(desk, "admin", agent_login="boss", name="Boss", roles=["approver"], group=None)

    def new(title, **kw):
        r = requests.create(desk, "li", title=title, requester="Zhang Wei", checked=["all"], **kw)
        clock.advance(minutes=7)
        return r.id

    made = {"pending": new("Printer toner for floor 3")}
    made["dispatched"] = new("Shared drive for the audit team", accept=True)
    requests.dispatch(desk, "li", made["dispatched"], to="chen")
    made["cost"] = new("Second monitor, 27 inch", accept=True)
    requests.dispatch(desk, "li", made["cost"], to="chen")
    requests.ask_cost(desk, "chen", made["cost"])
    made["waiting"] = new("Mailbox quota raised", accept=True)
    requests.dispatch(desk, "li", made["waiting"], to="chen")
    requests.wait(desk, "chen", made["waiting"], reason="which mailbox?")
    return made


@pytest.fixture
def keys_app(desk, clock):
    from desk.app import DeskApp, operator_for

    desk.made = seed(desk, clock)

    def factory(lang="en", user="lead", size=(120, 40)):
        desk.lang, desk.user = lang, user
        app = DeskApp(desk, operator_for(desk, user), keymap={})
        app.test_size = size
        return app

    return factory


def _queue(app):
    from desk.screens.requests import RequestsScreen

    return app.screen if isinstance(app.screen, RequestsScreen) else None


async def ready(pilot, timeout: float = 8.0):
    """The request queue shows every row of its current view."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        await pilot.pause(0.02)
        screen = _queue(pilot.app)
        if screen is None or not screen.is_mounted:
            continue
        table = screen.table
        if table.busy or table.gen != screen._gen or table.total is None:
            continue
        if all(table.row_at(i) is not None for i in range(table.total)):
            await pilot.pause()
            return screen
    raise AssertionError("the request queue did not finish loading")


async def on_row(pilot, request_id: int):
    """The queue's "All" view with the cursor on this request."""
    await pilot.press("f3")
    screen = await ready(pilot)
    await pilot.press(str(screen.SPEC.views.index("all") + 1))
    screen = await ready(pilot)
    for _ in range(screen.table.total):
        if screen.table.cursor_id == request_id:
            return screen
        await pilot.press("down")
    assert screen.table.cursor_id == request_id
    return screen


def shown(app) -> str:
    """What the terminal shows, without box drawing and line breaks (messages wrap in forms)."""
    return " ".join("".join(" " if ch in "│╭╮╰╯─▊▎▔▁┃━┏┓┗┛" else ch for ch in screen_text(app)).split())


def form(app):
    from desk.screens.request_action import RequestAction

    return app.screen if isinstance(app.screen, RequestAction) else None


async def open_form(pilot, key: str):
    await pilot.press(key)
    await wait_until(pilot, lambda: form(pilot.app) is not None and form(pilot.app).checked, what=f"the {key} form")
    return form(pilot.app)


def fill(dialog, **values) -> None:
    for name, text in values.items():
        dialog.query_one(f"#f-{name}", Input).value = text


def row(request_id: int) -> ServiceRequest:
    return ServiceRequest.get_by_id(request_id)


def last_action(request_id: int) -> str:
    return (History.select().where((History.entity == "request") & (History.entity_id == request_id))
            .order_by(History.seq.desc()).first().action)


# --- a Pilot test per key ------------------------------------------------------------------------

KEYS = [
    # (key, which request, user, the form's fields, status after, history action)
    ("e", "dispatched", "lead", {"reason": "needs the storage team"}, "escalated", "escalate"),
    ("r", "dispatched", "chen", {"reason": "not ours", "suggestion": "storage group"}, "accepted", "return"),
    ("l", "dispatched", "chen", {"approvers": "boss"}, "awaiting_approval", "ask_approval"),
    ("k", "dispatched", "chen", {}, "awaiting_cost", "ask_cost"),
    ("y", "cost", "chen", {"amount": "1200.50", "currency": "cny", "confirmed_with": "Ms Zhang"}, "dispatched",
     "confirm_cost"),
    ("w", "dispatched", "chen", {"reason": "which share name?"}, "awaiting_requester", "wait"),
    ("g", "waiting", "chen", {"note": "she answered"}, "dispatched", "resume"),
    ("delete", "pending", "li", {"reason": "bought one herself"}, "closed", "cancel"),
    ("i", "dispatched", "lead", {"reason": "the share is down: a fault", "impact": "2"}, "closed", "incident_linked"),
]


@pytest.mark.parametrize("key, which, user, fields, status, action", KEYS, ids=[k[0] for k in KEYS])
async def test_each_key_opens_its_form_and_takes_the_step(keys_app, desk, key, which, user, fields, status, action):
    app = keys_app(user=user)
    target = desk.made[which]
    async with app.run_test(size=app.test_size) as pilot:
        await on_row(pilot, target)
        dialog = await open_form(pilot, key)
        fill(dialog, **fields)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: row(target).status == status and form(app) is None, what=f"{key} -> {status}")
        screen = await ready(pilot)
        await wait_until(pilot, lambda: screen.table.cursor_row is not None and screen.table.cursor_row.id == target
                         and screen.table.cursor_row.status == status, what="the row repainted")
    assert last_action(target) == action


async def test_the_forms_write_what_was_typed(keys_app, desk):
    """The return's suggestion, the approvers in order and the confirmed cost are recorded as typed."""
    from desk.services import request_reads

    app = keys_app(user="chen")
    cost = desk.made["cost"]
    async with app.run_test(size=app.test_size) as pilot:
        await on_row(pilot, cost)
        dialog = await open_form(pilot, "y")
        fill(dialog, amount="99.9", currency="usd", confirmed_with="Li Lei (finance)")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: row(cost).status == "dispatched", what="the cost confirmed")
    done = request_reads.get(desk, cost, with_history=False)
    assert (done.cost_amount, done.cost_currency, done.cost_confirmed_with) == ("99.90", "USD", "Li Lei (finance)")


async def test_a_required_field_left_empty_writes_nothing(keys_app, desk):
    app = keys_app(user="chen")
    target = desk.made["dispatched"]
    version = row(target).version
    async with app.run_test(size=app.test_size) as pilot:
        await on_row(pilot, target)
        dialog = await open_form(pilot, "r")
        fill(dialog, reason="not ours")  # no suggested reassignment
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert form(app) is dialog and "Suggested reassignment" in shown(app)
        await pilot.press("escape")
        await ready(pilot)
    assert (row(target).status, row(target).version) == ("dispatched", version)


async def test_a_refusal_from_the_service_keeps_the_form_open_with_its_reason(keys_app, desk):
    app = keys_app(user="chen")
    target = desk.made["cost"]
    async with app.run_test(size=app.test_size) as pilot:
        await on_row(pilot, target)
        dialog = await open_form(pilot, "y")
        fill(dialog, amount="-5", currency="CNY", confirmed_with="Ms Zhang")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "not an amount" in shown(app), what="the refusal")
        assert form(app) is dialog and dialog.query_one("#f-confirmed_with", Input).value == "Ms Zhang"
    assert row(target).status == "awaiting_cost"


async def test_a_key_the_row_s_status_cannot_take_is_greyed_and_says_why(keys_app, desk):
    app = keys_app(user="lead")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await on_row(pilot, desk.made["pending"])
        for action in ("escalate", "return", "ask_approval", "ask_cost", "confirm_cost", "wait", "resume"):
            assert screen.check_action("act", (action,)) is None, action
        assert screen.check_action("act", ("cancel",)) is True
        await pilot.press("e")
        await pilot.pause()
        assert form(app) is None and "Pending" in shown(app)  # the row, by the code table's label
        said = []
        app.notify = lambda message, **_: said.append(message)
        screen.action_act("escalate")  # (the key already on its way when the row's status changed)
        assert said == [f"Escalate does not apply to Request R{desk.made['pending']}, which is pending."]
    assert row(desk.made["pending"]).status == "pending"


async def test_the_keys_grey_by_role(keys_app, desk):
    """A second-line agent handles (escalate, wait, cost) but cannot cancel; an approver neither."""
    app = keys_app(user="chen")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await on_row(pilot, desk.made["dispatched"])
        assert screen.check_action("act", ("escalate",)) is True
        assert screen.check_action("act", ("cancel",)) is None
    app = keys_app(user="boss")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await on_row(pilot, desk.made["dispatched"])
        assert screen.check_action("act", ("escalate",)) is None and screen.check_action("act", ("cancel",)) is None


async def test_a_form_on_a_request_that_moved_on_says_so_before_anything_is_typed(keys_app, desk):
    """The row on screen said dispatched; the request is escalated now: the form says it cannot
    be escalated, and ctrl+s writes nothing."""
    from desk.screens.request_action import RequestAction

    app = keys_app(user="lead")
    target = desk.made["dispatched"]
    version = row(target).version
    requests.escalate(desk, "li", target, reason="meanwhile")
    async with app.run_test(size=app.test_size) as pilot:
        await pilot.press("f3")
        await ready(pilot)
        app.push_screen(RequestAction("escalate", target, version, "Shared drive"))
        await wait_until(pilot, lambda: form(app) is not None and form(app).checked, what="the check")
        assert form(app).blocked and "cannot escalate it: the service request is escalated" in shown(app)
        fill(form(app), reason="again")
        await pilot.press("ctrl+s")
        await pilot.pause()
        assert form(app) is not None
    assert row(target).version == version + 1


async def test_a_stale_edit_writes_nothing_and_the_next_form_starts_with_the_text(keys_app, desk, clock):
    app = keys_app(user="lead")
    target = desk.made["dispatched"]
    typed = "the storage team must size the share"
    async with app.run_test(size=app.test_size) as pilot:
        screen = await on_row(pilot, target)
        dialog = await open_form(pilot, "e")
        clock.advance(minutes=2)
        requests.note(desk, "li", target, text="someone else, meanwhile")
        fill(dialog, reason=typed)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: form(app) is None, what="the stale refusal")
        assert row(target).status == "dispatched"
        said = " ".join(str(n.message) for n in app._notifications)
        assert "was changed by li" in said and "what you typed is kept" in said
        await wait_until(pilot, lambda: screen.table.cursor_row.version == row(target).version, what="the re-read")
        dialog = await open_form(pilot, "e")
        assert dialog.query_one("#f-reason", Input).value == typed
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: row(target).status == "escalated", what="the escalation")
        dialog = None
    assert last_action(target) == "escalate"


async def test_a_done_change_forgets_the_typed_text(keys_app, desk):
    app = keys_app(user="chen")
    target = desk.made["waiting"]
    async with app.run_test(size=app.test_size) as pilot:
        await on_row(pilot, target)
        dialog = await open_form(pilot, "g")
        fill(dialog, note="she answered")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: row(target).status == "dispatched", what="resumed")
        await ready(pilot)
        await pilot.press("w")
        await wait_until(pilot, lambda: form(app) is not None, what="the wait form")
        assert form(app).query_one("#f-reason", Input).value == ""


async def test_the_detail_screen_takes_the_same_keys(keys_app, desk):
    app = keys_app(user="chen")
    target = desk.made["dispatched"]
    async with app.run_test(size=app.test_size) as pilot:
        await on_row(pilot, target)
        await pilot.press("enter")
        await wait_until(pilot, lambda: getattr(app.screen, "loaded", False), what="the detail")
        detail = app.screen
        assert detail.check_action("act", ("wait",)) is True and detail.check_action("act", ("resume",)) is None
        assert detail.check_action("act", ("cancel",)) is None  # (not for second line)
        dialog = await open_form(pilot, "w")
        fill(dialog, reason="which share name?")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is detail and detail.loaded
                         and detail.detail.status == "awaiting_requester", what="the detail re-read")
        assert detail.check_action("act", ("resume",)) is True and detail.check_action("act", ("wait",)) is None
        assert "Awaiting requester" in shown(app)


# --- snapshots of the new forms ----------------------------------------------------------------------

FORMS = {"escalate": ("e", "dispatched"), "return": ("r", "dispatched"), "ask_approval": ("l", "dispatched"),
         "ask_cost": ("k", "dispatched"), "confirm_cost": ("y", "cost"), "wait": ("w", "dispatched"),
         "resume": ("g", "waiting"), "cancel": ("delete", "dispatched"), "to_incident": ("i", "dispatched")}


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("action", list(FORMS))
def test_snapshot_form(keys_app, desk, snap_compare, db_url, action, lang, size):
    if not db_url.endswith(".db"):
        pytest.skip("snapshots are taken on SQLite (the screen is the same on PostgreSQL)")
    key, which = FORMS[action]
    app = keys_app(lang=lang, size=size)

    async def run_before(pilot):
        await on_row(pilot, desk.made[which])
        await open_form(pilot, key)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)


async def test_i_turns_the_request_into_an_incident_the_detail_names(keys_app, desk):
    from desk.models import Incident

    app = keys_app(user="lead")
    target = desk.made["dispatched"]
    async with app.run_test(size=app.test_size) as pilot:
        await on_row(pilot, target)
        dialog = await open_form(pilot, "i")
        fill(dialog, reason="the share is down for everyone", impact="1", urgency="1")
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: row(target).incident_id is not None, what="the conversion")
        await ready(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: getattr(app.screen, "loaded", False), what="the detail")
        inc = Incident.get_by_id(row(target).incident_id)
        assert f"Incident: #{inc.id}" in shown(app) and "Turned into an incident" in shown(app)
    assert (inc.title, inc.priority, row(target).close_code) == ("Shared drive for the audit team",
                                                                desk.config.matrix.priority(1, 1), "converted")


async def test_the_fulfil_form_says_the_cost_is_unconfirmed_before_anything_is_typed(keys_app, desk):
    """A dispatched request still waiting for the customer's cost confirmation: the fulfil form let
    the handler type what was done, then refused it on ctrl+s."""
    from desk.screens.request_action import RequestAction

    target = desk.made["dispatched"]  # its catalogue entry asks for the customer's cost confirmation
    ServiceRequest.update(needs_cost=True).where(ServiceRequest.id == target).execute()
    version = row(target).version
    app = keys_app(user="chen")
    async with app.run_test(size=app.test_size) as pilot:
        await pilot.press("f3")
        await ready(pilot)
        app.push_screen(RequestAction("fulfil", target, version, "Shared drive for the audit team"))
        await wait_until(pilot, lambda: form(app) is not None and form(app).checked, what="the check")
        assert form(app).blocked and "cost confirmation before it is fulfilled" in shown(app)
    assert row(target).version == version
