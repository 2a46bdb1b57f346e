"""Problem candidates on a hand-built dataset: recurring incidents (same service and category, or
the same alert fingerprint) above the configured count in the window, none linked to a problem."""

from datetime import timedelta

import pytest
from peewee import CharField, ForeignKeyField

from desk.domain.errors import ValidationError
from desk.models import Incident
from desk.models.base import BaseModel
from desk.services import incidents, problem_candidates, problems
from reliability.helpers import run_cli


def make(desk, clock, n, service, category, *, days_ago=1, classification="incident"):
    """n incidents opened `days_ago` days before the clock's now, an hour apart."""
    now = clock.now
    made = []
    for i in range(n):
        clock.now = now - timedelta(days=days_ago, hours=i)
        made.append(incidents.create(desk, "li", title=f"{service} {category} {i}", impact=3, urgency=3,
                                     service=service, category=category, classification=classification).id)
    clock.now = now
    return made


@pytest.fixture
def dataset(desk, clock):
    clock.advance(days=60)
    ids = {
        "vpn": make(desk, clock, 5, "network", "network"),  # a candidate: 5 of them
        "mail": make(desk, clock, 3, "email", "application", days_ago=29),  # exactly the minimum, at the window's edge
        "printers": make(desk, clock, 2, "desktop", "hardware"),  # below the minimum
        "old": make(desk, clock, 6, "database", "database", days_ago=31),  # outside the window
        "requests": make(desk, clock, 4, "accounts", "account", classification="service_request"),  # not incidents
        "linked": make(desk, clock, 4, "core-banking", "application"),  # 3 of 4 linked below: 1 left
    }
    ids["mixed"] = make(desk, clock, 2, "network", "hardware") + make(desk, clock, 1, "email", "hardware")
    problems.create(desk, "li", title="core banking timeouts", incidents_=ids["linked"][:3])
    ids["no_service"] = [incidents.create(desk, "li", title="no service", impact=3, urgency=3, category="network").id
                         for _ in range(4)]  # the same category, but no service to share
    return ids


def test_candidates_are_the_recurring_unlinked_incidents_in_the_window(desk, dataset):
    found = problem_candidates.candidates(desk)  # config: at least 3 in 30 days
    assert [(c.service, c.category, c.count) for c in found] == [("network", "network", 5),
                                                                  ("email", "application", 3)]
    vpn = found[0]
    assert vpn.incident_ids == tuple(dataset["vpn"])  # the newest first (make() goes back an hour at a time)
    assert vpn.last_at - vpn.first_at == timedelta(hours=4) and vpn.fingerprint is None


def test_the_window_and_the_minimum_are_settings_and_options(desk, dataset):
    wider = problem_candidates.candidates(desk, days=40)
    assert ("database", "database", 6) in [(c.service, c.category, c.count) for c in wider]
    lower = problem_candidates.candidates(desk, minimum=2)
    assert [(c.service, c.category, c.count) for c in lower] == [
        ("network", "network", 5), ("email", "application", 3), ("desktop", "hardware", 2),
        ("network", "hardware", 2)]
    assert problem_candidates.candidates(desk, minimum=6) == []
    with pytest.raises(ValidationError):
        problem_candidates.candidates(desk, minimum=1)
    with pytest.raises(ValidationError):
        problem_candidates.candidates(desk, days=0)


def test_linking_the_incidents_to_a_problem_takes_them_off_the_list(desk, dataset):
    problems.create(desk, "li", title="VPN", incidents_=dataset["vpn"][:3])
    assert [(c.service, c.count) for c in problem_candidates.candidates(desk)] == [("email", 3)]


def test_the_cli_lists_them(desk, dataset, db_url):
    out = run_cli("problem", "candidates", "--days", "3650", db=db_url)  # the CLI's clock is the real one
    assert out.returncode == 0, out.stderr
    lines = out.stdout.decode().splitlines()
    assert [line.split()[0] for line in lines[1:-1]] == ["6", "5", "3"]
    assert lines[-1] == "Times in Asia/Shanghai."  # (the first and last times are the desk's)
    assert "Office network and VPN" in lines[2] and " ".join(f"#{i}" for i in dataset["vpn"]) in lines[2]
    zh = run_cli("--lang", "zh", "problem", "candidates", "--min", "50", db=db_url)
    assert zh.returncode == 0 and zh.stdout.decode().strip() == "此时间段内没有尚未关联问题的重复事件"


class FakeAlert(BaseModel):
    """The shape of the alerts branch's table (issue 17): a fingerprint per incident it opened or joined."""

    fingerprint = CharField()
    incident = ForeignKeyField(Incident, on_delete="RESTRICT")


def test_the_alert_fingerprint_hook_groups_across_services(desk, clock):
    FakeAlert.create_table()
    clock.advance(days=1)
    ids = make(desk, clock, 2, "network", "network") + make(desk, clock, 2, "email", "application")
    for incident_id in ids:
        FakeAlert.create(fingerprint="disk-full:db01", incident=incident_id)
    FakeAlert.create(fingerprint="disk-full:db01", incident=ids[0])  # a repeat joining an incident: counted once
    FakeAlert.create(fingerprint="cpu:web02", incident=ids[1])
    found = problem_candidates.candidates(desk, alert_model=FakeAlert)
    assert [(c.fingerprint, c.count, c.incident_ids) for c in found] == [
        ("disk-full:db01", 4, (ids[2], ids[0], ids[3], ids[1]))]  # newest first; a tie: the later id first
    problems.create(desk, "li", title="db01 disk", incidents_=ids[:2])
    assert problem_candidates.candidates(desk, alert_model=FakeAlert) == []


def test_the_desks_own_alert_table_is_read_by_default(desk, clock):
    """Alerts of one fingerprint that came back after each incident was resolved: three incidents."""
    from desk.services import alerts
    from desk.services.alert_payloads import AlertIn

    clock.advance(days=1)
    made = []
    for _ in range(3):
        alerts.ingest(desk, "admin", [AlertIn("zabbix", "cpu-web02", "high", "web02", "", "cpu 99%", "", False)])
        made.append(Incident.select(Incident.id).order_by(Incident.id.desc()).scalar())
        incidents.resolve(desk, "admin", made[-1], code="fixed", note="killed the runaway job")
        clock.advance(minutes=10)
    found = [c for c in problem_candidates.candidates(desk) if c.fingerprint]
    assert [(c.fingerprint, c.count, sorted(c.incident_ids)) for c in found] == [("cpu-web02", 3, sorted(made))]
