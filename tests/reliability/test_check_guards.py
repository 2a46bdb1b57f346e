"""`desk check` must never say "ok" on a damaged desk: the cases the broader tests in test_check.py
did not tell apart (issue 19, tools/mutants/services_check.toml and services_history.toml)."""

from __future__ import annotations

from desk.db import is_sqlite
from desk.models import CatalogueDraft, CatalogueRequirement, History, ServiceRequest
from desk.services import catalogue_flow, check, incidents, requests
from reliability.test_check import lifecycle, tamper


def test_the_last_chain_in_order_is_verified_too(desk):
    lifecycle(desk, 2)
    last = History.select().order_by(History.entity.desc(), History.entity_id.desc(), History.seq.desc()).first()
    tamper(desk, "UPDATE history SET note = ? WHERE id = ?", ("never said", last.id))
    found = [(p.kind, p.entity, p.entity_id) for p in check.run_check(desk).problems]
    assert found == [("chain_hash", last.entity, last.entity_id)]


def test_a_ticket_whose_whole_history_is_gone_is_reported(desk):
    a, b = lifecycle(desk, 2)
    tamper(desk, "DELETE FROM history WHERE entity = 'incident' AND entity_id = ?", (b,))
    report = check.run_check(desk)
    found = {(p.kind, p.entity_id) for p in report.problems}
    assert not report.ok and report.to_json()["ok"] is False  # `desk check` exits 1
    # No chain is left to break: only the invariants can see that the ticket lost its history.
    assert found == {("version", b), ("status_missing", b)}


def test_requests_and_catalogue_records_are_checked_like_incidents(desk):
    r = requests.create(desk, "li", title="VPN access", checked=["all"])
    req = catalogue_flow.raise_requirement(desk, "catm", title="Bigger mailboxes", service="email")
    _, draft_id = catalogue_flow.accept_requirement(desk, "ops", req.id)
    assert check.run_check(desk).ok
    for model, row_id in ((ServiceRequest, r.id), (CatalogueRequirement, req.id), (CatalogueDraft, draft_id)):
        desk.db.execute_sql(f'UPDATE "{model._meta.table_name}" SET version = version + 5 WHERE id = {int(row_id)}')
    found = {(p.kind, p.entity, p.entity_id) for p in check.run_check(desk).problems}
    assert found == {("version", "request", r.id), ("version", "requirement", req.id),
                     ("version", "catalogue_draft", draft_id)}


def test_the_json_counts_the_triggers_present_not_those_expected(desk):
    incidents.create(desk, "li", title="printer jammed", impact=2, urgency=2)
    expected = check.expected_triggers(desk.db)
    desk.db.execute_sql(f"DROP TRIGGER {expected[0]}" if is_sqlite(desk.db) else f"DROP TRIGGER {expected[0]} ON history")
    report = check.run_check(desk)
    # `desk check --json` counts the triggers in place: a missing one is not counted as present.
    assert report.to_json()["triggers"] == len(expected) - 1

