"""The catalogue's workflow in the TUI (issue 13): from the catalogue screen (F4) `c` opens a draft
of a change and its form, `i` the drafts and the review inbox, `s` the service-level requirements.
Every key of the inboxes is driven with Pilot as each role would; snapshots at 80×24 and 120×40 in
English and Chinese."""

from __future__ import annotations

import pytest
from tui_helpers import screen_text, steady_cursors, wait_until

from desk.services import catalogue, catalogue_flow as flow

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}


@pytest.fixture
def inbox_desk(desk, clock):
    """A desk with a draft in review (email, by catm), one being edited (vpn) and an open SLR."""
    review = flow.open_draft(desk, "catm", code="email")
    flow.edit_draft(desk, "catm", review, {"price_en": "Up to 50 GB included", "price_zh": "50GB以内包含"})
    flow.submit(desk, "catm", review)
    clock.advance(minutes=5)
    editing = flow.open_draft(desk, "catm", code="database")
    clock.advance(minutes=5)
    slr = flow.raise_requirement(desk, "ops", title="Weekend desk cover for the trading floor",
                                 need="Saturday 08:00-14:00 cover", source="Trading contract 2027")
    desk.ids = {"review": review, "editing": editing, "slr": slr.id}
    return desk


def make(desk, user="ops", lang="en", size=(120, 40)):
    from desk.app import DeskApp, operator_for

    desk.lang, desk.user = lang, user
    app = DeskApp(desk, operator_for(desk, user), keymap={})
    app.test_size = size
    return app


def _inbox(app, name):
    screen = app.screen
    return screen if type(screen).__name__ == name else None


async def open_inbox(pilot, key="i", name="DraftsScreen"):
    await pilot.press("f4")
    await wait_until(pilot, lambda: getattr(pilot.app.screen, "loaded", False), what="the catalogue")
    await pilot.press(key)
    await wait_until(pilot, lambda: _inbox(pilot.app, name) is not None and _inbox(pilot.app, name).table.total
                     is not None, what=name)
    await pilot.pause()
    return pilot.app.screen


def _ids(screen) -> list[int]:
    return [screen.table.id_at(i) for i in range(screen.table.total or 0)]


async def _reloaded(pilot, screen, predicate, what):
    await wait_until(pilot, lambda: predicate(screen), what=what)
    await pilot.pause()


async def _dialog(pilot, name="RecordActionDialog"):
    await wait_until(pilot, lambda: type(pilot.app.screen).__name__ == name, what=name)
    return pilot.app.screen


async def _type_and_ok(pilot, text: str | None):
    if text:
        await pilot.press(*text)
    await pilot.press("ctrl+s")


async def test_i_opens_the_review_inbox_with_the_draft_waiting_for_review_and_escape_goes_back(inbox_desk):
    app = make(inbox_desk)
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_inbox(pilot)
        assert screen.view == "review" and _ids(screen) == [inbox_desk.ids["review"]]
        text = screen_text(app)
        assert "Email and calendar" in text and "Waiting for review" in text and " F4 Catalogue " in text
        await pilot.press("2")  # being edited or returned
        await _reloaded(pilot, screen, lambda s: _ids(s) == [inbox_desk.ids["editing"]], "the editing view")
        await pilot.press("escape")
        assert type(app.screen).__name__ == "CatalogueScreen"


async def test_a_maintainer_without_review_rights_opens_on_the_drafts_being_edited(inbox_desk):
    from desk.domain.permissions import can

    app = make(inbox_desk, user="catm")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_inbox(pilot)
        expected = "review" if can(app.operator.roles, "catalogue.review") else "editing"
        assert screen.view == expected


async def test_enter_opens_the_draft_with_its_fields_and_history(inbox_desk):
    app = make(inbox_desk)
    async with app.run_test(size=app.test_size) as pilot:
        await open_inbox(pilot)
        await pilot.press("enter")
        await wait_until(pilot, lambda: "Up to 50 GB included" in screen_text(app), what="the detail")
        text = screen_text(app)
        assert "Draft 1 · Email and calendar" in text and "In review" in text and "Price or cost model" in text


