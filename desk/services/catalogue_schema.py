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


def ensure_triggers(db) -> None:
    for sql in SQLITE_TRIGGERS if is_sqlite(db) else PG_TRIGGERS:
        db.execute_sql(sql)


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
