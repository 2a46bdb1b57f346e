"""The catalogue draft form (F4 → drafts → `e`): the category, the service hours and the owner are
picked from their labels (the category tree, the SLA calendars, the work groups), as the dispatch
form's group is — they were typed as codes, a typo refused only by the service — and the form's
title names the service by its name, not its code."""

from __future__ import annotations

from textual.widgets import Input, Select
from tui_helpers import wait_until

from desk.screens.catalogue_form import entry_choices, entry_fields
from desk.services import catalogue, catalogue_flow as flow

from test_catalogue_inbox import _dialog, _ids, _reloaded, inbox_desk, make, open_inbox  # noqa: F401


def test_the_coded_fields_are_choices_by_label(desk):
    choices = entry_choices(desk.config, catalogue.categories(desk), "en")
    entry = {"category": "end-user.office", "hours": "08:00-18:00 Mon-Fri", "owner": "systems"}
    fields = {f.name: f for f in entry_fields(entry, ["1"], "en", choices)}
    assert {fields[n].kind for n in ("category", "hours", "owner")} == {"choice"}
    assert ("  Office workplace (end-user.office)", "end-user.office") in fields["category"].choices
    assert ("Business hours, 09:00–18:00 Mon–Fri (business)", "business") in fields["hours"].choices
    # hours written as text are kept, first, unless another is picked
    assert fields["hours"].choices[0] == ("08:00-18:00 Mon-Fri", "08:00-18:00 Mon-Fri")
    assert fields["owner"].choices[0] == ("—", "")
    assert any(code == "systems" and "(systems)" in label and label != "systems" for label, code in fields["owner"].choices)
    zh = {f.name: f for f in entry_fields(entry, ["1"], "zh", entry_choices(desk.config, catalogue.categories(desk),
                                                                             "zh"))}
    assert ("  办公终端 (end-user.office)", "end-user.office") in zh["category"].choices


async def test_e_picks_the_category_and_owner_and_titles_by_name(inbox_desk):
    app = make(inbox_desk, user="catm")
    async with app.run_test(size=app.test_size) as pilot:
        screen = await open_inbox(pilot)
        await pilot.press("2")
        await _reloaded(pilot, screen, lambda s: _ids(s) == [inbox_desk.ids["editing"]], "the editing view")
        await pilot.press("e")
        form = await _dialog(pilot, "CatalogueForm")
        title = str(form.query_one("#dialog").border_title)
        assert "Database services" in title and "database ·" not in title
        index = {f.name: n for n, f in enumerate(form.fields)}
        category, owner = (form.query_one(f"#f{index[n]}") for n in ("category", "owner"))
        assert isinstance(category, Select) and isinstance(owner, Select)
        assert not any(isinstance(w, Input) and w.id in (f"f{index['category']}", f"f{index['hours']}")
                       for w in form.query(Input))
        category.value, owner.value = "end-user.office", "network"
        await pilot.press("ctrl+s")
        await wait_until(pilot, lambda: app.screen is screen, what="the form closed")
    entry = flow.entry_of(flow.draft(inbox_desk, inbox_desk.ids["editing"]))
    assert (entry["category"], entry["owner"]) == ("end-user.office", "network")


def test_a_requirement_s_detail_names_status_and_service_by_label(desk):
    from desk.screens.catalogue_inbox import draft_lines, requirement_lines

    slr = flow.raise_requirement(desk, "ops", title="Bigger mailboxes", need="100 GB", source="HR", service="email")
    from desk.services.catalogue_inbox import draft_detail, requirement_detail

    lines = dict(requirement_lines(requirement_detail(desk, slr.id), "en", None, desk.config))
    assert (lines["Status"], lines["Service"]) == ("Open", "Email and calendar")
    draft = draft_detail(desk, flow.open_draft(desk, "catm", code="database"))
    assert dict(draft_lines(draft, "en"))["Status"] == "Being edited"


def test_a_draft_s_detail_names_category_hours_and_owner(desk):
    from desk.screens.catalogue_inbox import draft_lines
    from desk.services.catalogue_inbox import draft_detail

    desk.lang = "en"
    lines = dict(draft_lines(draft_detail(desk, flow.open_draft(desk, "catm", code="database")), "en", desk))
    assert lines["Category"] == "Data centre (datacenter)"  # was "datacenter"
    assert lines["Service hours"].startswith("Round the clock") and lines["Owner"].endswith("(database)")
    assert lines["Owner"] != "database"
