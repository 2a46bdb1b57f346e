"""`desk alert` as a monitoring system runs it: flags, JSON lines on stdin, several senders at once."""

from __future__ import annotations

import concurrent.futures
import json

from conftest import make_desk
from desk.models import Alert, History, Incident
from desk.services import check
from desk.services.context import open_desk
from reliability.helpers import run_cli


def _ready(db_url, clock) -> None:
    make_desk(db_url, clock).close()


def _lines(*objects) -> bytes:
    return b"".join(json.dumps(o).encode() + b"\n" for o in objects)


def test_four_senders_at_once_still_make_one_incident(db_url, clock, tmp_path):
    """Small batches, so that the four processes race for the fingerprints many times over."""
    _ready(db_url, clock)
    config = tmp_path / "small-batches.toml"
    config.write_text("[alerts]\nbatch_size = 3\n", encoding="utf-8")
    payload = _lines(*[{"fingerprint": f"fp-{i // 10}", "summary": "disk full", "severity": "high", "host": "db01"}
                       for i in range(400)])
    with concurrent.futures.ThreadPoolExecutor(max_workers=4) as pool:
        outs = list(pool.map(lambda _: run_cli("alert", "--config", str(config), db=db_url, input=payload),
                             range(4)))
    assert [o.returncode for o in outs] == [0] * 4, [o.stderr.decode() for o in outs]
    desk = open_desk(db_url, user="admin")
    try:
        assert Incident.select().count() == 40
        assert sorted((a.fingerprint, a.occurrences) for a in Alert.select()) == sorted(
            (f"fp-{i}", 40) for i in range(40))
        assert check.run_check(desk).ok
    finally:
        desk.close()


def test_malformed_lines_are_reported_with_their_number_and_skipped(db_url, clock):
    _ready(db_url, clock)
    good = json.dumps({"fingerprint": "f1", "summary": "up"}).encode()
    stdin = b"\n".join([good, b'{"summary": ', b"[1]", b"\xff\xfe", good, b""]) + b'{"fingerprint": "f2"}'
    out = run_cli("alert", db=db_url, input=stdin)
    err = out.stderr.decode().splitlines()
    assert out.returncode == 1
    assert err[0].startswith("desk: stdin:2:13: not a JSON object")
    assert err[1] == "desk: stdin:3: not a JSON object but an array"
    assert err[2] == "desk: stdin:4:1: not UTF-8 text (byte 0xff)"
    assert len(err) == 3
    assert "alerts received: 3;" in out.stdout.decode() and "refused: 3" in out.stdout.decode()
    desk = open_desk(db_url, user="admin")
    try:
        assert sorted((a.fingerprint, a.occurrences) for a in Alert.select()) == [("f1", 2), ("f2", 1)]
    finally:
        desk.close()


def test_every_line_taken_exits_0_and_json_says_what_happened(db_url, clock):
    _ready(db_url, clock)
    stdin = _lines({"fingerprint": "f", "summary": "a"}, {"fingerprint": "f", "summary": "a"},
                   {"fingerprint": "f", "status": "resolved"}, {"fingerprint": "g", "status": "ok"})
    out = run_cli("alert", "--json", db=db_url, input=stdin)
    assert out.returncode == 0, out.stderr
    got = json.loads(out.stdout)
    assert {k: got[k] for k in ("received", "opened", "repeated", "cleared", "ignored", "malformed")} == {
        "received": 4, "opened": 1, "repeated": 1, "cleared": 1, "ignored": 1, "malformed": 0}


def test_one_alert_as_flags(tmp_path, clock):
    db = str(tmp_path / "d.db")
    _ready(db, clock)
    argv = ["alert", "--source", "zabbix", "--fingerprint", "db01-disk", "--severity", "high", "--host", "db01",
            "--service", "email", "--summary", "disk 95%", "--details", "on /var"]
    assert run_cli(*argv, db=db).returncode == 0
    assert run_cli(*argv, db=db).returncode == 0
    desk = open_desk(db, user="admin")
    try:
        a = Alert.get()
        assert (a.source, a.occurrences, a.incident.title, a.incident.description, a.incident.priority) == (
            "zabbix", 2, "db01: disk 95%", "on /var", 1)
    finally:
        desk.close()
    out = run_cli("alert", db=db)  # no flags and nothing piped in: stdin is not a terminal here, but empty
    assert out.returncode == 0


def test_hostile_alert_text_is_stored_exactly_and_shown_literally(tmp_path, clock):
    db = str(tmp_path / "d.db")
    _ready(db, clock)
    hostile = "[bold]x[/bold] \x1b]52;c;cm0=\x07 \x1b[2J \u202egpj.exe \u009b31m"
    stdin = _lines({"fingerprint": "evil", "host": "h\x1b[1m", "summary": hostile, "details": hostile,
                    "severity": "[red]crit"}) * 2
    assert run_cli("alert", db=db, input=stdin).returncode == 0
    desk = open_desk(db, user="admin")
    try:
        a = Alert.get()
        assert (a.summary, a.details, a.host, a.severity) == (hostile, hostile, "h\x1b[1m", "[red]crit")
        assert a.incident.description == hostile and hostile in a.incident.title
        incident_id = a.incident_id
    finally:
        desk.close()
    shown = run_cli("incident", "show", str(incident_id), db=db)
    text = shown.stdout.decode()
    assert shown.returncode == 0
    assert "\x1b" not in text and "\u202e" not in text and "\u009b" not in text and "\x07" not in text
    assert "[bold]x[/bold]" in text and "[red]crit" in text  # markup shown as typed, not applied
    assert "␛]52;c;cm0=␇" in text
    as_json = json.loads(run_cli("incident", "show", str(incident_id), "--json", db=db).stdout)
    assert as_json["alerts"][0]["summary"] == hostile and as_json["alerts"][0]["occurrences"] == 2


def test_history_of_a_storm_reads_in_the_users_language(tmp_path, clock):
    db = str(tmp_path / "d.db")
    _ready(db, clock)
    run_cli("alert", db=db, input=_lines(*[{"fingerprint": "f", "summary": "s"}] * 5))
    out = run_cli("incident", "show", "1", "--lang", "zh", db=db).stdout.decode()
    assert "告警重复" in out and "出现次数: 1 → 5" in out
    desk = open_desk(db, user="admin")
    try:
        assert History.select().count() == 2
    finally:
        desk.close()


def test_a_severity_the_sender_left_out_is_said_so(tmp_path, clock):
    """`desk incident show` printed "firing ·  · seen 1×": an empty gap where the severity goes."""
    db = str(tmp_path / "d.db")
    _ready(db, clock)
    run_cli("alert", db=db, input=_lines({"fingerprint": "f", "summary": "s"}, {"fingerprint": "g", "summary": "t",
                                                                              "severity": "minor"}))
    out = run_cli("incident", "show", "1", db=db).stdout.decode()
    assert "firing · severity not given · seen 1×" in out and "·  ·" not in out
    assert "firing · minor · seen 1×" in run_cli("incident", "show", "2", db=db).stdout.decode()
    assert "未给出严重程度" in run_cli("incident", "show", "1", "--lang", "zh", db=db).stdout.decode()
