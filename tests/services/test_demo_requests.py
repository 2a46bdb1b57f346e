"""The demo's service requests: every state and close code, histories the services wrote (desk
check passes), approvals and cost confirmations, the same rows for the same seed."""

import pytest

from desk.db import is_sqlite
from desk.models import Incident, RequestApproval, ServiceRequest, Setting
from desk.services import check, demo
from desk.services.demo import requests as demo_requests


def _rows():
    return list(ServiceRequest.select(ServiceRequest.id, ServiceRequest.title, ServiceRequest.status,
                                      ServiceRequest.close_code, ServiceRequest.version).order_by(ServiceRequest.id)
                .tuples())


def test_the_demo_makes_requests_in_every_state_the_services_could_have_written(desk):
    demo.generate(desk, incidents=60, seed=5, days=30)
    assert demo_requests.held() == 20  # one for every three incidents
    statuses = {s for (s,) in ServiceRequest.select(ServiceRequest.status).tuples()}
    assert statuses == {"pending", "accepted", "dispatched", "escalated", "awaiting_approval", "awaiting_cost",
                        "awaiting_requester", "resolved", "closed"}
    codes = {c for (c,) in ServiceRequest.select(ServiceRequest.close_code).where(
        ServiceRequest.status == "closed").tuples()}
    assert codes == {"succeeded", "failed", "approval_rejected", "cancelled"}
    assert ServiceRequest.select().where(ServiceRequest.auto_closed == True).count() >= 1  # noqa: E712
    assert ServiceRequest.select().where(ServiceRequest.cost_confirmed == True).count() >= 1  # noqa: E712
    assert RequestApproval.select().where(RequestApproval.decision == "approved").count() >= 1
    report = check.run_check(desk)
    assert report.ok, [p.message("en") for p in report.problems]


def test_the_same_seed_gives_the_same_requests(clock, tmp_path):
    from conftest import make_desk

    first = make_desk(str(tmp_path / "a.db"), clock)
    demo.generate(first, incidents=30, seed=9, days=20)
    a = _rows()
    first.close()
    second = make_desk(str(tmp_path / "b.db"), clock)
    demo.generate(second, incidents=30, seed=9, days=20)
    assert _rows() == a and len(a) == 10
    second.close()


# --- a first load builds the request tables' indexes once, at its end ---------------------------------

def _indexes(desk, table: str) -> list:
    if is_sqlite(desk.db):
        return sorted(desk.db.execute_sql("SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = ? "
                                          "AND sql IS NOT NULL", (table,)).fetchall())
    return sorted(desk.db.execute_sql("SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() "
                                      "AND tablename = %s", (table,)).fetchall())


def _spy(monkeypatch, desk, fail: bool = False) -> list:
    """What indexes service_request had whenever the bulk writer wrote its rows."""
    seen = []
    insert = demo.bulk.Writer.insert

    def spying(self, table, columns, rows):
        if table == "service_request":
            seen.append(_indexes(desk, table))
            if fail:
                raise RuntimeError("disk on fire")
        return insert(self, table, columns, rows)

    monkeypatch.setattr(demo.bulk.Writer, "insert", spying)
    return seen


def test_a_first_load_writes_requests_without_their_indexes_and_builds_them_at_the_end(desk, monkeypatch):
    before = {table: _indexes(desk, table) for table in demo_requests.FIRST_LOAD_TABLES}
    assert all(before.values())
    seen = _spy(monkeypatch, desk)
    demo.generate(desk, incidents=60, seed=5, days=30, workers=0)
    unique = [i for i in before["service_request"] if "UNIQUE" in i[1].upper()]
    assert seen and all(s == unique for s in seen)  # none but what PostgreSQL keeps for a constraint
    assert {table: _indexes(desk, table) for table in demo_requests.FIRST_LOAD_TABLES} == before
    assert Setting.get_or_none(Setting.key == demo.indexes.PENDING_INDEXES) is None


def test_adding_requests_to_a_desk_holding_some_keeps_their_indexes(desk, monkeypatch):
    demo.generate(desk, incidents=30, seed=5, days=30)
    before = _indexes(desk, "service_request")
    seen = _spy(monkeypatch, desk)
    demo.generate(desk, incidents=30, seed=6, days=30, force=True, workers=0)
    assert seen and all(s == before for s in seen)  # people work on those requests meanwhile


def test_an_interrupted_request_load_puts_their_indexes_back(desk, monkeypatch):
    before = {table: _indexes(desk, table) for table in demo_requests.FIRST_LOAD_TABLES}
    _spy(monkeypatch, desk, fail=True)
    with pytest.raises(RuntimeError):
        demo.generate(desk, incidents=60, seed=5, days=30, workers=0)
    assert {table: _indexes(desk, table) for table in demo_requests.FIRST_LOAD_TABLES} == before
    assert Setting.get_or_none(Setting.key == demo.indexes.PENDING_INDEXES) is None
    assert demo_requests.held() == 0 and Incident.select().count() == 60  # the incidents' stage had finished


# --- approvers away, substitutes deciding ----------------------------------------------------------------

def test_the_demo_has_approvers_away_with_substitutes_deciding_on_their_behalf(desk, clock):
    import json

    from desk.models import ApprovalDelegation, History
    from desk.services import history, request_approval

    demo.generate(desk, incidents=150, seed=7, days=40)
    today = clock().date()
    absences = list(ApprovalDelegation.select().order_by(ApprovalDelegation.starts))
    assert len(absences) >= 2 and all(a.approver_id != a.substitute_id for a in absences)
    past, current = absences[:-1], absences[-1]
    assert all(a.ends < today and a.created_at.date() < a.starts for a in past)  # registered beforehand
    assert current.starts == today and current.created_at == clock()
    # a decision by a substitute, in the approvals and in the history, on the approver's behalf
    stood_in = [a for a in RequestApproval.select() if a.decided_by_id not in (None, a.approver_id)]
    assert stood_in
    for decision in stood_in:
        assert any(d.approver_id == decision.approver_id and d.substitute_id == decision.decided_by_id
                   and d.starts <= decision.decided_at.date() <= d.ends for d in past)
        entries = request_approval.approvals(desk, decision.request_id, decision.round)
        entry = next(e for e in entries if e.level == decision.level)
        assert entry.on_behalf_of == decision.approver.login and entry.decided_by == decision.decided_by.login
        rows = History.select().where((History.entity == "request") & (History.entity_id == decision.request_id)
                                      & (History.action.in_(("approve", "reject"))))
        assert any(json.loads(r.changes)["approval"][1].get("on_behalf_of") == decision.approver.login
                   for r in rows)
    # away from today: the substitute's inbox holds what waits for the approver, each told in its history
    inbox = request_approval.inbox(desk, current.substitute.login)
    waiting = [row for row in inbox if row.approver == current.approver.login]
    assert waiting
    for row in waiting:
        told = History.select().where((History.entity == "request") & (History.entity_id == row.id)
                                      & (History.action == "delegate")).get()
        assert json.loads(told.changes)["substitute"][1]["substitute"] == current.substitute.login
    assert list(history.verify_all()) == []
    report = check.run_check(desk)
    assert report.ok, [p.message("en") for p in report.problems]


def test_a_demo_added_to_a_desk_with_requests_makes_no_absences(desk):
    from desk.models import ApprovalDelegation

    demo.generate(desk, incidents=150, seed=7, days=40)
    absences = ApprovalDelegation.select().count()
    demo.generate(desk, incidents=60, seed=8, days=40, force=True)
    assert ApprovalDelegation.select().count() == absences