async def test_c_opens_a_draft_of_the_service_and_its_form_and_ctrl_s_saves_the_change(inbox_desk):
    app = make(inbox_desk, user="catm")
    async with app.run_test(size=app.test_size) as pilot:
        await pilot.press("f4")
        await wait_until(pilot, lambda: getattr(app.screen, "loaded", False), what="the catalogue")
        await pilot.press("c")  # accounts: the first service
        form = await _dialog(pilot, "CatalogueForm")
        field = form.query_one("#f0")
        field.value = "Accounts, passwords and access"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: type(app.screen).__name__ == "DraftsScreen", what="the form closed")
        draft = flow.drafts(inbox_desk, ("editing",))[-1]
        assert draft.code == "accounts" and flow.entry_of(draft)["name_en"] == "Accounts, passwords and access"
        # nothing else changed: one field recorded
        assert catalogue.service_version(inbox_desk, "accounts").entry["name_en"] == "Accounts and access"


async def test_c_is_greyed_for_a_role_that_may_not_draft(inbox_desk):
    app = make(inbox_desk, user="li")
    async with app.run_test(size=app.test_size) as pilot:
        await pilot.press("f4")
        await wait_until(pilot, lambda: getattr(app.screen, "loaded", False), what="the catalogue")
        assert app.screen.check_action("new_draft", ()) is None
        await pilot.press("c")
        await pilot.pause()
        assert type(app.screen).__name__ == "CatalogueScreen" and len(flow.drafts(inbox_desk)) == 2


async def test_e_edits_and_a_target_shorter_than_its_response_is_refused_naming_the_field(inbox_desk):
    app = make(inbox_desk, user="catm")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_inbox(pilot)
        await pilot.press("2")
        await _reloaded(pilot, screen, lambda s: _ids(s) == [inbox_desk.ids["editing"]], "the editing view")
        before = flow.draft(inbox_desk, inbox_desk.ids["editing"]).version
        await pilot.press("e")
        form = await _dialog(pilot, "CatalogueForm")
        target = next(n for n, f in enumerate(form.fields) if f.name == "targets.1")
        form.query_one(f"#f{target}").value = "60/30"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: "targets of priority 1" in str(form.query_one("#dialog-error").render()),
                         what="the refusal")
        assert flow.draft(inbox_desk, inbox_desk.ids["editing"]).version == before  # nothing written
        form.query_one(f"#f{target}").value = "abc"
        await pilot.press("ctrl+s")
        assert "is not two numbers of minutes" in str(form.query_one("#dialog-error").render())
        form.query_one(f"#f{target}").value = "10/45"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is screen, what="the form closed")
        entry = flow.entry_of(flow.draft(inbox_desk, inbox_desk.ids["editing"]))
        assert entry["targets"]["1"] == {"response": 10, "resolve": 45}


async def test_u_submits_the_draft_for_review(inbox_desk):
    app = make(inbox_desk, user="catm")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_inbox(pilot)
        await pilot.press("2")
        await _reloaded(pilot, screen, lambda s: _ids(s) == [inbox_desk.ids["editing"]], "the editing view")
        await pilot.press("u")
        await _dialog(pilot)
        await _type_and_ok(pilot, None)
        await wait_until(pilot, lambda: flow.draft(inbox_desk, inbox_desk.ids["editing"]).status == "in_review",
                         what="the submit")


