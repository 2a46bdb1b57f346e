"""Monitoring alert intake: dedup by fingerprint onto the open incident, clears, severity mapping,
one open incident per fingerprint enforced by the database, batches written whole."""

from __future__ import annotations

import json

import pytest
from peewee import IntegrityError

from conftest import make_desk
from desk.config import load_config
from desk.db import write_transaction
from desk.domain.errors import NotAllowed
from desk.models import Alert, History, Incident
from desk.services import alerts, check, incidents
from desk.services.alert_payloads import AlertIn, LineError, parse_line


def alert(fingerprint="db01-disk", summary="disk 95% full", severity="critical", cleared=False, host="db01",
          service="", details="", line=0):
    return AlertIn("zabbix", fingerprint, severity, host, service, summary, details, cleared, line)


def only_incident():
    rows = list(Incident.select())
    assert len(rows) == 1
    return rows[0]


def actions(incident_id):
    return [h.action for h in History.select().where((History.entity == "incident")
                                                     & (History.entity_id == incident_id)).order_by(History.seq)]


def test_a_hundred_identical_alerts_in_one_batch_make_one_incident_counted_100(desk):
    result = alerts.ingest(desk, "admin", [alert() for _ in range(100)])
    inc = only_incident()
    assert (len(result.opened), result.repeated) == (1, 99)
    assert Alert.get().occurrences == 100
    assert (inc.source, inc.group.code, inc.status) == ("monitoring", "systems", "new")
    # The storm is one history row on top of the creation, not 99: the chain records each write.
    assert actions(inc.id) == ["create", "alert"]
    assert json.loads(History.get(History.seq == 2).changes) == {"occurrences": [1, 100]}
    assert inc.version == 2
    assert check.run_check(desk).ok


def test_a_hundred_identical_alerts_one_at_a_time_append_a_history_row_each(desk, clock):
    for _ in range(100):
        clock.advance(seconds=30)
        alerts.ingest(desk, "admin", [alert()])
    inc = only_incident()
    a = Alert.get()
    assert a.occurrences == 100 and a.last_seen == clock.now and a.first_seen < a.last_seen
    assert actions(inc.id) == ["create"] + ["alert"] * 99
    assert inc.version == 100 and inc.updated_at == clock.now
    assert check.run_check(desk).ok


def test_different_fingerprints_open_different_incidents(desk):
    alerts.ingest(desk, "admin", [alert("a"), alert("b"), alert("a")])
    assert Incident.select().count() == 2
    assert sorted(a.occurrences for a in Alert.select()) == [1, 2]


def test_severity_maps_to_impact_urgency_and_priority_through_config(desk):
    alerts.ingest(desk, "admin", [alert("crit", severity="CRITICAL"), alert("warn", severity="warning"),
                                  alert("odd", severity="meh")])
    got = {a.fingerprint: (a.incident.impact, a.incident.urgency, a.incident.priority) for a in Alert.select()}
    assert got["crit"] == (1, 1, 1)
    assert got["warn"] == (2, 3, 3)
    assert got["odd"] == got["warn"]  # unknown severity: default_severity ("warning")


def test_a_clear_marks_the_alert_cleared_and_leaves_the_incident_open_by_default(desk):
    alerts.ingest(desk, "admin", [alert()])
    result = alerts.ingest(desk, "admin", [alert(cleared=True, summary="")])
    inc = only_incident()
    a = Alert.get()
    assert (result.cleared, a.state, a.cleared_at is not None) == (1, "cleared", True)
    assert inc.status == "new"
    assert actions(inc.id) == ["create", "alert_cleared"]
    # It fires again: same incident, back to firing, a row saying so.
    alerts.ingest(desk, "admin", [alert()])
    a = Alert.get()
    assert (a.state, a.occurrences, Incident.select().count()) == ("firing", 2, 1)
    assert json.loads(History.select().order_by(History.id.desc()).get().changes) == {
        "alert": ["cleared", "firing"], "occurrences": [1, 2]}


def test_a_clear_with_nothing_open_is_ignored_not_an_error(desk):
    result = alerts.ingest(desk, "admin", [alert(cleared=True)])
    assert (result.ignored, result.ok, Incident.select().count()) == (1, True, 0)


