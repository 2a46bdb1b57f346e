"""SLA attainment in a report (docs/kpi.md): per service and priority, from each incident's stored
due time and its resolution time, by desk.domain.sla's rule — resolved at or before the target is
met, resolved after it (even by a second) is breached.

October 2026 on the desk's Asia/Shanghai calendar is 2026-09-30 16:00 → 2026-10-31 16:00 UTC.
"""

from datetime import datetime, timedelta

import pytest

from desk.domain import sla as sla_rule
from desk.models import Incident
from desk.report_render import markdown
from desk.services import incidents, reports

OCT = "2026-10"


def _due(incident_id: int) -> datetime:
    return Incident.get_by_id(incident_id).due_at


def _new(desk, clock, when: datetime, impact=3, urgency=2, **kw) -> int:
    clock.now = when
    return incidents.create(desk, "li", title=f"incident at {when}", impact=impact, urgency=urgency, **kw).id


def _resolve_at(desk, clock, incident_id: int, when: datetime) -> None:
    clock.now = when
    incidents.resolve(desk, "li", incident_id, code="fixed", note="ok")


def _sla(desk, clock):
    clock.now = datetime(2026, 11, 10, 9, 0)
    return reports.generate(desk, "repw", "customer-monthly", OCT).figures["sections"]["sla"]


@pytest.fixture
def october(desk, clock):
    """P3 incidents without a service (the default 24x7 calendar: due 1440 minutes after opening):
    on time to the second, one second late, a minute early; one with the email service, late; one
    opened in September (its 30th in Shanghai) and resolved in October on time; one due in October
    but resolved in November (open past due at October's end, not met or breached in October); one
    still open past its due time; one still open whose due time is in November."""
    ids = {}
    for name, day in (("exact", 2), ("late_1s", 3), ("early", 4), ("from_sept", None), ("november", 30),
                      ("open_late", 10), ("open_not_due", 31)):
        opened = datetime(2026, 9, 30, 10, 0) if day is None else datetime(2026, 10, day, 2, 0)
        ids[name] = _new(desk, clock, opened)
    ids["email"] = _new(desk, clock, datetime(2026, 10, 12, 2, 0), impact=2, urgency=2, service="email")
    due = {name: _due(i) for name, i in ids.items()}
    _resolve_at(desk, clock, ids["exact"], due["exact"])
    _resolve_at(desk, clock, ids["late_1s"], due["late_1s"] + timedelta(seconds=1))
    _resolve_at(desk, clock, ids["early"], due["early"] - timedelta(minutes=1))
    _resolve_at(desk, clock, ids["from_sept"], datetime(2026, 10, 1, 1, 0))
    _resolve_at(desk, clock, ids["email"], due["email"] + timedelta(hours=3))
    _resolve_at(desk, clock, ids["november"], datetime(2026, 11, 2, 3, 0))
    return ids, due


def test_due_times_are_the_default_targets_on_a_24x7_calendar(october):
    ids, due = october
    opened = Incident.get_by_id(ids["exact"]).opened_at
    assert due["exact"] == opened + timedelta(minutes=1440)  # priority 3's resolve_minutes
    assert due["open_not_due"] > datetime(2026, 10, 31, 16, 0)  # falls in November


def test_met_and_breached_per_service_and_priority(october, desk, clock):
    ids, _due_times = october
    s = _sla(desk, clock)
    assert s["available"] is True and s["requests"]["rows"] == []
    found = s["incidents"]
    # met: exact (at the target), early, from_sept; breached: late_1s, email;
    # open past due at the end: open_late, november (resolved after the period)
    assert (found["met"], found["breached"], found["open_past_due"], found["no_target"]) == (3, 2, 2, 0)
    assert found["attainment_rate"] == round(3 / 5, 4)
    rows = {(r["service"], r["priority"]): r for r in found["rows"]}
    assert set(rows) == {("", "3"), ("email", "2")}
    assert (rows[("", "3")]["met"], rows[("", "3")]["breached"], rows[("", "3")]["open_past_due"]) == (3, 1, 2)
    assert rows[("", "3")]["attainment_rate"] == 0.75
    email = rows[("email", "2")]
    assert (email["met"], email["breached"], email["attainment_rate"], email["name_en"]) == (0, 1, 0.0,
                                                                                             "Email and calendar")


