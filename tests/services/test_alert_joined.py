"""The intake names the incidents repeats and clears went to (`Intake.joined`), so that `desk alert`
can say which incident one alert given as flags joined or cleared (walkD)."""

from __future__ import annotations

from desk.services import alerts, incidents
from desk.services.alert_payloads import AlertIn


def alert(fingerprint="db01-disk", cleared=False):
    return AlertIn("zabbix", fingerprint, "critical", "db01", "", "disk 95% full", "", cleared, 0)


def test_a_repeat_and_a_clear_name_their_incident(desk):
    opened = alerts.ingest(desk, "admin", [alert()]).opened
    assert alerts.ingest(desk, "admin", [alert()]).joined == opened
    assert alerts.ingest(desk, "admin", [alert(cleared=True)]).joined == opened
    assert alerts.ingest(desk, "admin", [alert("other", cleared=True)]).joined == []


def test_a_clear_after_the_incident_was_resolved_names_it_too(desk):
    [incident_id] = alerts.ingest(desk, "admin", [alert()]).opened
    incidents.resolve(desk, "admin", incident_id, code="fixed", note="disk cleaned")
    result = alerts.ingest(desk, "admin", [alert(cleared=True)])
    assert (result.cleared, result.joined) == (1, [incident_id])
