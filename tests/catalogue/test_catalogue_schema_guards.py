"""The catalogue's schema steps (issue 19, tools/mutants/services_catalogue_schema.toml): the database
itself refuses to edit or delete a published version (on both backends), and step 13's fill gives each
recorded incident the version in force at its opening — the instant a version takes effect included,
one kept already left alone, every incident of every batch filled, its progress never past the total.
A lost trigger is named by `desk check` and put back by `desk init`, as history's are."""

from __future__ import annotations

from datetime import timedelta

import pytest

from desk.db import is_sqlite
from desk.models import Incident, ServiceVersion
from desk.services import catalogue, catalogue_flow as flow, catalogue_schema, check, incident_service, incidents, setup


def _publish_email(desk, clock, **kw) -> None:
    draft = flow.open_draft(desk, "catm", code="email")
    flow.edit_draft(desk, "catm", draft, {"price_en": "Per seat", "price_zh": "按席位"})
    flow.submit(desk, "catm", draft)
    flow.approve(desk, "ops", draft)
    flow.publish(desk, "ops", draft, **kw)


def _versions() -> dict[int, int | None]:
    return {i.id: i.service_version_id for i in Incident.select(Incident.id, Incident.service_version)}


@pytest.mark.parametrize("sql", ["UPDATE service_version SET note = 'rewritten'", "DELETE FROM service_version"])
def test_the_database_refuses_to_edit_or_delete_a_published_version(desk, sql):
    before = [(v.id, v.note) for v in ServiceVersion.select().order_by(ServiceVersion.id)]
    assert before
    with pytest.raises(Exception, match="immutable"):
        with desk.db.atomic():
            desk.db.execute_sql(sql)
    assert [(v.id, v.note) for v in ServiceVersion.select().order_by(ServiceVersion.id)] == before


def test_an_incident_opened_the_instant_a_version_took_effect_is_under_it(desk, clock):
    takes_effect = clock.now + timedelta(hours=2)
    _publish_email(desk, clock, effective_at=takes_effect)
    clock.now = takes_effect - timedelta(seconds=1)
    before = incidents.create(desk, "li", title="Mail slow", impact=2, urgency=3, service="email").id
    clock.now = takes_effect
    at = incidents.create(desk, "li", title="Mail down", impact=2, urgency=3, service="email").id
    v1, v2 = (catalogue.version(desk, "email", n).version_id for n in (1, 2))
    Incident.update(service_version=None).execute()  # as a database from before the column has them
    catalogue_schema.fill_incident_versions(desk.db)
    assert _versions() == {before: v1, at: v2}


def test_an_incident_that_keeps_a_version_already_keeps_it(desk, clock):
    # opened without a service while version 1 was in force, put under email once version 2 was:
    # it keeps version 2 (set-service), though version 1 was in force at its opening
    opened = incidents.create(desk, "li", title="Something with mail", impact=2, urgency=3).id
    clock.advance(minutes=5)
    _publish_email(desk, clock)
    clock.advance(minutes=5)
    incident_service.set_service(desk, "li", opened, service="email")
    v2 = catalogue.version(desk, "email", 2).version_id
    assert _versions() == {opened: v2}
    catalogue_schema.fill_incident_versions(desk.db)
    assert _versions() == {opened: v2}


def test_every_incident_of_every_batch_is_filled_and_progress_ends_at_the_total(desk, monkeypatch):
    monkeypatch.setattr(catalogue_schema, "FILL_BATCH", 2)
    made = [incidents.create(desk, "li", title=f"Mail {n}", impact=2, urgency=3, service="email").id
            for n in range(5)]
    v1 = catalogue.version(desk, "email", 1).version_id
    Incident.update(service_version=None).execute()
    heard: list[tuple[int, int]] = []
    catalogue_schema.fill_incident_versions(desk.db, lambda done, total: heard.append((done, total)))
    assert _versions() == {i: v1 for i in made}
    assert heard == [(2, 5), (4, 5), (5, 5)]


def test_a_desk_of_one_incident_has_it_filled_and_an_empty_one_nothing_to_do(desk):
    heard: list[tuple[int, int]] = []
    catalogue_schema.fill_incident_versions(desk.db, lambda *a: heard.append(a))
    assert heard == []
    only = incidents.create(desk, "li", title="Mail down", impact=2, urgency=3, service="email").id
    Incident.update(service_version=None).execute()
    catalogue_schema.fill_incident_versions(desk.db, lambda *a: heard.append(a))
    assert _versions() == {only: catalogue.version(desk, "email", 1).version_id} and heard == [(1, 1)]


def test_step_13_fills_the_incidents_of_a_database_from_before_it(desk, clock):
    made = incidents.create(desk, "li", title="Mail down", impact=2, urgency=3, service="email").id
    Incident.update(service_version=None).execute()
    catalogue_schema.incident_versions_step(desk.db)  # the column is there: only the fill runs
    assert _versions() == {made: catalogue.version(desk, "email", 1).version_id}


def _drop_catalogue_triggers(desk) -> list[str]:
    names = catalogue_schema.triggers(desk.db)
    assert names == sorted(catalogue_schema.expected_triggers(desk.db))
    for name in names:  # as a step rebuilding the table on SQLite would lose them, or someone dropped them
        desk.db.execute_sql(f"DROP TRIGGER {name}" if is_sqlite(desk.db) else f"DROP TRIGGER {name} ON service_version")
    return names


def test_desk_check_names_a_lost_catalogue_trigger_and_desk_init_puts_it_back(desk):
    dropped = _drop_catalogue_triggers(desk)
    report = check.run_check(desk)
    assert [(p.kind, p.params["name"]) for p in report.problems] == [("catalogue_trigger", n) for n in dropped]
    assert "published catalogue versions can be edited" in report.problems[0].message("en")
    assert "服务目录" in report.problems[0].message("zh")
    setup.init_database(desk)
    assert catalogue_schema.triggers(desk.db) == dropped
    assert check.run_check(desk).ok
    with pytest.raises(Exception, match="immutable"):
        with desk.db.atomic():
            desk.db.execute_sql("UPDATE service_version SET note = 'rewritten'")


@pytest.mark.parametrize("lost", catalogue_schema.SQLITE_NAMES)
def test_only_the_missing_trigger_is_put_back(desk, lost):
    if not is_sqlite(desk.db):
        pytest.skip("PostgreSQL guards both statements with one trigger")
    desk.db.execute_sql(f"DROP TRIGGER {lost}")
    assert catalogue_schema.restore_triggers(desk.db) is True
    assert catalogue_schema.restore_triggers(desk.db) is False  # all there: nothing to do
    assert catalogue_schema.triggers(desk.db) == sorted(catalogue_schema.SQLITE_NAMES)


@pytest.mark.parametrize("version", [9, 10])
def test_a_database_from_before_the_catalogue_or_from_its_step_has_nothing_missing(db_url, clock, version):
    from desk.services import schema
    from desk.services.context import open_desk

    built = open_desk(db_url, user="admin", clock=clock)
    schema.upgrade(built.db, target=version)  # (before step 10: no service_version, no trigger to ask for)
    assert schema.schema_version(built.db) == version
    assert [p.kind for p in check.run_check(built).problems if p.kind == "catalogue_trigger"] == []
    built.close()