def test_auto_resolve_resolves_only_when_config_says_so(tmp_path, clock, db_url):
    path = tmp_path / "auto.toml"
    path.write_text('[alerts]\nauto_resolve = true\nresolve_code = "workaround"\n', encoding="utf-8")
    desk = make_desk(db_url, clock, load_config(path))
    try:
        alerts.ingest(desk, "admin", [alert()])
        result = alerts.ingest(desk, "admin", [alert(cleared=True)])
        inc = only_incident()
        assert (result.resolved, inc.status, inc.closure_code) == (1, "resolved", "workaround")
        assert actions(inc.id) == ["create", "alert_cleared", "resolve"]
        assert check.run_check(desk).ok
    finally:
        desk.close()


def test_a_resolved_incident_releases_its_fingerprint_the_next_alert_opens_a_new_one(desk):
    first = alerts.ingest(desk, "admin", [alert()]).opened[0]
    incidents.resolve(desk, "admin", first, code="fixed", note="rebooted")
    second = alerts.ingest(desk, "admin", [alert(), alert()]).opened
    assert len(second) == 1 and second[0] != first
    old, new = Alert.select().order_by(Alert.id)
    assert (old.open_key, new.open_key, new.occurrences) == (None, "db01-disk", 2)
    assert alerts.open_incident(desk, "db01-disk") == second[0]
    assert check.run_check(desk).ok


def test_the_database_refuses_a_second_open_alert_for_one_fingerprint(desk):
    """The guard itself, below the service: a unique key, on both backends."""
    alerts.ingest(desk, "admin", [alert()])
    inc = only_incident()
    with pytest.raises(IntegrityError):
        with write_transaction(desk.db):
            Alert.create(fingerprint="db01-disk", open_key="db01-disk", incident=inc.id, first_seen=desk.now(),
                         last_seen=desk.now())
    with write_transaction(desk.db):  # a released one (NULL) is no claim: any number may exist
        for _ in range(2):
            Alert.create(fingerprint="db01-disk", open_key=None, incident=inc.id, first_seen=desk.now(),
                         last_seen=desk.now())


