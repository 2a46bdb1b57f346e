"""PostgreSQL with `?schema=NAME` in the URL: desk's tables live in that schema (desk.db sets the
search_path). `desk init` creates the schema when it is not there and the login may; otherwise it
says, in one line, what the schema's owner has to run (issue 11, item 14). SQLite has no schemas."""

from __future__ import annotations

from desk.domain.errors import DatabaseUnavailable


def missing(desk) -> str | None:
    """The schema the target names, if it does not exist."""
    if desk.target.kind != "postgres":
        return None
    name = desk.target.schema
    if name is None:
        return None
    found = desk.db.execute_sql("SELECT 1 FROM pg_namespace WHERE nspname = %s", (name,)).fetchone()
    return None if found else name


def ensure(desk) -> str | None:
    """Create the target's schema if it does not exist. Returns its name when it was created;
    raises DatabaseUnavailable (exit 3) saying how to create it when the login may not."""
    name = missing(desk)
    if name is None:
        return None
    from psycopg2.extensions import quote_ident

    db = desk.db
    user, database, may = db.execute_sql(
        "SELECT current_user, current_database(), has_database_privilege(current_database(), 'CREATE')").fetchone()
    quoted = quote_ident(name, db.connection())
    if may:
        with db.atomic():
            db.execute_sql(f"CREATE SCHEMA IF NOT EXISTS {quoted}")
        return name
    raise DatabaseUnavailable("error.pg_schema_cannot_create", schema=name, database=database, user=user,
                              sql=f"CREATE SCHEMA {quoted} AUTHORIZATION {quote_ident(user, db.connection())};")
