"""A history row of an SLA hold says its reason in words ("SLA pause: — → waiting for the caller"),
in the incident detail, `desk incident show` and `desk request show`: it said the config code
(`caller`), in Chinese too."""

from __future__ import annotations

from desk import cli
from desk.commands.request_show import _value
from desk.history_labels import value_label
from desk.services import incidents, sla_hold


def test_a_pause_reason_reads_in_the_users_language(desk):
    assert value_label(desk.config, "sla_pause", "caller", "en") == "waiting for the caller"
    assert value_label(desk.config, "sla_pause", "vendor", "zh") == "等待供应商"
    assert value_label(desk.config, "sla_pause", "lunch", "en") == "lunch"  # (a reason no message has)
    desk.lang = "zh"
    assert _value(desk, "sla_pause", "cost") == "等待费用确认"  # (`desk request show`)


def test_incident_show_says_the_reason(desk, db_url, capsys, monkeypatch):
    inc = incidents.create(desk, "li", title="VPN drops", impact=2, urgency=2)
    sla_hold.hold_incident(desk, "li", inc.id, reason="caller", note="calls back after lunch")
    monkeypatch.setenv("DESK_USER", "li")
    capsys.readouterr()
    assert cli.main(["--db", db_url, "incident", "show", str(inc.id), "--lang", "en"]) == 0
    assert "SLA pause: — → waiting for the caller" in capsys.readouterr().out
