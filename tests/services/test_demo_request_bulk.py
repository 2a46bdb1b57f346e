"""The demo's bulk-written requests are indistinguishable from service-written ones: the same
scripts (desk.services.demo.request_story) played by the bulk writer and through the services
give the same rows — requests, hash-chained histories, approvals, SLA pause ledgers, due times
and clocks — and every service action still works on a request the bulk writer made."""

from __future__ import annotations

import random
from datetime import datetime, timedelta

import pytest

from desk.db import database
from desk.models import RequestApproval, ServiceRequest
from desk.services import check, demo, history, request_approval, requests
from desk.services.demo import indexes as demo_indexes, request_delegations, request_plan, stages
from desk.services.demo import requests as demo_requests
from desk.services.demo.base import Stage
from desk.services.demo.clock import storied
from desk.services.demo.request_story import script

SEED, INCIDENTS, DAYS = 7, 150, 40  # 50 requests
UP_TO_REQUESTS = tuple(s for s in stages.STAGES[:[s.name for s in stages.STAGES].index("requests") + 1])


def _through_services(build) -> int:
    """The requests stage with each script played through desk.services, step by step on the
    story's clock (what the demo did before it wrote requests in bulk)."""
    desk = build.desk
    demo_indexes.restore(desk, build.unbuilt, None)  # the bulk stage builds what the incidents stage dropped
    total = demo_requests._count(build)
    first_id = (ServiceRequest.select(ServiceRequest.id).order_by(ServiceRequest.id.desc()).scalar() or 0) + 1
    plan = request_plan.make_plan(desk, requests=total, seed=build.seed, days=build.days, now=build.now,
                                  first_id=first_id)
    request_delegations.before(desk, plan, build.now)
    epoch = datetime(1970, 1, 1) + timedelta(seconds=plan.t0)
    for block in range(-(-total // plan.block)):
        rng = random.Random(f"desk-demo:{plan.seed}:{plan.first_id}:requests:{block}")
        for k in range(block * plan.block, min(total, (block + 1) * plan.block)):
            steps = script(plan, rng, k)
            d, clock = storied(desk, epoch + timedelta(seconds=steps[0][0]), build.now)
            request_id = None
            for offset, action, login, params in steps:
                clock.set(epoch + timedelta(seconds=offset))
                if action == "create":
                    request_id = requests.create(d, login, checked=["all"], **params).id
                    assert request_id == plan.first_id + k
                elif action == "auto_close":
                    assert requests.auto_close(d, login) == [request_id]  # this one, and no other
                elif action in ("ask_approval", "approve", "reject"):
                    getattr(request_approval, action)(d, login, request_id, **params)
                else:
                    getattr(requests, "return_" if action == "return" else action)(d, login, request_id, **params)
    request_delegations.after(desk, plan, build.now)
    return total


def _tables() -> dict:
    """Every row the requests stage writes, ids of the ledger tables apart (they count inserts)."""
    def rows(sql):
        return [tuple(r) for r in database.execute_sql(sql).fetchall()]

    return {
        "requests": rows("SELECT * FROM service_request ORDER BY id"),
        "history": rows("SELECT entity_id, seq, at, actor_id, action, changes, note, prev_hash, hash FROM history "
                        "WHERE entity = 'request' ORDER BY entity_id, seq"),
        "approvals": rows("SELECT request_id, round, level, approver_id, decision, decided_by_id, decided_at, note, "
                          "asked_at FROM request_approval ORDER BY request_id, round, level"),
        "pauses": rows("SELECT entity_id, reason, note, started_at, ended_at, started_by_id, ended_by_id "
                       "FROM sla_pause WHERE entity = 'request' ORDER BY entity_id, started_at, id"),
        "clocks": rows("SELECT entity_id, priority, group_id, paused_since, warn_at, due_at, stage, cycle, next_at "
                       "FROM sla_clock WHERE entity = 'request' ORDER BY entity_id"),
        "delegations": rows("SELECT approver_id, substitute_id, starts, ends, note, created_at FROM approval_delegation "
                            "ORDER BY id"),
        "told": rows("SELECT COUNT(*) FROM notification WHERE entity = 'request'")
        + rows("SELECT COUNT(*) FROM sla_escalation WHERE entity = 'request'") + rows("SELECT COUNT(*) FROM refusal"),
    }


def test_bulk_written_requests_are_the_rows_the_services_write(clock, tmp_path, monkeypatch):
    from conftest import make_desk

    monkeypatch.setattr(request_plan, "BLOCK", 20)  # three blocks, written by two worker processes
    monkeypatch.setattr(stages, "STAGES", UP_TO_REQUESTS)
    bulk = make_desk(str(tmp_path / "bulk.db"), clock)
    demo.generate(bulk, incidents=INCIDENTS, seed=SEED, days=DAYS, workers=2)
    written = _tables()
    assert list(history.verify_all()) == []
    bulk.close()

    # Through the services: the absences are written with the requests, after the incidents.
    served_stages = tuple(Stage(s.name, lambda build: None) if s.name == "absences" else s
                          for s in UP_TO_REQUESTS[:-1])
    monkeypatch.setattr(stages, "STAGES", served_stages + (Stage("requests", _through_services),))
    served = make_desk(str(tmp_path / "services.db"), clock)
    demo.generate(served, incidents=INCIDENTS, seed=SEED, days=DAYS, workers=2)
    expected = _tables()
    served.close()

    assert len(expected["requests"]) == INCIDENTS // 3
    assert expected["clocks"] and expected["pauses"] and expected["approvals"]  # the comparison covers them
    assert any(r[4] is not None for r in expected["pauses"]) and any(r[4] is None for r in expected["pauses"])
    assert any(r[5] not in (None, r[3]) for r in expected["approvals"])  # decided by a substitute
    assert any(r[4] == "delegate" for r in expected["history"])  # waiting when today's absence was registered
    for table in expected:
        assert written[table] == expected[table], table


@pytest.fixture
def demo_requests_desk(desk):
    demo.generate(desk, incidents=90, seed=3, days=20)
    return desk


def _one(status: str, **where) -> ServiceRequest:
    query = ServiceRequest.select().where(ServiceRequest.status == status)
    for name, value in where.items():
        query = query.where(getattr(ServiceRequest, name) == value)
    return query.order_by(ServiceRequest.id).first()


def test_every_service_action_works_on_a_bulk_written_request(demo_requests_desk, clock):
    d = demo_requests_desk
    report = check.run_check(d)
    assert report.ok, [p.message("en") for p in report.problems]
    clock.advance(minutes=1)

    accepted = _one("accepted")
    got = requests.dispatch(d, accepted.owner.login, accepted.id, to="wang", expect_version=accepted.version)
    assert got.status == "dispatched" and got.handler == "wang"
    pending = _one("pending")
    assert requests.accept(d, "li", pending.id, expect_version=pending.version).owner == "li"

    waiting = _one("awaiting_approval")
    step = (RequestApproval.select().where((RequestApproval.request == waiting.id)
                                           & (RequestApproval.round == waiting.approval_round)
                                           & RequestApproval.decision.is_null()).order_by(RequestApproval.level).first())
    got = request_approval.approve(d, step.approver.login, waiting.id, expect_version=waiting.version)
    assert got.version == waiting.version + 1

    costing = _one("awaiting_cost")
    got = requests.confirm_cost(d, costing.handler.login, costing.id, amount="12.50", currency="CNY",
                                confirmed_with="phone", expect_version=costing.version)
    assert got.status == "dispatched" and got.version == costing.version + 1

    silent = _one("awaiting_requester")
    assert requests.resume(d, silent.handler.login, silent.id, expect_version=silent.version).status == "dispatched"

    done = _one("resolved")
    requests.callback(d, done.owner.login, done.id, satisfaction=4, expect_version=done.version)
    assert requests.close(d, done.owner.login, done.id).status == "closed"

    report = check.run_check(d)
    assert report.ok, [p.message("en") for p in report.problems]


def test_a_cached_history_record_is_the_one_its_own_values_give():
    """The bulk writer caches a step's changes JSON by its values: a flag and a number that compare
    equal (False == 0) or a decision's record are never served each other's JSON."""
    from desk.domain.history_chain import dump_changes
    from desk.services.demo.request_life import _dumped

    steps = [{"approval_levels": [0, 1]}, {"approval_levels": [False, True]}, {"approval_levels": [0, 1]},
             {"status": ["pending", "accepted"], "owner": [None, "li"]},
             {"owner": [None, "li"], "status": ["pending", "accepted"]},
             {"approval": [1, {"decision": "approved", "on_behalf_of": "appr"}]},
             {"approval": [1, {"decision": "rejected"}]}, {"cost_amount": [None, 350]}, {"cost_amount": [None, "350"]}]
    assert [_dumped(step) for step in steps] == [dump_changes(step) for step in steps]
    assert _dumped({"approval_levels": [False, True]}) == '{"approval_levels":[false,true]}'
