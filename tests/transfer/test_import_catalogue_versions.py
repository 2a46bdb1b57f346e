"""A request stores the id of the catalogue version it was raised under (a plain integer column,
desk.models.base.IdOf): `desk import` maps it as it maps a foreign key, so that an imported request
points at this desk's row of the same service and version number, never at whatever row has the
other desk's id here."""

from __future__ import annotations

from conftest import FakeClock, make_desk
from desk.models import ServiceRequest
from desk.services import catalogue, catalogue_flow as flow, requests
from desk.services.context import open_desk
from desk.services.transfer import spec

from test_import import _export, _import, other_url  # noqa: F401 (other_url: the second desk's fixture)

CHECKED = ("identity", "details", "type", "scope")


def _publish(desk, code, targets):
    req = flow.raise_requirement(desk, "catm", title=f"New terms for {code}", need="faster", source="contract",
                                 service=code)
    _, draft_id = flow.accept_requirement(desk, "ops", req.id)
    flow.edit_draft(desk, "catm", draft_id, {"targets": targets})
    flow.submit(desk, "catm", draft_id)
    flow.approve(desk, "ops", draft_id)
    flow.publish(desk, "ops", draft_id)
    return catalogue.service_version(desk, code)


def _request(desk, code, title):
    return requests.create(desk, "li", title=title, service=code, checked=("all",), accept=True)


def test_an_imported_requests_catalogue_version_is_this_desks_version_of_the_same_service(db_url, other_url,
                                                                                          tmp_path):
    clock = FakeClock()
    jump = make_desk(db_url, clock)
    clock.advance(minutes=1)
    jump_v2 = _publish(jump, "email", {"3": {"response": 5, "resolve": 60}})  # email v2 here...
    jump_v2_id = jump_v2.version_id
    _request(jump, "email", "Shared mailbox for the branch")
    _request(jump, "database", "Read access to the reporting replica")  # under database v1
    jump.close()
    central = make_desk(other_url, clock)
    clock.advance(minutes=1)
    taken = _publish(central, "database", {"3": {"response": 5, "resolve": 60}})  # ...is database v2's id there
    assert taken.version_id == jump_v2_id
    central.close()
    path = tmp_path / "jump.jsonl"
    _export(db_url, clock, path)

    result = _import(other_url, clock, path)
    assert result.conflicts == []
    desk = open_desk(other_url, user="admin")
    try:
        got = {}
        for r in ServiceRequest.select():  # (the central desk had none of its own)
            terms = catalogue.version_by_id(desk, r.service_version)
            got[r.title] = (terms.code, terms.number)
        assert got == {"Shared mailbox for the branch": ("email", 2),
                       "Read access to the reporting replica": ("database", 1)}
    finally:
        desk.close()


def test_the_version_table_is_read_before_the_tables_that_keep_its_ids():
    order = [s.name for s in spec.specs()]
    assert order.index("service_version") < order.index("service_request")
    request = next(s for s in spec.specs() if s.name == "service_request")
    assert request.refs["service_version"] == "service_version"
