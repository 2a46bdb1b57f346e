"""The incident queue as a kind of list (issue 19; tools/mutants/lists_incident.toml): every term of
the filter bar reaches the queue's query, and the TUI's list keeps an agent without
`incident.view_all` to their group's and their own incidents."""

from __future__ import annotations

from datetime import timedelta

from desk.domain.filter_terms import parse
from desk.lists.incident import INCIDENTS
from desk.models import Incident
from desk.services import incidents


def _ids(desk, line: str, login="admin", view="all") -> set[int]:
    parsed = parse(line, INCIDENTS.vocabulary(desk.config))
    assert not parsed.errors, parsed.errors
    ctx = INCIDENTS.context(desk, login)
    return set(INCIDENTS.window(INCIDENTS.make_filter(view, parsed), ctx, limit=100))


def test_each_term_of_the_bar_keeps_what_it_names(desk, clock):
    printer = incidents.create(desk, "li", title="Printer jams", impact=3, urgency=3, category="hardware",
                               caller="Zhang Wei").id
    vpn = incidents.create(desk, "li", title="VPN drops", impact=3, urgency=3, category="network").id
    incidents.escalate(desk, "li", vpn, to="network", reason="second line")
    incidents.assign(desk, "lead", vpn, to="wang")
    migrated = incidents.create(desk, "li", title="Old ticket", impact=3, urgency=3).id
    Incident.update(external_ref="INC0012345").where(Incident.id == migrated).execute()
    Incident.update(due_at=clock.now - timedelta(minutes=5)).where(Incident.id == printer).execute()
    Incident.update(due_at=clock.now + timedelta(days=5)).where(Incident.id != printer).execute()
    assert _ids(desk, "") == {printer, vpn, migrated}
    assert _ids(desk, "cat:hardware") == {printer}
    assert _ids(desk, "ref:INC0012345") == {migrated}
    assert _ids(desk, "breached") == {printer}
    assert _ids(desk, "a:wang") == {vpn}
    assert _ids(desk, "g:network") == {vpn}
    assert _ids(desk, "jams") == {printer}


def test_second_line_sees_only_its_group_and_its_own_in_the_tui_list(desk):
    mine = incidents.create(desk, "li", title="VPN drops", impact=3, urgency=3).id
    incidents.escalate(desk, "li", mine, to="network", reason="second line")
    desk_only = incidents.create(desk, "li", title="Printer jams", impact=3, urgency=3).id
    assert _ids(desk, "", login="wang") == {mine}
    assert _ids(desk, "", login="li") == {mine, desk_only}  # the first line sees the whole queue
