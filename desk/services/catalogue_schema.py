"""The catalogue's schema step: its tables, the service row's new columns, and the triggers that
make a published version immutable (as history is: UPDATE and DELETE refused)."""

from __future__ import annotations

from desk.db import is_sqlite

SQLITE_TRIGGERS = [
    """CREATE TRIGGER IF NOT EXISTS service_version_no_update BEFORE UPDATE ON service_version
       BEGIN SELECT RAISE(ABORT, 'a published catalogue version is immutable'); END""",
    """CREATE TRIGGER IF NOT EXISTS service_version_no_delete BEFORE DELETE ON service_version
       BEGIN SELECT RAISE(ABORT, 'a published catalogue version is immutable'); END""",
]
PG_TRIGGERS = [
    """CREATE OR REPLACE FUNCTION desk_service_version_immutable() RETURNS trigger AS $$
       BEGIN RAISE EXCEPTION 'a published catalogue version is immutable'; END; $$ LANGUAGE plpgsql""",
    "DROP TRIGGER IF EXISTS service_version_no_change ON service_version",
    """CREATE TRIGGER service_version_no_change BEFORE UPDATE OR DELETE ON service_version
       FOR EACH ROW EXECUTE FUNCTION desk_service_version_immutable()""",
]


SQLITE_NAMES = ("service_version_no_delete", "service_version_no_update")
PG_NAMES = ("service_version_no_change",)


def ensure_triggers(db) -> None:
    for sql in SQLITE_TRIGGERS if is_sqlite(db) else PG_TRIGGERS:
        db.execute_sql(sql)


def expected_triggers(db) -> tuple[str, ...]:
    return SQLITE_NAMES if is_sqlite(db) else PG_NAMES


def triggers(db) -> list[str]:
    """The names of the triggers on service_version (for `desk check` and `desk init`)."""
    if is_sqlite(db):
        rows = db.execute_sql("SELECT name FROM sqlite_master WHERE type='trigger' AND tbl_name='service_version'")
    else:
        rows = db.execute_sql(
            "SELECT tgname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE c.relname = 'service_version' AND c.relnamespace = to_regnamespace(current_schema()) "
            "AND NOT t.tgisinternal")
    return sorted(r[0] for r in rows)


def restore_triggers(db) -> bool:
    """Put back the triggers a database lost, as history's are (SQLite drops a table's triggers when a
    step rebuilds it; or someone dropped them): without them a published version can be edited.
    Returns whether one was missing. Runs inside the caller's transaction, from step 10 on."""
    if set(triggers(db)) >= set(expected_triggers(db)):
        return False
    ensure_triggers(db)
    return True


def step(db, report=None) -> None:
    """Schema step: the category tree, published versions, requirements and drafts; the service
    row's `current` (its newest version's number) and `updated_at`. Services a database held
    already get their version 1 from `desk init` (desk.services.catalogue_load.load_sample)."""
    from playhouse.migrate import PostgresqlMigrator, SqliteMigrator, migrate

    from desk.models import CatalogueDraft, CatalogueRequirement, Service, ServiceCategory, ServiceVersion
    from desk.services.schema import create_indexes

    present = {c.name for c in db.get_columns("service")}
    migrator = SqliteMigrator(db) if is_sqlite(db) else PostgresqlMigrator(db)
    for name in ("current", "updated_at"):
        if name not in present:  # nullable: an ALTER TABLE ADD COLUMN, no table rebuild
            field = Service._meta.fields[name]
            migrate(migrator.add_column("service", name, type(field)(null=True)))
    db.create_tables([ServiceCategory, ServiceVersion, CatalogueRequirement, CatalogueDraft], safe=True)
    for model in (ServiceVersion, CatalogueRequirement, CatalogueDraft):
        create_indexes(db, model)
    ensure_triggers(db)


FILL_BATCH = 50_000  # incidents per UPDATE of the version fill (progress between them)


def incident_versions_step(db, report=None) -> None:
    """Schema step: an incident keeps the catalogue version it was raised under (issue 13). An
    incident already recorded gets the version of its service in force at its `opened_at` (the
    highest number whose effective date had come), or NULL when none was (its service's version
    in force applies, as before)."""
    from playhouse.migrate import PostgresqlMigrator, SqliteMigrator, migrate

    from desk.models import Incident

    present = {c.name for c in db.get_columns("incident")}
    if "service_version_id" not in present:  # nullable: an ALTER TABLE ADD COLUMN, no table rebuild
        migrator = SqliteMigrator(db) if is_sqlite(db) else PostgresqlMigrator(db)
        migrate(migrator.add_column("incident", "service_version_id", Incident.service_version))
    fill_incident_versions(db, report)


def fill_incident_versions(db, report=None) -> None:
    """Each incident with a service and no version: the one in force at its opening."""
    low, high = db.execute_sql("SELECT MIN(id), MAX(id) FROM incident").fetchone()
    if low is None:
        return
    total = high - low + 1
    sql = ("UPDATE incident SET service_version_id = (SELECT v.id FROM service_version v "
           "WHERE v.service_id = incident.service_id AND v.effective_at <= incident.opened_at "
           "ORDER BY v.number DESC LIMIT 1) "
           "WHERE service_id IS NOT NULL AND service_version_id IS NULL AND id >= %s AND id < %s")
    if is_sqlite(db):
        sql = sql.replace("%s", "?")
    for start in range(low, high + 1, FILL_BATCH):
        db.execute_sql(sql, (start, start + FILL_BATCH))
        if report:
            report(min(start + FILL_BATCH, high + 1) - low, total)