async def test_p_approves_and_the_author_may_not_approve_their_own_draft(inbox_desk):
    app = make(inbox_desk, user="catm")  # catm wrote the draft in review
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_inbox(pilot)
        if screen.check_action("act", ("approve",)):
            await pilot.press("p")
            dialog = await _dialog(pilot)
            await _type_and_ok(pilot, None)
            await wait_until(pilot, lambda: "catm" in str(dialog.query_one("#dialog-error").render()),
                             what="the refusal")
            await pilot.press("escape")
        assert flow.draft(inbox_desk, inbox_desk.ids["review"]).status == "in_review"
    app = make(inbox_desk, user="ops")
    async with app.run_test(size=app.test_size) as pilot:
        await open_inbox(pilot)
        await pilot.press("p")
        await _dialog(pilot)
        await _type_and_ok(pilot, "Looks right")
        await wait_until(pilot, lambda: flow.draft(inbox_desk, inbox_desk.ids["review"]).status == "approved",
                         what="the approval")


async def test_x_returns_the_draft_with_comments_which_are_required(inbox_desk):
    app = make(inbox_desk)
    async with app.run_test(size=app.test_size) as pilot:
        await open_inbox(pilot)
        await pilot.press("x")
        dialog = await _dialog(pilot)
        await _type_and_ok(pilot, None)
        assert "required" in str(dialog.query_one("#dialog-error").render())
        await _type_and_ok(pilot, "Say which mailbox sizes")
        await wait_until(pilot, lambda: flow.draft(inbox_desk, inbox_desk.ids["review"]).status == "returned",
                         what="the return")


async def test_shift_p_publishes_an_approved_draft_as_a_new_version(inbox_desk):
    flow.approve(inbox_desk, "ops", inbox_desk.ids["review"])
    app = make(inbox_desk)
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_inbox(pilot)
        await pilot.press("3")  # approved, to publish
        await _reloaded(pilot, screen, lambda s: _ids(s) == [inbox_desk.ids["review"]], "the approved view")
        await pilot.press("P")
        await _dialog(pilot)
        await _type_and_ok(pilot, None)
        await wait_until(pilot, lambda: flow.draft(inbox_desk, inbox_desk.ids["review"]).status == "published",
                         what="the publication")
        assert [v.number for v in catalogue.versions(inbox_desk, "email")] == [1, 2]


async def test_publish_is_greyed_on_a_draft_in_review_and_for_a_maintainer(inbox_desk):
    app = make(inbox_desk)
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_inbox(pilot)
        assert screen.check_action("act", ("publish",)) is None  # in review: not yet approved
        await pilot.press("P")
        await pilot.pause()
        assert flow.draft(inbox_desk, inbox_desk.ids["review"]).status == "in_review"
    app = make(inbox_desk, user="catm")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_inbox(pilot)
        assert screen.may("publish") is False


async def test_w_withdraws_a_draft_with_a_reason(inbox_desk):
    app = make(inbox_desk, user="catm")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_inbox(pilot)
        await pilot.press("2")
        await _reloaded(pilot, screen, lambda s: _ids(s) == [inbox_desk.ids["editing"]], "the editing view")
        await pilot.press("w")
        await _dialog(pilot)
        await _type_and_ok(pilot, "Not needed after all")
        await wait_until(pilot, lambda: flow.draft(inbox_desk, inbox_desk.ids["editing"]).status == "withdrawn",
                         what="the withdrawal")


async def test_n_opens_a_draft_of_a_new_service_by_its_code(inbox_desk):
    app = make(inbox_desk, user="catm")
    async with app.run_test(size=app.test_size) as pilot:
        await open_inbox(pilot)
        await pilot.press("n")
        await _dialog(pilot)
        await _type_and_ok(pilot, "trading-cover")
        await wait_until(pilot, lambda: any(d.code == "trading-cover" and d.kind == "new"
                                            for d in flow.drafts(inbox_desk)), what="the new draft")


async def test_d_shows_what_the_draft_changes_from_its_version(inbox_desk):
    app = make(inbox_desk)
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_inbox(pilot)
        await pilot.press("d")
        await wait_until(pilot, lambda: "Email and calendar (email): version 1 → this draft" in screen_text(app), what="the diff")
        assert "+ Up to 50 GB included" in screen_text(app)
        await pilot.press("escape")
        assert app.screen is screen


