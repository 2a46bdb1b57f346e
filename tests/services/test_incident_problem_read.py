"""An incident's detail read names the problem it is linked to (issue 18): (id, title, status) from
the one joined detail query, in its JSON as `problem`; None once unlinked or never linked."""

from desk.services import incidents, problems


def test_the_detail_names_the_linked_problem_and_follows_its_status_and_unlinking(desk):
    linked = incidents.create(desk, "li", title="VPN drops", impact=2, urgency=2)
    alone = incidents.create(desk, "li", title="Printer jams", impact=3, urgency=3)
    p = problems.create(desk, "li", title="VPN tunnel resets", incidents_=[linked.id])
    assert incidents.get(desk, linked.id).problem == (p.id, "VPN tunnel resets", "new")
    assert incidents.get(desk, linked.id, with_history=False).problem == (p.id, "VPN tunnel resets", "new")
    assert incidents.get(desk, alone.id).problem is None
    problems.investigate(desk, "lead", p.id)
    got = incidents.get(desk, linked.id)
    assert got.problem[2] == "under_investigation"
    assert got.to_json()["problem"] == {"id": p.id, "title": "VPN tunnel resets", "status": "under_investigation"}
    assert incidents.get(desk, alone.id).to_json()["problem"] is None
    problems.unlink(desk, "li", p.id, [linked.id])
    assert incidents.get(desk, linked.id).problem is None
