"""What the "raise a problem" form offers (desk/services/problem_raise.py) through the real
database, each rule a removed or inverted line would let pass (issue 19;
tools/mutants/services_problem_raise.toml): the links of the marked incidents only, and the
problems to link to most urgent first, the newest first among equals, at most the limit."""

from __future__ import annotations

from desk.services import incidents, problem_raise, problems


def incident(desk, title):
    return incidents.create(desk, "li", title=title, impact=3, urgency=3, category="network", service="network")


def test_the_form_names_the_links_of_the_marked_incidents_only(desk):
    a, b, other = incident(desk, "VPN drops"), incident(desk, "VPN slow"), incident(desk, "VPN again")
    held = problems.create(desk, "li", title="VPN", incidents_=[b.id, other.id])
    assert problem_raise.defaults(desk, [a.id, b.id]).linked == ((b.id, held.id),)


def test_the_picker_offers_the_most_urgent_first_the_newest_among_equals_up_to_its_limit(desk):
    minor_old = problems.create(desk, "li", title="minor, older", impact=3, urgency=3)
    urgent = problems.create(desk, "li", title="urgent", impact=1, urgency=1)
    minor_new = problems.create(desk, "li", title="minor, newer", impact=3, urgency=3)
    assert [p.id for p in problem_raise.link_choices(desk)] == [urgent.id, minor_new.id, minor_old.id]
    assert [p.id for p in problem_raise.link_choices(desk, limit=2)] == [urgent.id, minor_new.id]
