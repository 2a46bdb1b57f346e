"""`desk check` verifies problems and changes as it verifies incidents: each one's hash chain, its
status against its last status-changing history row, its version against its number of rows."""

from datetime import timedelta

from desk.services import changes, check, problems


def test_check_finds_problems_and_changes_edited_behind_desks_back(desk):
    p = problems.investigate(desk, "wang", problems.create(desk, "li", title="VPN tunnel resets").id)
    c = changes.submit(desk, "wang", changes.create(desk, "wang", title="Upgrade", reason="bug").id)
    assert check.run_check(desk).ok
    desk.db.execute_sql(f"UPDATE problem SET status = 'resolved' WHERE id = {int(p.id)}")
    desk.db.execute_sql(f"UPDATE change SET version = 7 WHERE id = {int(c.id)}")
    found = {(x.kind, x.entity, x.entity_id) for x in check.run_check(desk).problems}
    assert found == {("status", "problem", p.id), ("version", "change", c.id)}


def test_check_counts_problems_and_changes_among_the_tickets(desk, clock):
    problems.create(desk, "li", title="x")
    changes.create(desk, "wang", title="y", planned_start=clock.now, planned_end=clock.now + timedelta(hours=1))
    report = check.run_check(desk)
    assert report.ok and report.tickets == 2 and report.chains == 2
