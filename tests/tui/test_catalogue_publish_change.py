"""Publishing a catalogue version under a change in the TUI (issue 18: "a catalogue publication can
require an approved change (config): publishing then names the change"). With `[change]
publication_requires_change`, `P` on an approved draft asks for the change, picked from the approved
changes that name the draft's service; without one picked nothing is published; with none approved
the form says so and OK stays disabled. Without the setting the form is the note alone, as before.
Snapshots of the form (its drop-down open) at 80×24 and 120×40 in English and Chinese."""

from __future__ import annotations

import pytest
from textual.widgets.select import InvalidSelectValueError
from tui_helpers import screen_text, steady_cursors, wait_until

from desk.services import catalogue, catalogue_flow as flow, changes
from desk.services.linking import history_entries

try:
    from .test_catalogue_inbox import _dialog, _ids, _reloaded, inbox_desk, make, open_inbox  # noqa: F401
except ImportError:
    from test_catalogue_inbox import _dialog, _ids, _reloaded, inbox_desk, make, open_inbox  # noqa: F401

SIZES = {"80x24": (80, 24), "120x40": (120, 40)}


def _requiring(desk) -> None:
    desk.config.data["change"] = {**desk.config.data.get("change", {}), "publication_requires_change": True}


def _approved_change(desk, services="email", title="Move the mailboxes to the new cluster [b]x[/b]"):
    c = changes.create(desk, "wang", title=title, reason="capacity", services=services)
    c = changes.assess(desk, "ops", changes.submit(desk, "wang", c.id).id, risk="low", impact="none",
                       implementation_plan="publish it", backout_plan="publish the old version again")
    return changes.approve(desk, "appr", c.id)


async def _publish_form(pilot, desk):
    screen = await open_inbox(pilot)
    await pilot.press("3")  # approved, to publish
    await _reloaded(pilot, screen, lambda s: _ids(s) == [desk.ids["review"]], "the approved view")
    await pilot.press("P")
    dialog = await _dialog(pilot)
    await wait_until(pilot, lambda: dialog.checked is not None, what="the form's read")
    await pilot.pause()
    return dialog


async def test_p_asks_for_the_change_and_publishes_naming_it(inbox_desk):
    _requiring(inbox_desk)
    flow.approve(inbox_desk, "ops", inbox_desk.ids["review"])
    other = _approved_change(inbox_desk, services="network")  # another service: not offered
    change = _approved_change(inbox_desk)
    app = make(inbox_desk)
    async with app.run_test(size=app.test_size) as pilot:
        dialog = await _publish_form(pilot, inbox_desk)
        picker = dialog.query_one("#change")
        with pytest.raises(InvalidSelectValueError):
            picker.value = str(other.id)
        await pilot.press("ctrl+s")  # none picked: said, nothing published
        await pilot.pause()
        assert "required" in str(dialog.query_one("#dialog-error").render())
        assert flow.draft(inbox_desk, inbox_desk.ids["review"]).status == "approved"
        picker.value = str(change.id)
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: flow.draft(inbox_desk, inbox_desk.ids["review"]).status == "published",
                         what="the publication")
    last = history_entries(inbox_desk, "catalogue_draft", inbox_desk.ids["review"])[-1]
    assert (last.action, last.changes.get("change")) == ("publish", [None, change.id])
    assert [v.number for v in catalogue.versions(inbox_desk, "email")] == [1, 2]


async def test_p_with_no_approved_change_for_the_service_says_so_and_publishes_nothing(inbox_desk):
    _requiring(inbox_desk)
    flow.approve(inbox_desk, "ops", inbox_desk.ids["review"])
    _approved_change(inbox_desk, services="network")
    app = make(inbox_desk)
    async with app.run_test(size=app.test_size) as pilot:
        dialog = await _publish_form(pilot, inbox_desk)
        assert dialog.checked is False and dialog.query_one("#ok").disabled
        assert "no approved change names service email" in str(dialog.query_one("#dialog-error").render())
        await pilot.press("ctrl+s")
        await pilot.pause()
    assert flow.draft(inbox_desk, inbox_desk.ids["review"]).status == "approved"


async def test_without_the_setting_p_asks_for_a_note_only(inbox_desk):
    flow.approve(inbox_desk, "ops", inbox_desk.ids["review"])
    _approved_change(inbox_desk)
    app = make(inbox_desk)
    async with app.run_test(size=app.test_size) as pilot:
        dialog = await _publish_form(pilot, inbox_desk)
        assert not dialog.query("#change") and dialog.checked is True
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: flow.draft(inbox_desk, inbox_desk.ids["review"]).status == "published",
                         what="the publication")
    last = history_entries(inbox_desk, "catalogue_draft", inbox_desk.ids["review"])[-1]
    assert "change" not in last.changes


@pytest.mark.parametrize("size", list(SIZES.values()), ids=list(SIZES))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_snapshot(inbox_desk, snap_compare, db_url, lang, size):
    if not db_url.endswith(".db"):
        pytest.skip("snapshots are taken on SQLite")
    _requiring(inbox_desk)
    flow.approve(inbox_desk, "ops", inbox_desk.ids["review"])
    _approved_change(inbox_desk)
    app = make(inbox_desk, lang=lang, size=size)

    async def run_before(pilot):
        await _publish_form(pilot, inbox_desk)
        await pilot.press("enter")  # the drop-down open: the change offered, its title literally
        await pilot.pause()
        steady_cursors(pilot.app)
        await pilot.pause()

    assert snap_compare(app, terminal_size=size, run_before=run_before)
