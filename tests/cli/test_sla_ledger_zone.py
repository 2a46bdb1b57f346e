"""The pause ledger reads in the configured zone ([sla] timezone), and says which; JSON keeps UTC."""

from __future__ import annotations

from desk.services import incidents, sla_hold, sla_views
from desk.sla_text import clock_line, ledger_heading, ledger_lines


def test_ledger_times_are_shown_in_the_configured_zone(desk, clock):
    inc = incidents.create(desk, "li", title="vpn", impact=1, urgency=1)  # 24x7; 09:00 UTC = 17:00 Shanghai
    sla_hold.hold_incident(desk, "li", inc.id, reason="caller")
    clock.advance(minutes=30)
    sla_hold.resume_incident(desk, "zhao", inc.id)
    view = sla_views.incident_sla(desk, inc.id)
    (line,) = ledger_lines(view, "en")
    assert "2026-11-02 17:00–17:30" in line and "(li → zhao)" in line
    assert ledger_heading(view, "en") == "SLA pauses (times in Asia/Shanghai)"
    assert ledger_heading(view, "zh") == "SLA 暂停记录（时间为 Asia/Shanghai 时区）"
    assert clock_line(view, "en").endswith("(due 2026-11-02 21:30)")  # 13:30 UTC
    assert view.to_json()["pauses"][0]["started_at"] == "2026-11-02T09:00:00"  # JSON stays in UTC
