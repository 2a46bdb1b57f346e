"""The change calendar and the catalogue's change check at their edges (issue 19), on a real
database: a change on the days (and the week) its window covers and no other, conflicts only with
other changes on the calendar, and every status a change is approved in for a publication."""

from datetime import datetime, timedelta

import pytest

from desk.domain.errors import InvalidTransition, NotFound
from desk.services import change_calendar, changes

MONDAY = datetime(2026, 11, 30)  # 2026-W49
SHANGHAI = timedelta(hours=8)  # the shipped [sla] timezone: the calendar's days are its own


def typed(moment: datetime) -> datetime:
    """A time as a user in Asia/Shanghai types it, as the desk stores it (UTC)."""
    return moment - SHANGHAI


def awaiting(desk, services="network", title="Upgrade VPN firmware", **kw):
    c = changes.create(desk, "wang", title=title, reason="tunnels drop", services=services,
                       implementation_plan="upgrade", backout_plan="downgrade", **kw)
    c = changes.submit(desk, "wang", c.id)
    return changes.assess(desk, "ops", c.id, risk="medium", impact="VPN down 10 minutes")


def scheduled(desk, start, hours, services="network", title="x"):
    c = changes.approve(desk, "appr", awaiting(desk, services, title).id)
    return changes.schedule(desk, "wang", c.id, start=typed(start), end=typed(start + timedelta(hours=hours)))


def on_days(cal):
    return [[e.change.title for e in day.entries] for day in cal.days]


def test_a_change_is_on_the_days_its_window_covers_and_no_other(desk):
    scheduled(desk, MONDAY - timedelta(hours=2), 2, title="ends as the week starts")
    scheduled(desk, MONDAY + timedelta(hours=22), 2, title="ends at midnight")
    scheduled(desk, MONDAY + timedelta(days=1), 1, title="starts at midnight")
    scheduled(desk, MONDAY + timedelta(days=7), 1, title="starts as the next week starts")
    assert on_days(change_calendar.calendar(desk, "2026-W49")) == [
        ["ends at midnight"], ["starts at midnight"], [], [], [], [], []]
    assert on_days(change_calendar.calendar(desk, "2026-W50"))[0] == ["starts as the next week starts"]
    assert on_days(change_calendar.calendar(desk, "2026-W48"))[6] == ["ends as the week starts"]


def test_scheduling_warns_only_about_other_changes_on_the_calendar(desk):
    a = scheduled(desk, MONDAY + timedelta(hours=22), 2, title="a")
    assert change_calendar.conflicts_of(desk, a.id) == []  # not with itself
    rejected = awaiting(desk, planned_start=typed(MONDAY + timedelta(hours=22)),
                        planned_end=typed(MONDAY + timedelta(hours=23)))
    changes.reject(desk, "appr", rejected.id, note="not now")
    assert change_calendar.conflicts_of(desk, a.id) == []  # a rejected change is no conflict
    b = scheduled(desk, MONDAY + timedelta(hours=23), 2, title="b")
    assert change_calendar.conflicts_of(desk, a.id) == [(b.id, "network")]
    with pytest.raises(NotFound):
        change_calendar.conflicts_of(desk, 999)


def test_a_change_is_approved_for_a_publication_while_scheduled_implementing_and_closed_having_succeeded(desk):
    c = scheduled(desk, MONDAY + timedelta(hours=22), 1, services="email")
    assert change_calendar.change_approved_for(desk, c.id, "email").id == c.id
    c = changes.start(desk, "wang", c.id)
    assert change_calendar.change_approved_for(desk, c.id, "email").id == c.id
    c = changes.review(desk, "wang", c.id, outcome="successful")
    c = changes.close(desk, "appr", c.id, review="went to plan")
    assert c.status == "closed"
    assert change_calendar.change_approved_for(desk, c.id, "email").id == c.id
    assert [r.id for r in change_calendar.approved_for(desk, "email")] == [c.id]
    with pytest.raises(InvalidTransition):  # approved for what it names only
        change_calendar.change_approved_for(desk, c.id, "network")


def test_the_publish_form_offers_at_most_its_limit_newest_first(desk):
    made = [changes.approve(desk, "appr", awaiting(desk, "email").id).id for _ in range(3)]
    assert [r.id for r in change_calendar.approved_for(desk, "email", limit=2)] == made[:0:-1]


def test_a_publication_needs_no_change_unless_the_config_says_so(desk):
    desk.config.data["change"] = {k: v for k, v in desk.config.data.get("change", {}).items()
                                  if k != "publication_requires_change"}  # a config that does not say
    assert change_calendar.publication_requires_change(desk) is False
    desk.config.data["change"]["publication_requires_change"] = True
    assert change_calendar.publication_requires_change(desk) is True


def test_a_change_running_into_the_next_week_is_marked_for_the_conflicts_it_has_there(desk):
    """It was shown unmarked: its conflicts were looked for among this week's changes only."""
    sunday = MONDAY + timedelta(days=6)
    into = scheduled(desk, sunday + timedelta(hours=23), 4, title="into next week")  # to Monday 03:00
    there = scheduled(desk, MONDAY + timedelta(days=7), 2, title="next Monday")
    before = scheduled(desk, MONDAY - timedelta(hours=2), 3, title="from last week")  # Sunday 22:00 to 01:00
    ended = scheduled(desk, MONDAY - timedelta(hours=1), 1, title="ends as the week starts")
    week = change_calendar.calendar(desk, "2026-W49")
    assert {e.change.id: e.conflicts for e in week.days[6].entries} == {into.id: ((there.id, "network"),)}
    assert {e.change.id: e.conflicts for e in week.days[0].entries} == {before.id: ((ended.id, "network"),)}
    assert set(week.conflicts) == {into.id, before.id}  # the changes on this week only
    assert set(change_calendar.calendar(desk, "2026-W50").conflicts) == {into.id, there.id}
