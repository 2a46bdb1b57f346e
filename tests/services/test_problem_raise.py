"""What the TUI's problem form offers, read from the database: the title, category and service a
new problem takes from its incidents (shared values only), the incidents linked already, and the
problems incidents may be linked to (open or resolved, never closed)."""

from desk.services import incidents, problem_raise, problems


def incident(desk, title, **kw):
    args = {"impact": 3, "urgency": 3, "category": "network", "service": "network"}
    args.update(kw)
    return incidents.create(desk, "li", title=title, **args)


def test_the_form_takes_the_first_title_and_only_what_the_incidents_share(desk):
    a = incident(desk, "VPN drops")
    b = incident(desk, "VPN slow")
    c = incident(desk, "Printer", category="hardware", service="desktop")
    same = problem_raise.defaults(desk, [b.id, a.id])
    assert (same.title, same.category, same.service, same.linked) == ("VPN drops", "network", "network", ())
    mixed = problem_raise.defaults(desk, [a.id, c.id])
    assert (mixed.title, mixed.category, mixed.service) == ("VPN drops", "", "")
    assert problem_raise.defaults(desk, []).title == ""


def test_the_form_names_incidents_linked_already(desk):
    a = incident(desk, "VPN drops")
    b = incident(desk, "VPN slow")
    held = problems.create(desk, "li", title="VPN", incidents_=[b.id])
    assert problem_raise.defaults(desk, [a.id, b.id]).linked == ((b.id, held.id),)


def test_the_picker_offers_open_and_resolved_problems_never_closed_ones(desk):
    open_ = problems.create(desk, "li", title="open one", impact=1, urgency=1)
    done = problems.create(desk, "li", title="closed one")
    problems.investigate(desk, "wang", done.id)
    problems.root_cause(desk, "wang", done.id, text="cause")
    resolved = problems.resolve(desk, "wang", done.id, fix="fixed it")
    offered = {p.id for p in problem_raise.link_choices(desk)}
    assert offered == {open_.id, resolved.id}
    problems.close(desk, "lead", done.id)
    choices = problem_raise.link_choices(desk)
    assert [p.id for p in choices] == [open_.id]
    assert choices[0].title == "open one"


def test_shared_is_the_one_common_value():
    assert problem_raise.shared(["a", "a"]) == "a"
    assert problem_raise.shared(["a", "b"]) is None
    assert problem_raise.shared([]) is None
