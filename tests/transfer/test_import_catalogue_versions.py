"""A request stores the id of the catalogue version it was raised under (a plain integer column,
desk.models.base.IdOf): `desk import` maps it as it maps a foreign key, so that an imported request
points at this desk's row of the same service and version number, never at whatever row has the
other desk's id here."""

from __future__ import annotations

import json

from conftest import FakeClock, make_desk
from desk.models import Service, ServiceRequest
from desk.services import catalogue, catalogue_flow as flow, lookup, requests
from desk.services.context import open_desk
from desk.services.transfer import spec

from test_import import _checked, _export, _import, other_url  # noqa: F401 (other_url: the second desk's fixture)

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


def _retire(desk, code):
    draft = flow.open_draft(desk, "catm", code=code, kind="retire")
    flow.submit(desk, "catm", draft)
    flow.approve(desk, "ops", draft)
    flow.publish(desk, "ops", draft)


def _service_row(url, code):
    desk = open_desk(url, user="admin")
    try:
        return Service.get(Service.code == code)
    finally:
        desk.close()


def test_a_version_only_the_other_desk_published_is_the_one_in_force_after_the_import(db_url, other_url, tmp_path):
    clock = FakeClock()
    jump = make_desk(db_url, clock)
    clock.advance(minutes=1)
    _publish(jump, "email", {"3": {"response": 5, "resolve": 60}})  # email v2, on the jump host only
    _retire(jump, "conference")  # conference v2 retires it, on the jump host only
    jump.close()
    make_desk(other_url, clock).close()
    before = _service_row(other_url, "email")
    path = tmp_path / "jump.jsonl"
    _export(db_url, clock, path)

    result = _import(other_url, clock, path)
    assert result.conflicts == []
    assert result.counts("service").updated == 2
    email = _service_row(other_url, "email")
    assert email.current == 2 and json.loads(email.sla)["3"] == {"response": 5, "resolve": 60}
    assert email.version == before.version + 1  # a form opened on the old row is refused
    assert _service_row(other_url, "conference").status == "retired"
    desk = open_desk(other_url, user="admin")
    try:
        assert catalogue.service_version(desk, "email").number == 2
        assert "conference" not in {c.code for c in lookup.services(desk)}  # no longer offered
        new = requests.create(desk, "li", title="Shared mailbox", service="email", checked=("all",))
        assert new.service_version == 2
    finally:
        desk.close()
    _checked(other_url)

    again = _import(other_url, clock, path)  # the same file again changes nothing
    assert again.counts("service").updated == 0
    assert _service_row(other_url, "email").version == email.version


def test_a_version_this_desk_published_since_stays_in_force_after_the_import(db_url, other_url, tmp_path):
    clock = FakeClock()
    jump = make_desk(db_url, clock)
    clock.advance(minutes=1)
    _publish(jump, "email", {"3": {"response": 5, "resolve": 60}})  # the jump host's email v2
    jump.close()
    central = make_desk(other_url, clock)
    clock.advance(minutes=1)
    _publish(central, "email", {"3": {"response": 7, "resolve": 70}})  # the central desk's own v2 ...
    clock.advance(minutes=1)
    _publish(central, "email", {"3": {"response": 9, "resolve": 90}})  # ... and v3
    central.close()
    before = _service_row(other_url, "email")
    path = tmp_path / "jump.jsonl"
    _export(db_url, clock, path)

    result = _import(other_url, clock, path)
    assert result.counts("service").updated == 0
    email = _service_row(other_url, "email")
    assert (email.current, email.version, email.sla) == (3, before.version, before.sla)
