"""Edges of a report's SLA attainment (desk/services/report_sla.py) that a removed or inverted line
would let pass (issue 19; tools/mutants/services_report_sla.toml). October 2026 on the desk's
Asia/Shanghai calendar is 2026-09-30 16:00 -> 2026-10-31 16:00 UTC; priority 3 is due 1440 minutes
after opening on the default 24x7 calendar."""

from __future__ import annotations

from datetime import datetime, timedelta

from desk.services import incidents, report_sla

START, END = datetime(2026, 9, 30, 16, 0), datetime(2026, 10, 31, 16, 0)


def _p3(desk, clock, when: datetime) -> int:
    clock.now = when
    return incidents.create(desk, "li", title=f"opened {when}", impact=3, urgency=2).id


def test_an_incident_resolved_at_the_periods_first_instant_is_in_it(desk, clock):
    i = _p3(desk, clock, START - timedelta(hours=1))
    clock.now = START
    incidents.resolve(desk, "li", i, code="fixed", note="ok")
    assert report_sla.incidents(desk, START, END, now=END)["met"] == 1


def test_a_due_time_not_reached_when_the_report_is_made_is_not_past_due(desk, clock):
    _p3(desk, clock, datetime(2026, 10, 9, 2, 0))  # due 10 October 02:00
    found = report_sla.incidents(desk, START, END, now=datetime(2026, 10, 9, 12, 0))
    assert found["open_past_due"] == 0 and found["rows"] == []


def test_an_incident_resolved_before_the_period_but_due_in_it_has_no_row(desk, clock):
    i = _p3(desk, clock, datetime(2026, 9, 30, 10, 0))  # due 1 October 10:00 UTC, in October
    clock.now = datetime(2026, 9, 30, 12, 0)
    incidents.resolve(desk, "li", i, code="fixed", note="ok")  # in September
    assert report_sla.incidents(desk, START, END, now=END)["rows"] == []



def _p2_request(desk, clock, when: datetime) -> int:
    from desk.services import requests

    clock.now = when
    r = requests.create(desk, "li", title=f"request at {when}", checked=["all"], priority=2, accept=True)
    return r.id


def test_a_request_due_in_the_period_and_cancelled_after_it_was_open_past_due(desk, clock):
    """Not finished by the period's end: the cancellation in November does not take it out of
    October's open past due (it was neither resolved nor closed then)."""
    from desk.services import requests

    r = _p2_request(desk, clock, datetime(2026, 10, 20, 2, 0))  # due 20 October 10:00 UTC (480 minutes)
    clock.now = END + timedelta(days=2)
    requests.cancel(desk, "li", r, reason="no longer needed")
    found = report_sla.requests(desk, START, END, now=END + timedelta(days=3))
    assert (found["open_past_due"], found["met"], found["breached"]) == (1, 0, 0)


def test_a_request_resolved_without_a_due_time_stays_out_of_the_rate(desk, clock):
    """A desk upgraded to schema 12 stores no due time for the requests it had already resolved
    (step 12 adds the column empty and gives open requests their clocks): they count as resolved
    without a target, and the rate is met over met and breached alone."""
    from desk.models import ServiceRequest
    from desk.services import requests

    ids = [_p2_request(desk, clock, datetime(2026, 10, day, 2, 0)) for day in (5, 6)]
    for i in ids:
        requests.dispatch(desk, "li", i, to="chen")
        clock.now = ServiceRequest.get_by_id(i).due_at - timedelta(hours=1)
        requests.resolve(desk, "chen", i, note="done", outcome="succeeded")
    ServiceRequest.update(due_at=None).where(ServiceRequest.id == ids[0]).execute()  # resolved before the upgrade
    found = report_sla.requests(desk, START, END, now=END)
    assert (found["met"], found["no_target"], found["attainment_rate"]) == (1, 1, 1.0)
    assert (found["rows"][0]["met"], found["rows"][0]["no_target"], found["rows"][0]["attainment_rate"]) == (1, 1, 1.0)


def test_an_incident_resolved_while_held_is_met_not_without_a_target(desk, clock):
    """Held for the vendor and resolved before anyone resumed it: the hold ends with the clock, and
    the due time it then has (the target net of the hold) is stored, so the report counts it met."""
    from desk.models import Incident
    from desk.services import sla_hold

    i = _p3(desk, clock, datetime(2026, 10, 9, 2, 0))
    clock.now = datetime(2026, 10, 9, 3, 0)
    sla_hold.hold_incident(desk, "li", i, reason="vendor", note="waiting for the carrier")
    clock.now = datetime(2026, 10, 9, 5, 0)
    incidents.resolve(desk, "li", i, code="fixed", note="carrier fixed the line")
    assert Incident.get_by_id(i).due_at == datetime(2026, 10, 10, 4, 0)  # 1440 minutes, two of them held
    found = report_sla.incidents(desk, START, END, now=END)
    assert (found["met"], found["no_target"], found["attainment_rate"]) == (1, 0, 1.0)
