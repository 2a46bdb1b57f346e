"""Guards of the knowledge, alert, problem and change services that a deliberate one-line bug used
to slip past (issue 19's sweep; tools/mutants/services_*.toml). Real database, as a user meets them."""

from __future__ import annotations

import json

import pytest

from desk.models import Alert, Article, History, Incident
from desk.services import alerts, incidents, knowledge
from desk.services.alert_payloads import AlertIn


def _alert(fingerprint="web01-http", summary="HTTP 500 on /login", severity="critical", cleared=False,
           host="web01", service="", details=""):
    return AlertIn("zabbix", fingerprint, severity, host, service, summary, details, cleared, 0)


def _rows(incident_id):
    return [(h.action, json.loads(h.changes)) for h in History.select().where(
        (History.entity == "incident") & (History.entity_id == incident_id)).order_by(History.seq)]


# --- knowledge ------------------------------------------------------------------------------------

def _article(desk, title, body="body", status="draft"):
    art = knowledge.draft(desk, "li", title=title, body=body)
    if status != "draft":
        Article.update(status=status).where(Article.id == art.id).execute()
    return art


def test_search_puts_published_articles_first_and_leaves_retired_ones_out(desk, clock):
    published = _article(desk, "VPN token reset", status="published")
    clock.advance(minutes=1)
    draft = _article(desk, "VPN client reinstall")
    clock.advance(minutes=1)
    retired = _article(desk, "VPN on the old concentrator", status="retired")
    assert [a.id for a in knowledge.search(desk, "vpn")] == [published.id, draft.id]
    assert [a.id for a in knowledge.search(desk, "vpn", include_retired=True)] == [published.id, retired.id, draft.id]
    assert [a.id for a in knowledge.search(desk, "vpn", include_drafts=False)] == [published.id]


def test_search_matches_words_in_the_body_and_returns_at_most_the_limit(desk):
    ids = [_article(desk, f"Article {i}", body="restart the spooler service").id for i in range(3)]
    assert sorted(a.id for a in knowledge.search(desk, "spooler")) == ids
    assert len(knowledge.search(desk, "spooler", limit=2)) == 2
    assert knowledge.search(desk, "spooler printer") == []  # every word must match


def test_a_new_article_is_a_draft_until_a_lead_publishes_it(desk):
    assert knowledge.draft(desk, "lead", title="t", body="b").status == "draft"


# --- alerts ---------------------------------------------------------------------------------------

def test_an_alert_without_host_or_summary_is_titled_by_its_fingerprint(desk):
    alerts.ingest(desk, "admin", [_alert("disk-sda1", summary="", host="")])
    assert Incident.get().title == "disk-sda1"


def test_a_long_alert_title_is_cut_to_the_incident_title_limit(desk):
    alerts.ingest(desk, "admin", [_alert(summary="x" * (incidents.MAX_TITLE + 50))])
    title = Incident.get().title
    assert len(title) == incidents.MAX_TITLE and title.endswith("…")


def test_an_alert_naming_an_unknown_service_opens_an_incident_without_one(desk):
    result = alerts.ingest(desk, "admin", [_alert(service="no-such-service")])
    assert result.ok and len(result.opened) == 1
    assert Incident.get().service_id is None


def test_a_repeat_at_another_severity_records_the_change(desk):
    alerts.ingest(desk, "admin", [_alert(severity="warning")])
    alerts.ingest(desk, "admin", [_alert(severity="critical")])
    inc = Incident.get()
    assert _rows(inc.id)[-1] == ("alert", {"occurrences": [1, 2], "severity": ["warning", "critical"]})
    assert Alert.get().severity == "critical"


def test_a_clear_for_an_alert_already_cleared_is_ignored(desk):
    alerts.ingest(desk, "admin", [_alert()])
    alerts.ingest(desk, "admin", [_alert(cleared=True)])
    again = alerts.ingest(desk, "admin", [_alert(cleared=True)])
    assert (again.cleared, again.ignored) == (0, 1)
    assert [a for a, _ in _rows(Incident.get().id)] == ["create", "alert_cleared"]


def test_each_alert_write_moves_the_incidents_version(desk):
    alerts.ingest(desk, "admin", [_alert()])
    alerts.ingest(desk, "admin", [_alert()])
    inc = Incident.get()
    assert inc.version == len(_rows(inc.id)) == 2


# --- problems -------------------------------------------------------------------------------------

from desk.domain.errors import InvalidTransition, ValidationError  # noqa: E402
from desk.models import Change  # noqa: E402
from desk.services import changes, problems  # noqa: E402


def _known(desk):
    p = problems.create(desk, "li", title="VPN tunnel resets")
    p = problems.investigate(desk, "wang", p.id)
    return problems.root_cause(desk, "wang", p.id, text="concentrator firmware drops idle tunnels")


def test_a_problem_takes_impact_and_urgency_from_their_code_tables(desk):
    with pytest.raises(ValidationError) as err:
        problems.create(desk, "li", title="VPN tunnel resets", impact=9)
    assert (err.value.key, err.value.params["table"]) == ("error.unknown_code", "impact")
    with pytest.raises(ValidationError) as err:
        problems.create(desk, "li", title="VPN tunnel resets", urgency=0)
    assert (err.value.key, err.value.params["table"]) == ("error.unknown_code", "urgency")


def test_investigate_with_an_owner_gives_the_problem_to_that_agent(desk):
    p = problems.create(desk, "li", title="VPN tunnel resets")
    assert problems.investigate(desk, "lead", p.id, owner="wang").owner == "wang"


@pytest.mark.parametrize("outcome", ["failed", "backed_out"])
def test_a_change_that_failed_or_was_backed_out_fixes_no_problem(desk, outcome):
    c = changes.create(desk, "wang", title="Firmware 9.1", reason="bug", implementation_plan="u", backout_plan="d")
    Change.update(outcome=outcome, status="review").where(Change.id == c.id).execute()
    p = _known(desk)
    with pytest.raises(InvalidTransition):
        problems.resolve(desk, "wang", p.id, change_id=c.id)
    assert problems.get(desk, p.id).status == "root_cause_known"


# --- changes --------------------------------------------------------------------------------------

def test_recording_incidents_caused_by_a_change_names_at_least_one(desk):
    c = changes.create(desk, "wang", title="Firmware 9.1", reason="bug", implementation_plan="u", backout_plan="d")
    Change.update(status="implementing").where(Change.id == c.id).execute()
    with pytest.raises(ValidationError) as err:
        changes.link_incident(desk, "wang", c.id, [])
    assert err.value.key == "error.required"
    assert changes.get(desk, c.id).version == c.version
