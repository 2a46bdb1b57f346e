"""The alert payload rules test_alerts.py did not tell apart (issue 19,
tools/mutants/services_alert_payloads.toml): which fingerprint an alert gets — one open incident per
fingerprint, so two alerts that share one by mistake are merged into one ticket — whether it has
cleared, and which lines are refused rather than read as an empty alert."""

from __future__ import annotations

import json

import pytest

from desk.config import load_config
from desk.services.alert_payloads import LineError, from_flags, parse_line

FORMATS = load_config().data["alerts"]["formats"]


def one(payload: dict):
    (got,) = parse_line(json.dumps(payload), FORMATS, 1)
    return got


def test_a_fingerprint_of_spaces_is_made_from_the_labels_and_keeps_two_alerts_apart():
    disk = {"status": "firing", "fingerprint": "  ", "labels": {"alertname": "DiskFull", "instance": "db01"}}
    load = {"status": "firing", "fingerprint": "  ", "labels": {"alertname": "Load", "instance": "web1"}}
    assert one(disk).fingerprint.strip() and one(disk).fingerprint != one(load).fingerprint


def test_an_alert_whose_fingerprint_values_are_all_blank_is_refused():
    with pytest.raises(LineError) as refused:
        parse_line(json.dumps({"notification_type": "PROBLEM", "host": "  ", "service": " "}), FORMATS, 4)
    assert refused.value.key == "alerts.line.no_fingerprint"
    assert "host, service" in refused.value.message("en")


def test_two_monitoring_systems_never_share_a_made_fingerprint():
    zabbix = one({"trigger_id": "web1", "host": "HTTP", "status": "PROBLEM"})  # fingerprint_from: trigger_id, host
    nagios = one({"notification_type": "PROBLEM", "host": "web1", "service": "HTTP"})  # host, service
    assert (zabbix.source, nagios.source) == ("zabbix", "nagios")
    assert zabbix.fingerprint != nagios.fingerprint


def test_the_values_of_a_made_fingerprint_are_kept_apart():
    a = one({"notification_type": "PROBLEM", "host": "web", "service": "1HTTP"})
    b = one({"notification_type": "PROBLEM", "host": "web1", "service": "HTTP"})
    assert a.fingerprint != b.fingerprint


def test_a_desk_shaped_line_names_its_own_source():
    got = one({"source": "prtg", "fingerprint": "sensor-12", "summary": "ping lost"})
    assert (got.source, got.fingerprint) == ("prtg", "sensor-12")
    assert one({"fingerprint": "sensor-12"}).source == "desk"  # none named: the shape's own


@pytest.mark.parametrize("status", ["Recovery", "RECOVERY", " recovery ", "recovery\n"])
def test_a_recovery_clears_whatever_its_case_and_spacing(status):
    assert one({"notification_type": status, "host": "web1", "service": "HTTP"}).cleared


def test_a_problem_does_not_clear():
    assert not one({"notification_type": "PROBLEM", "host": "web1", "service": "HTTP"}).cleared


def test_true_and_false_read_as_json_spells_them():
    got = one({"fingerprint": "f", "summary": True, "details": False})
    assert (got.summary, got.details) == ("true", "false")


def test_a_long_severity_is_cut_to_what_the_column_holds():
    assert one({"fingerprint": "f", "severity": "x" * 300}).severity == "x" * 200


def test_a_fingerprint_of_255_characters_is_kept():
    assert one({"fingerprint": "f" * 255}).fingerprint == "f" * 255


@pytest.mark.parametrize("payload", [{"alerts": [{"labels": {"alertname": "A"}}, "not an alert"]},
                                     {"alerts": [1, 2]}])
def test_an_alert_list_with_an_item_that_is_not_an_object_is_refused(payload):
    with pytest.raises(LineError) as refused:
        parse_line(json.dumps(payload), FORMATS, 3)
    assert refused.value.key == "alerts.line.not_object"


def test_an_alerts_key_that_is_not_a_list_is_one_alert_not_a_list():
    got = one({"alerts": {"labels": "x"}, "fingerprint": "f1", "summary": "odd payload"})
    assert (got.source, got.fingerprint, got.summary) == ("desk", "f1", "odd payload")


def test_desk_alert_flags_keep_the_source_given_and_a_resolved_status_clears():
    got = from_flags("prtg", "sensor-12", "critical", "db01", None, "ping lost", None, "resolved", FORMATS)
    assert (got.source, got.fingerprint, got.host, got.cleared) == ("prtg", "sensor-12", "db01", True)
    assert not from_flags("prtg", "sensor-12", None, None, None, None, None, None, FORMATS).cleared
