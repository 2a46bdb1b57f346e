"""The incident detail (TUI) lists the incident's monitoring alerts, as `desk incident show` does:
where from and what, firing or cleared, its severity, how often it was seen and when, and whether new
alerts of its fingerprint still join the incident. Before, a shift lead opening an alert's incident in
the TUI saw none of it (an alert storm of a hundred repeats was one history line). Alert text is the
sender's: shown literally (markup inert, control characters neutralised). A severity the sender left
out is said so, not left as an empty gap between two dots."""

from __future__ import annotations

from tui_helpers import open_detail_of, screen_text

from desk.services import alerts, incidents
from desk.services.alert_payloads import AlertIn

HOSTILE = "DB [bold]markup[/bold] \x1b[31mred\u202eevil"


def _alert(fingerprint, summary, severity="critical", cleared=False):
    return AlertIn("zabbix", fingerprint, severity, "db01", "node", summary, "95% used", cleared, 0)


def test_the_detail_read_carries_the_alerts_only_with_the_history(desk):
    (incident_id,) = alerts.ingest(desk, "admin", [_alert("fp1", HOSTILE), _alert("fp1", "again")]).opened
    detail = incidents.get(desk, incident_id)
    assert [(a.fingerprint, a.occurrences, a.summary, a.open) for a in detail.alerts] == [("fp1", 2, "again", True)]
    assert incidents.get(desk, incident_id, with_history=False).alerts == ()  # the transitions' read: none
    plain = incidents.create(desk, "li", title="VPN drops", impact=2, urgency=2)
    assert incidents.get(desk, plain.id).alerts == ()


async def test_the_detail_shows_the_alerts_literally(make_app):
    app = make_app(user="lead")
    desk = app.desk
    result = alerts.ingest(desk, "admin", [_alert("fp-hostile", HOSTILE), _alert("fp-hostile", HOSTILE),
                                           _alert("fp-nosev", "no severity", severity="")])
    hostile, nosev = result.opened
    plain = incidents.create(desk, "li", title="VPN drops", impact=2, urgency=2)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_detail_of(pilot, hostile)
        shown = screen_text(app)
        assert "Alerts" in shown
        assert "firing · critical · seen 2×" in shown
        assert "[bold]markup[/bold]" in shown  # the sender's text, markup inert
        assert "\x1b" not in shown and "\u202e" not in shown and "␛[31mred" in shown
        assert "fingerprint: fp-hostile — new alerts of this fingerprint join this incident" in shown
        await pilot.press("escape")
        await open_detail_of(pilot, nosev)
        shown = screen_text(app)
        assert "firing · severity not given · seen 1×" in shown and "·  ·" not in shown
        await pilot.press("escape")
        await open_detail_of(pilot, plain.id)
        assert "Alerts" not in screen_text(app)  # no alerts: no section


async def test_the_detail_shows_the_alerts_in_chinese(make_app):
    app = make_app(user="lead", lang="zh")
    result = alerts.ingest(app.desk, "admin", [_alert("fp-zh", "磁盘满", severity="")])
    async with app.run_test(size=(120, 40)) as pilot:
        await open_detail_of(pilot, result.opened[0])
        shown = screen_text(app)
        assert "告警" in shown and "未给出严重程度" in shown and "出现 1 次" in shown
