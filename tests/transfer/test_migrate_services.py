"""A migration mapping may map a column onto a catalogue service (docs/migration.md): by its values
table, else by the service's code or its name in either language; a migrated ticket keeps the
service and the version of it in force when it was opened (its targets and hours set its due time);
a value naming no service is left empty and reported, or refuses its ticket, as `unknown` says; a
mapping naming a service the catalogue lacks is refused whole, naming its file and line."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from desk.domain.errors import ConfigError
from desk.models import History, Incident, SlaClock
from desk.services import catalogue, catalogue_flow as flow, check, incidents, wallboard
from desk.services.transfer import mapping as mappings
from desk.services.transfer import migrate

V2_FROM = datetime(2026, 11, 10, 0, 0)
ROWS = [  # number, opened, the former tool's service
    ("T1", "2026-11-05 10:00:00", "E-Mail"),  # values.service, under email v1
    ("T2", "2026-11-12 10:00:00", "email"),  # a code, under email v2
    ("T3", "2026-10-01 10:00:00", "core business SYSTEM"),  # an English name, case aside; before any version
    ("T4", "2026-11-12 11:00:00", ""),  # none
    ("T5", "2026-11-12 12:00:00", "Fax"),  # no such service
]


def _mapping(tmp_path, unknown="default", email="email", extra=""):
    path = tmp_path / "svc.toml"
    path.write_text(f"""[migrate.svc]
tool = "Old tool"
number = "id"
title = "{{title}}"
unknown = "{unknown}"
{extra}
[migrate.svc.fields]
status = "state"
opened_at = "opened"
service = "service"

[migrate.svc.values.service]
"E-Mail" = "{email}"
""", encoding="utf-8")
    return str(path)


def _file(tmp_path):
    path = tmp_path / "tickets.csv"
    path.write_text("id,title,state,opened,service\n" + "".join(
        f"{n},Ticket {n},closed,{opened},{service}\n" for n, opened, service in ROWS), encoding="utf-8")
    return str(path)


def _publish_v2(desk, clock):
    draft = flow.open_draft(desk, "catm", code="email")
    flow.edit_draft(desk, "catm", draft, {"hours": "24x7", "targets": {
        p: {"response": 30, "resolve": 600} for p in desk.config.codes("priority")}})
    flow.submit(desk, "catm", draft)
    flow.approve(desk, "ops", draft)
    flow.publish(desk, "ops", draft, effective_at=V2_FROM)


def _migrate(desk, tmp_path, **kw):
    return migrate.migrate_csv(desk, mappings.load_file(desk.config, _mapping(tmp_path, **kw)), _file(tmp_path),
                               login="admin")


def _ticket(number):
    return Incident.get(Incident.external_ref == number)


def test_a_migrated_ticket_keeps_its_service_and_the_version_in_force_when_it_was_opened(desk, clock, tmp_path):
    clock.advance(minutes=1)
    _publish_v2(desk, clock)
    clock.advance(days=30)
    v1, v2 = catalogue.version(desk, "email", 1), catalogue.version(desk, "email", 2)
    result = _migrate(desk, tmp_path)
    assert result.created == 5 and result.unknown[("service", "Fax")] == 1
    core = catalogue.service_id(desk, "core-banking")
    got = {n: (_ticket(n).service_id, _ticket(n).service_version_id) for n, _o, _s in ROWS}
    assert got == {"T1": (v1.service_id, v1.version_id), "T2": (v2.service_id, v2.version_id),
                   "T3": (core, None), "T4": (None, None), "T5": (None, None)}
    t2 = _ticket("T2")
    assert t2.due_at == t2.opened_at + timedelta(minutes=600)  # v2's target, around the clock
    last = History.select().where((History.entity == "incident") & (History.entity_id == t2.id)) \
        .order_by(History.seq.desc()).first()
    assert '"service"' in last.changes and "email" in last.changes  # the migration row records it
    report = check.run_check(desk)
    assert report.ok, [p.message("en") for p in report.problems]


def test_a_value_naming_no_service_refuses_its_ticket_when_the_mapping_says_refuse(desk, tmp_path):
    result = _migrate(desk, tmp_path, unknown="refuse")
    assert [(number, why.key) for _f, _l, _c, number, why in result.refused] == [("T5", "unmapped")]
    assert result.created == 4 and not Incident.select().where(Incident.external_ref == "T5").exists()


def test_a_service_is_never_made_up_from_a_value(desk, tmp_path):
    result = _migrate(desk, tmp_path, unknown="create")
    assert _ticket("T5").service_id is None and result.unknown[("service", "Fax")] == 1
    assert not result.new_codes


def test_a_mapping_naming_a_service_the_catalogue_lacks_is_refused_with_its_line(desk, tmp_path):
    with pytest.raises(ConfigError) as caught:
        _migrate(desk, tmp_path, email="e-mail-svc")
    assert caught.value.path.endswith("svc.toml") and caught.value.line == 13
    assert "e-mail-svc" in caught.value.message("en") and "服务目录" in caught.value.message("zh")
    assert Incident.select().count() == 0


def test_a_default_service_that_is_not_one_is_refused(desk, tmp_path):
    with pytest.raises(ConfigError) as caught:
        _migrate(desk, tmp_path, extra='[migrate.svc.defaults]\nservice = "nope"\n')
    assert "nope" in caught.value.message("en") and Incident.select().count() == 0
    with pytest.raises(ConfigError):  # (not even a text: refused when the mapping is read)
        mappings.load_file(desk.config, _mapping(tmp_path, extra="[migrate.svc.defaults]\nservice = 3\n"))


def test_a_ticket_opened_before_its_services_first_version_is_due_on_that_version_for_good(desk, clock, tmp_path):
    _migrate(desk, tmp_path)
    t3 = _ticket("T3")  # core-banking, opened before it had a version: it keeps none, and its first version's terms
    first = catalogue.version(desk, "core-banking", 1)
    assert t3.service_version_id is None
    draft = flow.open_draft(desk, "catm", code="core-banking")
    flow.edit_draft(desk, "catm", draft, {"hours": "business", "targets": {
        p: {"response": 5, "resolve": 30} for p in desk.config.codes("priority")}})
    flow.submit(desk, "catm", draft)
    flow.approve(desk, "ops", draft)
    flow.publish(desk, "ops", draft)  # version 2, other targets and hours, in force now
    desk.cache.clear()  # (what this handle keeps of a service's terms for a few seconds)
    due = incidents.due_at(desk, t3.opened_at, t3.priority, version_id=first.version_id)
    assert t3.due_at == due  # on the first version's targets and hours, not counted round the clock
    assert incidents.get(desk, t3.id).sla.due_at == due  # and shown so, whatever was published since


def test_an_open_migrated_ticket_has_its_clock_running_at_once(desk, clock, tmp_path):
    path = tmp_path / "open.csv"
    path.write_text("id,title,state,opened,service\nT9,Ticket T9,new,2026-10-20 10:00:00,email\n", encoding="utf-8")
    result = migrate.migrate_csv(desk, mappings.load_file(desk.config, _mapping(tmp_path)), str(path), login="admin")
    assert result.created == 1
    t9 = _ticket("T9")
    assert t9.status == "new" and t9.due_at == incidents.get(desk, t9.id).sla.due_at < clock.now
    tick = SlaClock.get((SlaClock.entity == "incident") & (SlaClock.entity_id == t9.id))
    assert tick.due_at == t9.due_at  # the tick escalates it and the wallboard counts it, without a desk init
    assert [c.id for c in wallboard.snapshot(desk).breached] == [t9.id]
