"""Knowledge articles: search finds what the desk needs at 200.4; drafting needs the permission,
links the article to the incident and leaves a note in the incident's history."""

from __future__ import annotations

import pytest

from desk.domain.errors import NotAllowed, NotFound, ValidationError
from desk.services import history, incidents, knowledge


def _incident(desk, title="VPN drops every hour"):
    return incidents.create(desk, "li", title=title, impact=2, urgency=2, caller="Ann")


def test_draft_creates_a_draft_that_search_finds(desk):
    art = knowledge.draft(desk, "li", title="Reset a VPN token", body="Open the portal, choose Reset.")
    assert art.status == "draft" and art.author == "li"
    found = knowledge.search(desk, "vpn TOKEN")
    assert [a.id for a in found] == [art.id]
    assert knowledge.search(desk, "vpn", include_drafts=False) == []
    assert knowledge.search(desk, "printer") == []


def test_search_matches_every_word_in_title_or_body_published_first(desk, clock):
    first = knowledge.draft(desk, "li", title="Printer jams", body="Open tray 2 and remove the paper.")
    clock.advance(minutes=1)
    second = knowledge.draft(desk, "li", title="Paper size wrong", body="Printer driver: set A4.")
    # both are drafts: the most recently updated comes first
    assert [a.id for a in knowledge.search(desk, "printer paper")] == [second.id, first.id]
    assert [a.id for a in knowledge.search(desk, "tray")] == [first.id]
    assert knowledge.get(desk, first.id).title == "Printer jams"


def test_draft_for_an_incident_links_it_and_notes_it_in_history(desk):
    inc = _incident(desk)
    art = knowledge.draft(desk, "li", title="VPN drops", body="Renew the lease.", incident_id=inc.id)
    detail = incidents.get(desk, inc.id)
    assert [a.id for a in detail.articles] == [art.id]
    last = detail.history[-1]
    assert last.action == "note" and last.actor == "li"
    assert last.changes == {"article": [None, art.id]}
    assert str(art.id) in last.note
    assert history.verify("incident", inc.id) is None
    # the history row is a change like any other: the version counts it (`desk check` holds every
    # incident's version to its number of history rows) and the row lock orders the chain
    assert detail.version == inc.version + 1
    assert [a.id for a in knowledge.for_incident(desk, inc.id)] == [art.id]


def test_draft_needs_the_permission_and_writes_nothing_when_refused(desk):
    inc = _incident(desk)
    with pytest.raises(NotAllowed):
        knowledge.draft(desk, "appr", title="x", body="y", incident_id=inc.id)
    assert knowledge.search(desk, "") == []
    assert len(incidents.get(desk, inc.id).history) == 1


def test_draft_validates_its_input(desk):
    with pytest.raises(ValidationError):
        knowledge.draft(desk, "li", title="  ", body="y")
    with pytest.raises(ValidationError):
        knowledge.draft(desk, "li", title="t", body="")
    with pytest.raises(ValidationError):
        knowledge.draft(desk, "li", title="t", body="b", faq_category="nope")
    with pytest.raises(NotFound):
        knowledge.draft(desk, "li", title="t", body="b", incident_id=999)
    assert knowledge.search(desk, "") == []