async def test_s_opens_the_slr_inbox_and_n_raises_a_requirement(inbox_desk):
    app = make(inbox_desk)
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_inbox(pilot, "s", "RequirementsScreen")
        assert screen.view == "open" and _ids(screen) == [inbox_desk.ids["slr"]]
        assert "Weekend desk cover" in screen_text(app) and "(a new service)" in screen_text(app)
        await pilot.press("n")
        form = await _dialog(pilot, "CatalogueForm")
        form.query_one("#f0").value = "Faster VPN for the branches"
        service = form.query_one("#f3")  # picked by name from the published catalogue (it was a code typed)
        assert service.value == ""  # none picked: a service the catalogue lacks
        await pilot.click(service)  # its list names the services
        await pilot.pause()
        assert "Office network and VPN (network)" in screen_text(app)
        await pilot.press("escape")
        service.value = "network"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is screen, what="the form closed")
        raised = flow.requirements(inbox_desk)[-1]
        assert raised.title == "Faster VPN for the branches" and raised.service.code == "network"
        await _reloaded(pilot, screen, lambda s: len(_ids(s)) == 2, "the new requirement listed")


async def test_slr_enter_a_accepts_with_a_code_and_x_rejects_with_a_reason(inbox_desk):
    other = flow.raise_requirement(inbox_desk, "ops", title="Printer leasing", service="desktop")
    app = make(inbox_desk)
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_inbox(pilot, "s", "RequirementsScreen")
        target = screen.table.cursor_row.id
        await pilot.press("enter")
        title = flow.requirement(inbox_desk, target).title
        await wait_until(pilot, lambda: f"SLR {target} · {title}" in screen_text(app), what="the detail")
        await pilot.press("escape")
        await wait_until(pilot, lambda: app.screen is screen, what="back to the list")
        await pilot.press("a")
        await _dialog(pilot)
        code = "trading-cover" if target == inbox_desk.ids["slr"] else None
        await _type_and_ok(pilot, code)
        await wait_until(pilot, lambda: flow.requirement(inbox_desk, target).status == "accepted", what="accepted")
        await _reloaded(pilot, screen, lambda s: len(_ids(s)) == 1, "the accepted one gone from the open view")
        await pilot.press("x")
        await _dialog(pilot)
        await _type_and_ok(pilot, "Out of scope")
        rest = ({inbox_desk.ids["slr"], other.id} - {target}).pop()
        await wait_until(pilot, lambda: flow.requirement(inbox_desk, rest).status == "rejected", what="rejected")


async def test_accept_and_reject_are_greyed_for_a_maintainer(inbox_desk):
    app = make(inbox_desk, user="catm")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_inbox(pilot, "s", "RequirementsScreen")
        assert screen.check_action("act", ("accept",)) is None and screen.check_action("act", ("reject",)) is None
        await pilot.press("a")
        await pilot.pause()
        assert app.screen is screen and flow.requirement(inbox_desk, inbox_desk.ids["slr"]).status == "open"


@pytest.mark.parametrize("size", list(SIZES.values()), ids=list(SIZES))
@pytest.mark.parametrize("lang", ["en", "zh"])
@pytest.mark.parametrize("state", ["drafts", "requirements", "form"])
def test_snapshot(inbox_desk, snap_compare, db_url, state, lang, size):
    if not db_url.endswith(".db"):
        pytest.skip("snapshots are taken on SQLite")
    app = make(inbox_desk, user="ops" if state != "form" else "catm", lang=lang, size=size)

    async def run_before(pilot):
        if state == "requirements":
            await open_inbox(pilot, "s", "RequirementsScreen")
        else:
            screen = await open_inbox(pilot)
            if state == "form":
                await pilot.press("2")
                await _reloaded(pilot, screen, lambda s: _ids(s) == [inbox_desk.ids["editing"]], "editing")
                await pilot.press("e")
                await _dialog(pilot, "CatalogueForm")
                steady_cursors(pilot.app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)