def test_the_boundary_is_the_domain_rule(october, desk):
    """Each resolved October incident's verdict is desk.domain.sla's for the same target."""
    ids, due = october
    for name in ("exact", "late_1s", "early", "from_sept"):
        row = Incident.get_by_id(ids[name])
        target = sla_rule.Targets(0, int((due[name] - row.opened_at).total_seconds() // 60))
        state = sla_rule.sla_state(row.opened_at, row.resolved_at, target, row.resolved_at).state
        assert state == (sla_rule.BREACHED if name == "late_1s" else sla_rule.MET), name


def test_resolved_one_second_late_is_breached_not_met(desk, clock):
    i = _new(desk, clock, datetime(2026, 10, 5, 2, 0))
    _resolve_at(desk, clock, i, _due(i) + timedelta(seconds=1))
    found = _sla(desk, clock)["incidents"]
    assert (found["met"], found["breached"], found["attainment_rate"]) == (0, 1, 0.0)


def test_resolved_at_the_target_is_met(desk, clock):
    i = _new(desk, clock, datetime(2026, 10, 5, 2, 0))
    _resolve_at(desk, clock, i, _due(i))
    found = _sla(desk, clock)["incidents"]
    assert (found["met"], found["breached"], found["attainment_rate"]) == (1, 0, 1.0)


def test_a_period_without_incidents_has_no_rate(desk, clock):
    none = {"met": 0, "breached": 0, "no_target": 0, "open_past_due": 0, "attainment_rate": None, "rows": []}
    sla = _sla(desk, clock)
    assert sla["incidents"] == none and sla["requests"] == none


def _request(desk, clock, when: datetime) -> int:
    from desk.services import requests

    clock.now = when
    r = requests.create(desk, "li", title=f"request at {when}", checked=["all"], priority=2)
    requests.accept(desk, "li", r.id)
    requests.dispatch(desk, "li", r.id, to="chen")
    return r.id


def test_requests_by_the_same_rule_from_their_stored_due_time(desk, clock):
    """Requests without a service (24x7; priority 2: 480 minutes): resolved at the due time is met,
    a second later breached; one cancelled after its due time is not open past due, one still open is."""
    from desk.models import ServiceRequest
    from desk.services import requests

    ids = [_request(desk, clock, datetime(2026, 10, day, 2, 0)) for day in (5, 6, 7, 8)]
    due = {i: ServiceRequest.get_by_id(i).due_at for i in ids}
    assert due[ids[0]] == datetime(2026, 10, 5, 10, 0)
    clock.now = due[ids[0]]
    requests.resolve(desk, "chen", ids[0], note="done", outcome="succeeded")
    clock.now = due[ids[1]] + timedelta(seconds=1)
    requests.resolve(desk, "chen", ids[1], note="done", outcome="succeeded")
    clock.now = due[ids[2]] + timedelta(hours=1)
    requests.cancel(desk, "li", ids[2], reason="no longer needed")
    found = _sla(desk, clock)["requests"]
    assert (found["met"], found["breached"], found["open_past_due"], found["attainment_rate"]) == (1, 1, 1, 0.5)
    assert [(r["service"], r["priority"]) for r in found["rows"]] == [("", "2")]


def test_the_section_renders_in_both_languages(october, desk, clock):
    clock.now = datetime(2026, 11, 10, 9, 0)
    view = reports.generate(desk, "repw", "customer-monthly", OCT)
    en, zh = markdown(view, "en", desk.config), markdown(view, "zh", desk.config)
    assert "| Attainment rate | 60.0% |" in en and "| 达成率 | 60.0% |" in zh
    assert "| Email and calendar | Important | 0 | 1 | 0.0% | 0 | 0 |" in en
    assert "| 邮件与日历 | 重要 |" in zh
    assert "**Service requests**" in en and "**服务请求**" in zh
