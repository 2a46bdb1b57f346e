"""The demo's service requests: every state and close code, histories the services wrote (desk
check passes), approvals and cost confirmations, the same rows for the same seed."""

from desk.models import RequestApproval, ServiceRequest
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
