"""The catalogue inboxes' rules that a removed or inverted line would let pass (issue 19;
tools/mutants/lists_catalogue_inbox.toml): the status term and the text on drafts and requirements,
the oldest first by age, a draft's name in each language, a draft whose entry cannot be read, and
rows in the order asked for."""

from __future__ import annotations

import json

from desk.domain.filter_terms import ParsedFilter
from desk.lists import spec_for
from desk.models import CatalogueDraft
from desk.services import catalogue_flow as flow


def _ids(desk, kind, view="all", **parsed) -> list[int]:
    spec = spec_for(kind)
    return spec.window(spec.make_filter(view, ParsedFilter(**parsed)), spec.context(desk, "ops"), "updated", 0, 50,
                       False)


def test_the_status_term_and_the_text_find_drafts_by_status_code_and_name(desk, clock):
    email = flow.open_draft(desk, "catm", code="email")
    flow.submit(desk, "catm", email)
    clock.advance(minutes=1)
    database = flow.open_draft(desk, "catm", code="database")
    name_en = json.loads(CatalogueDraft.get_by_id(email).entry)["name_en"]
    assert set(_ids(desk, "catalogue_draft", statuses=frozenset({"in_review"}))) == {email}
    assert set(_ids(desk, "catalogue_draft", text="databa")) == {database}  # its code
    assert name_en.lower() != "email" and set(_ids(desk, "catalogue_draft", text=name_en)) == {email}  # its name


def test_the_status_term_and_the_text_find_requirements_by_title_and_need(desk, clock):
    cover = flow.raise_requirement(desk, "ops", title="Weekend cover", need="Saturday mornings",
                                   source="Trading contract").id
    clock.advance(minutes=1)
    backup = flow.raise_requirement(desk, "ops", title="Offsite backups", need="A copy in another city",
                                    source="Audit").id
    flow.reject_requirement(desk, "ops", backup, reason="covered by the DR project")
    assert set(_ids(desk, "requirement", statuses=frozenset({"rejected"}))) == {backup}
    assert set(_ids(desk, "requirement", "open")) == {cover}
    assert set(_ids(desk, "requirement", text="saturday")) == {cover}  # what it needs
    assert set(_ids(desk, "requirement", text="offsite")) == {backup}  # its title


def test_the_age_sort_puts_the_oldest_first(desk, clock):
    spec = spec_for("requirement")
    made = []
    for n in range(3):
        made.append(flow.raise_requirement(desk, "ops", title=f"Need {n}").id)
        clock.advance(minutes=2)
    flow.reject_requirement(desk, "ops", made[0], reason="no")  # the oldest, changed last
    f = spec.make_filter("all", ParsedFilter())
    assert spec.window(f, spec.context(desk, "ops"), "age", 0, 10, False) == made


def test_a_draft_shows_its_name_in_each_language_or_the_one_it_has(desk):
    email = flow.open_draft(desk, "catm", code="email")
    entry = json.loads(CatalogueDraft.get_by_id(email).entry)
    row = spec_for("catalogue_draft").rows(desk, [email])[0]
    assert entry["name_en"] != entry["name_zh"]
    assert (row.name("en"), row.name("zh")) == (entry["name_en"], entry["name_zh"])
    english_only = row._replace(name_zh="")
    assert english_only.name("zh") == entry["name_en"]


def test_a_draft_whose_entry_cannot_be_read_is_listed_and_found_by_its_code_in_the_order_asked(desk):
    email = flow.open_draft(desk, "catm", code="email")
    broken = flow.open_draft(desk, "catm", code="database")
    CatalogueDraft.update(entry="{not json").where(CatalogueDraft.id == broken).execute()
    rows = spec_for("catalogue_draft").rows(desk, [broken, email])
    assert [(r.id, r.code, r.name("en")) for r in rows][0] == (broken, "database", "")
    assert [r.id for r in rows] == [broken, email]
    assert _ids(desk, "catalogue_draft", text="databa") == [broken]  # still found by its code


def test_the_text_finds_drafts_by_the_words_of_their_entry_not_its_field_names(desk):
    email = flow.open_draft(desk, "catm", code="email")
    flow.open_draft(desk, "catm", code="database")
    entry = json.loads(CatalogueDraft.get_by_id(email).entry)
    for field in ("name_en", "targets", "summary_zh"):  # the entry's keys: in every draft's JSON
        assert field in entry and _ids(desk, "catalogue_draft", text=field) == []
    assert _ids(desk, "catalogue_draft", text=entry["name_zh"][:2]) == [email]  # a word of its Chinese name
    assert _ids(desk, "catalogue_draft", text=entry["name_en"].upper()) == [email]  # the case aside