def test_concurrent_senders_never_open_two_incidents_for_one_fingerprint(desk):
    """Four threads, each with its own connection, released at once, sending the same stream in
    small batches: every new fingerprint is raced for (on PostgreSQL for real; SQLite queues the
    writers). One incident per fingerprint, every occurrence counted."""
    import threading

    barrier = threading.Barrier(4)
    stream = [alert(f"fp-{i // 5}") for i in range(60)]
    errors = []

    def sender():
        try:
            barrier.wait()
            for start in range(0, len(stream), 3):
                alerts.ingest(desk, "admin", stream[start:start + 3])
        except Exception as exc:  # noqa: BLE001 — reported by the assertion below
            errors.append(exc)
        finally:
            desk.db.close()

    threads = [threading.Thread(target=sender) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert Incident.select().count() == 12
    assert sorted({a.occurrences for a in Alert.select()}) == [20]
    assert check.run_check(desk).ok


def test_a_batch_is_written_whole_or_not_at_all(desk, monkeypatch):
    alerts.ingest(desk, "admin", [alert("kept")])
    before = (Incident.select().count(), History.select().count(), list(Alert.select().tuples()))

    def boom(*args, **kwargs):
        raise RuntimeError("disk pulled")

    monkeypatch.setattr(alerts._Batch, "flush", boom)
    with pytest.raises(RuntimeError):
        alerts.ingest(desk, "admin", [alert("new-1"), alert("kept"), alert("new-2")])
    assert (Incident.select().count(), History.select().count(), list(Alert.select().tuples())) == before


def test_an_account_without_the_permission_is_refused_and_nothing_written(desk):
    with pytest.raises(NotAllowed):
        alerts.ingest(desk, "wang", [alert()])
    assert Incident.select().count() == 0 and Alert.select().count() == 0


def test_a_service_code_from_the_catalogue_links_the_incident(desk):
    alerts.ingest(desk, "admin", [alert(service="email"), alert("x", service="not-a-service")])
    linked = {a.fingerprint: a.incident.service.code if a.incident.service else None for a in Alert.select()}
    assert linked == {"db01-disk": "email", "x": None}


# --- payload shapes -------------------------------------------------------------------------------

FORMATS = load_config().data["alerts"]["formats"]


def test_alertmanager_webhook_payload_gives_each_of_its_alerts():
    line = json.dumps({"version": "4", "status": "firing", "alerts": [
        {"status": "firing", "labels": {"alertname": "DiskFull", "instance": "db01", "job": "node",
                                        "severity": "critical"},
         "annotations": {"summary": "disk full", "description": "95%"}, "fingerprint": "abc123"},
        {"status": "resolved", "labels": {"alertname": "Load", "instance": "web1"}, "annotations": {}}]})
    first, second = parse_line(line, FORMATS, 7)
    assert first == AlertIn("alertmanager", "abc123", "critical", "db01", "node", "disk full", "95%", False, 7)
    assert second.cleared and second.fingerprint  # no fingerprint sent: made from the labels
    assert parse_line(json.dumps({"labels": {"alertname": "Load", "instance": "web1"}, "status": "firing"}),
                      FORMATS, 8)[0].fingerprint == second.fingerprint


def test_zabbix_and_nagios_payloads():
    z = parse_line('{"event_id": "1", "trigger_id": "77", "host": "db01", "trigger_name": "Disk full", '
                   '"severity": "High", "status": "RESOLVED", "message": "m"}', FORMATS, 1)[0]
    assert (z.source, z.severity, z.host, z.summary, z.details, z.cleared) == (
        "zabbix", "High", "db01", "Disk full", "m", True)
    n = parse_line('{"host": "web1", "service": "HTTP", "state": "CRITICAL", "output": "timeout", '
                   '"notification_type": "PROBLEM"}', FORMATS, 2)[0]
    assert (n.source, n.severity, n.service, n.summary, n.cleared) == ("nagios", "CRITICAL", "HTTP", "timeout",
                                                                      False)
    assert parse_line('{"host": "web1", "service": "HTTP", "state": "OK", "notification_type": "RECOVERY"}',
                      FORMATS, 3)[0].cleared


@pytest.mark.parametrize("line, key, column", [
    ('{"summary": "x", ', "alerts.line.bad_json", 18),
    ('[1, 2]', "alerts.line.not_object", None),
    ('{"summary": "no host, no service, no fingerprint"}', "alerts.line.no_fingerprint", None),
    ('{"fingerprint": "f", "summary": "nul \\u0000 here"}', "alerts.line.bad_field", None),
    ('{"fingerprint": "f", "summary": "lone \\ud800"}', "alerts.line.bad_field", None),
    ('{"fingerprint": "' + "f" * 256 + '"}', "alerts.line.bad_field", None),
])
def test_malformed_lines_say_what_is_wrong(line, key, column):
    with pytest.raises(LineError) as caught:
        parse_line(line, FORMATS, 1)
    assert caught.value.key == key and caught.value.column == column
    assert caught.value.message("en") and caught.value.message("zh")


# --- configuration --------------------------------------------------------------------------------

@pytest.mark.parametrize("text, line, what", [
    ('[alerts]\ngroup = "nobody"\n', 2, "alerts.group 'nobody' is not a [[group]] code"),
    ('[alerts]\nbatch_size = 0\n', 2, "alerts.batch_size must be between 1 and 100000, not 0"),
    ('[alerts]\ntitle = "{hostname}"\n', 2, "alerts.title names {hostname}"),
    ('[alerts]\nauto_resolve = "yes"\n', 2, "'alerts.auto_resolve' must be true or false"),
    ('[alerts.severity]\ncritical = [1, 9]\nwarning = [2, 3]\n', 2, "alerts.severity.critical must be [impact, urgency]"),
    ('[alerts.severity]\ncritical = [1, 1]\n', 1, "alerts.default_severity 'warning' is not in [alerts.severity]"),
    ('[alerts.formats.mine]\nmatch = "x"\nsource = "s"\nsumary = "text"\n', 4,
     "unknown setting 'alerts.formats.mine.sumary'"),
])
def test_a_bad_alerts_section_is_one_line_naming_file_and_line(tmp_path, text, line, what):
    from desk.domain.errors import ConfigError

    path = tmp_path / "mine.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError) as caught:
        load_config(path)
    assert caught.value.message().startswith(f"{path}:")
    assert what in caught.value.message()
    if line > 1:
        assert caught.value.line == line
